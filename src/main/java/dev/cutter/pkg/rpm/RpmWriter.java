package dev.cutter.pkg.rpm;

import dev.cutter.content.Confined;
import dev.cutter.content.Digest;
import dev.cutter.content.Staging;
import dev.cutter.pkg.PackageFile;
import dev.cutter.pkg.PackageMetadata;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Writes binary RPM packages (format v4, as rpm 4.x's rpmbuild writes them) from a
 * {@link PackageMetadata}: the 96-byte lead, the signature header (SHA-256 and SHA-1 header
 * digests, MD5 of header and payload, sizes, and with an {@link RpmSigner} an OpenPGP header
 * signature), the main header, and a compressed cpio ("newc") payload with {@code ./}-prefixed
 * paths.
 *
 * <p>The payload is streamed from the source files through the compressor into a temporary
 * file (the header holds its digests and sizes, and comes first); no file is held in memory.
 * Files are sorted by path, owned by root, their mtime and the build time are
 * {@code sourceDate}, inodes are numbered in order: the same metadata and file contents give the
 * same bytes. Configuration files are {@code %config(noreplace)}. Only the listed files are
 * packaged; their parent directories are not owned by the package.
 *
 * <p>Debian-style relations are translated: depends → Requires, recommends → Recommends,
 * suggests → Suggests, conflicts and breaks → Conflicts, replaces → Obsoletes, provides →
 * Provides; {@code <<}/{@code >>} become {@code <}/{@code >}, alternatives {@code a | b} a rich
 * dependency {@code (a or b)}. Scripts run with {@code /bin/sh}.
 *
 * <p>An instance holds no state between packages and may be shared between threads.
 */
public final class RpmWriter {
    /** BUILDHOST of every package: the real host name would make builds differ between machines. */
    public static final String BUILD_HOST = "cutter";

    private static final long MAX_CPIO_FILE = 0xffffffffL;
    private static final int S_IFREG = 0100000;
    private static final Map<String, String> ISA = Map.of("x86_64", "x86-64", "aarch64", "aarch-64",
            "i686", "x86-32", "ppc64le", "ppc-64", "s390x", "s390-64", "riscv64", "riscv-64");
    private static final Map<String, Integer> LEAD_ARCH = Map.of("x86_64", 1, "i686", 1, "aarch64", 19,
            "ppc64le", 16, "s390x", 15, "riscv64", 22);
    private static final List<String[]> SCRIPT_TAGS = List.of(
            new String[] {"preinstall", "" + RpmTag.PREIN, "" + RpmTag.PREINPROG, "" + RpmTag.SENSE_SCRIPT_PRE},
            new String[] {"postinstall", "" + RpmTag.POSTIN, "" + RpmTag.POSTINPROG, "" + RpmTag.SENSE_SCRIPT_POST},
            new String[] {"preremove", "" + RpmTag.PREUN, "" + RpmTag.PREUNPROG, "" + RpmTag.SENSE_SCRIPT_PREUN},
            new String[] {"postremove", "" + RpmTag.POSTUN, "" + RpmTag.POSTUNPROG, "" + RpmTag.SENSE_SCRIPT_POSTUN});

    private final PayloadCompression compression;
    private final Optional<RpmSigner> signer;

    /** Unsigned packages with a gzip payload, which every rpm reads. */
    public RpmWriter() {
        this(PayloadCompression.GZIP, Optional.empty());
    }

    public RpmWriter(PayloadCompression compression, Optional<RpmSigner> signer) {
        this.compression = Objects.requireNonNull(compression, "compression");
        this.signer = Objects.requireNonNull(signer, "signer");
    }

    /** The conventional file name, {@code name-version-release.arch.rpm}. */
    public static String fileName(PackageMetadata metadata) {
        return metadata.name() + "-" + metadata.version() + "-" + metadata.release() + "." + metadata.architecture()
                + ".rpm";
    }

    /**
     * Writes the package into {@code directory} as {@link #fileName}, through a temporary file
     * made whole in {@code staging} (its payload too) and moved into place: the file is either
     * complete or absent, and its mtime is the source date. Returns its path.
     */
    public Path write(PackageMetadata metadata, Path directory, Staging staging) throws IOException {
        validate(metadata); // before its name makes a file name
        Path target = Confined.resolve(directory, fileName(metadata));
        Path payload = staging.file(directory, metadata.name() + ".cpio");
        try {
            staging.write(directory, target, partial -> {
                try (OutputStream out = Files.newOutputStream(partial)) {
                    write(metadata, out, payload);
                }
                // the file's time is the source date too: a yum index lists it (createrepo_c's time file),
                // so a package built again (a resumed or repeated release) leaves the index byte-identical
                Files.setLastModifiedTime(partial, java.nio.file.attribute.FileTime.from(metadata.sourceDate()));
            });
            return target;
        } finally {
            Files.deleteIfExists(payload);
        }
    }

    /** Writes the package to {@code out}, which is not closed; the payload is staged in the temporary directory. */
    public void write(PackageMetadata metadata, OutputStream out) throws IOException {
        Path payload = Files.createTempFile("cutter-rpm-payload-", ".cpio");
        try {
            write(metadata, out, payload);
        } finally {
            Files.deleteIfExists(payload);
        }
    }

    /** Writes the package to {@code out}, its payload staged in {@code payload} first (its sizes and digests lead the header). */
    private void write(PackageMetadata metadata, OutputStream out, Path payload) throws IOException {
        validate(metadata);
        List<PackageFile> files = new ArrayList<>(metadata.files());
        files.sort(Comparator.comparing(PackageFile::path, Bytes::compareUtf8));
        for (int i = 1; i < files.size(); i++) {
            if (files.get(i).path().equals(files.get(i - 1).path())) {
                throw new IllegalArgumentException("package " + metadata.name() + " lists " + files.get(i).path()
                        + " twice");
            }
        }
        Payload written = writePayload(metadata, files, payload);
        byte[] header = mainHeader(metadata, files, written);
        writePackage(metadata, header, written, payload, out);
    }

    /** The same grammar the yum repository's reader holds packages to: Cutter never builds an .rpm it would refuse. */
    private static void validate(PackageMetadata m) {
        RpmNames.problem(RpmNames.Tag.NAME, m.name()).ifPresent(p -> {
            throw new IllegalArgumentException("package name " + p);
        });
        RpmNames.problem(RpmNames.Tag.VERSION, m.version()).ifPresent(p -> {
            throw new IllegalArgumentException("package " + m.name() + ": version " + p);
        });
        RpmNames.problem(RpmNames.Tag.RELEASE, m.release()).ifPresent(p -> {
            throw new IllegalArgumentException("package " + m.name() + ": release " + p);
        });
        RpmNames.problem(RpmNames.Tag.ARCH, m.architecture()).ifPresent(p -> {
            throw new IllegalArgumentException("package " + m.name() + ": architecture " + p);
        });
    }

    /** The payload's sizes and digests, and each file's size and SHA-256. */
    private record Payload(long archiveSize, String archiveSha256, long size, String sha256, long[] fileSizes,
            List<String> fileDigests) {}

    private Payload writePayload(PackageMetadata m, List<PackageFile> files, Path target) throws IOException {
        long mtime = m.sourceDate().getEpochSecond();
        long[] sizes = new long[files.size()];
        List<String> digests = new ArrayList<>(files.size());
        byte[] buffer = new byte[1 << 16];
        Digest.Counting compressed;
        Digest.Counting archive;
        try (OutputStream file = Files.newOutputStream(target)) {
            compressed = new Digest.Counting(new BufferedOutputStream(file, 1 << 16));
            OutputStream compressor = compression.compress(compressed);
            archive = new Digest.Counting(new BufferedOutputStream(compressor, 1 << 16));
            Cpio cpio = new Cpio(archive);
            for (int i = 0; i < files.size(); i++) {
                PackageFile f = files.get(i);
                long size = Files.size(f.source());
                if (size > MAX_CPIO_FILE) {
                    throw new IllegalArgumentException("package " + m.name() + ": " + f.path() + " (" + f.source()
                            + ") is " + size + " bytes; RPM's cpio payload holds files under 4 GiB");
                }
                sizes[i] = size;
                cpio.startEntry("." + f.path(), i + 1, S_IFREG | (f.mode() & 07777), mtime, size, 0, 1);
                MessageDigest digest = messageDigest("SHA-256");
                long copied = 0;
                try (InputStream in = Files.newInputStream(f.source())) {
                    for (int n; (n = in.read(buffer)) != -1; ) {
                        copied += n;
                        if (copied > size) {
                            break;
                        }
                        digest.update(buffer, 0, n);
                        cpio.data(buffer, n);
                    }
                }
                if (copied != size) {
                    throw new IOException("package " + m.name() + ": " + f.source() + " changed while it was packaged ("
                            + size + " bytes, then " + (copied > size ? "more" : copied + " bytes") + ")");
                }
                digests.add(Bytes.hex(digest.digest()));
                cpio.endEntry();
            }
            cpio.finish();
            archive.close(); // finishes the compressor and closes the file
        }
        return new Payload(archive.size(), archive.digest().hex(), compressed.size(), compressed.digest().hex(), sizes, digests);
    }

    private byte[] mainHeader(PackageMetadata m, List<PackageFile> files, Payload payload) throws IOException {
        HeaderBuilder h = new HeaderBuilder();
        h.strings(RpmTag.HEADERI18NTABLE, List.of("C"));
        h.string(RpmTag.NAME, m.name());
        h.string(RpmTag.VERSION, m.version());
        h.string(RpmTag.RELEASE, m.release());
        String summary = m.summary() == null || m.summary().isBlank() ? m.name() : m.summary().strip();
        h.i18n(RpmTag.SUMMARY, summary);
        h.i18n(RpmTag.DESCRIPTION, m.description() == null || m.description().isBlank() ? summary : m.description());
        h.int32(RpmTag.BUILDTIME, (int) m.sourceDate().getEpochSecond());
        h.string(RpmTag.BUILDHOST, BUILD_HOST);
        long installed = 0;
        for (long size : payload.fileSizes()) {
            installed += size;
        }
        if (installed > MAX_CPIO_FILE) {
            h.int64(RpmTag.LONGSIZE, installed);
        } else {
            h.int32(RpmTag.SIZE, (int) installed);
        }
        m.license().ifPresent(license -> h.string(RpmTag.LICENSE, license));
        m.maintainer().ifPresent(maintainer -> h.string(RpmTag.PACKAGER, maintainer));
        h.i18n(RpmTag.GROUP, m.section().orElse("Unspecified"));
        m.homepage().ifPresent(url -> h.string(RpmTag.URL, url));
        h.string(RpmTag.OS, "linux");
        h.string(RpmTag.ARCH, m.architecture());

        List<Dependency> requires = new ArrayList<>();
        for (String[] script : SCRIPT_TAGS) {
            Path source = m.scripts().get(script[0]);
            if (source != null) {
                // trailing blank lines dropped, as rpmbuild does with a spec file's scriptlets
                h.string(Integer.parseInt(script[1]), Files.readString(source, StandardCharsets.UTF_8).stripTrailing());
                h.strings(Integer.parseInt(script[2]), List.of("/bin/sh"));
                requires.add(new Dependency("/bin/sh", RpmTag.SENSE_INTERP | Integer.parseInt(script[3]), ""));
            }
        }

        if (!files.isEmpty()) {
            fileTags(h, m, files, payload);
        }
        h.string(RpmTag.SOURCERPM, m.name() + "-" + m.version() + "-" + m.release() + ".src.rpm");

        String evr = m.version() + "-" + m.release();
        TreeSet<Dependency> provides = new TreeSet<>();
        provides.add(new Dependency(m.name(), RpmTag.SENSE_EQUAL, evr));
        if (ISA.containsKey(m.architecture())) {
            provides.add(new Dependency(m.name() + "(" + ISA.get(m.architecture()) + ")", RpmTag.SENSE_EQUAL, evr));
        }
        provides.addAll(relations(m, "provides"));
        for (Dependency provide : provides) {
            if (provide.rich()) {
                throw new IllegalArgumentException("package " + m.name() + ": a provide cannot have alternatives: "
                        + provide.name());
            }
        }
        requires.addAll(relations(m, "depends"));
        boolean rich = requires.stream().anyMatch(Dependency::rich);
        requires.add(Dependency.rpmlib("rpmlib(CompressedFileNames)=3.0.4-1"));
        requires.add(Dependency.rpmlib("rpmlib(FileDigests)=4.6.0-1"));
        requires.add(Dependency.rpmlib("rpmlib(PayloadFilesHavePrefix)=4.0-1"));
        compression.rpmlibFeature.ifPresent(feature -> requires.add(Dependency.rpmlib(feature)));
        List<Dependency> conflicts = new ArrayList<>(relations(m, "conflicts"));
        conflicts.addAll(relations(m, "breaks"));
        List<Dependency> recommends = relations(m, "recommends");
        List<Dependency> suggests = relations(m, "suggests");
        rich |= conflicts.stream().anyMatch(Dependency::rich) || recommends.stream().anyMatch(Dependency::rich)
                || suggests.stream().anyMatch(Dependency::rich);
        if (rich) {
            requires.add(Dependency.rpmlib("rpmlib(RichDependencies)=4.12.0-1"));
        }
        dependencies(h, new TreeSet<>(provides), RpmTag.PROVIDENAME, RpmTag.PROVIDEFLAGS, RpmTag.PROVIDEVERSION);
        dependencies(h, new TreeSet<>(requires), RpmTag.REQUIRENAME, RpmTag.REQUIREFLAGS, RpmTag.REQUIREVERSION);
        dependencies(h, new TreeSet<>(conflicts), RpmTag.CONFLICTNAME, RpmTag.CONFLICTFLAGS, RpmTag.CONFLICTVERSION);
        dependencies(h, new TreeSet<>(relations(m, "replaces")), RpmTag.OBSOLETENAME, RpmTag.OBSOLETEFLAGS,
                RpmTag.OBSOLETEVERSION);
        dependencies(h, new TreeSet<>(recommends), RpmTag.RECOMMENDNAME, RpmTag.RECOMMENDFLAGS,
                RpmTag.RECOMMENDVERSION);
        dependencies(h, new TreeSet<>(suggests), RpmTag.SUGGESTNAME, RpmTag.SUGGESTFLAGS, RpmTag.SUGGESTVERSION);

        h.string(RpmTag.PAYLOADFORMAT, "cpio");
        h.string(RpmTag.PAYLOADCOMPRESSOR, compression.compressor);
        h.string(RpmTag.PAYLOADFLAGS, compression.flags);
        h.string(RpmTag.ENCODING, "utf-8");
        h.strings(RpmTag.PAYLOADDIGEST, List.of(payload.sha256()));
        h.int32(RpmTag.PAYLOADDIGESTALGO, RpmTag.HASH_SHA256);
        h.strings(RpmTag.PAYLOADDIGESTALT, List.of(payload.archiveSha256()));
        return h.build(RpmTag.HEADERIMMUTABLE);
    }

    private static void fileTags(HeaderBuilder h, PackageMetadata m, List<PackageFile> files, Payload payload) {
        int n = files.size();
        int mtime = (int) m.sourceDate().getEpochSecond();
        int[] sizes = new int[n];
        int[] modes = new int[n];
        int[] zeros16 = new int[n];
        int[] mtimes = new int[n];
        int[] flags = new int[n];
        int[] verify = new int[n];
        int[] devices = new int[n];
        int[] inodes = new int[n];
        int[] dirIndexes = new int[n];
        List<String> basenames = new ArrayList<>(n);
        Map<String, Integer> dirs = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            PackageFile f = files.get(i);
            sizes[i] = (int) payload.fileSizes()[i];
            modes[i] = S_IFREG | (f.mode() & 07777);
            mtimes[i] = mtime;
            flags[i] = f.config() ? RpmTag.FILE_CONFIG | RpmTag.FILE_NOREPLACE : 0;
            verify[i] = -1;
            devices[i] = 1;
            inodes[i] = i + 1;
            int slash = f.path().lastIndexOf('/');
            String dir = f.path().substring(0, slash + 1);
            dirIndexes[i] = dirs.computeIfAbsent(dir, d -> dirs.size());
            basenames.add(f.path().substring(slash + 1));
        }
        List<String> empty = java.util.Collections.nCopies(n, "");
        List<String> root = java.util.Collections.nCopies(n, "root");
        h.int32(RpmTag.FILESIZES, sizes);
        h.int16(RpmTag.FILEMODES, modes);
        h.int16(RpmTag.FILERDEVS, zeros16);
        h.int32(RpmTag.FILEMTIMES, mtimes);
        h.strings(RpmTag.FILEDIGESTS, payload.fileDigests());
        h.strings(RpmTag.FILELINKTOS, empty);
        h.int32(RpmTag.FILEFLAGS, flags);
        h.strings(RpmTag.FILEUSERNAME, root);
        h.strings(RpmTag.FILEGROUPNAME, root);
        h.int32(RpmTag.FILEVERIFYFLAGS, verify);
        h.int32(RpmTag.FILEDEVICES, devices);
        h.int32(RpmTag.FILEINODES, inodes);
        h.strings(RpmTag.FILELANGS, empty);
        h.int32(RpmTag.DIRINDEXES, dirIndexes);
        h.strings(RpmTag.BASENAMES, basenames);
        h.strings(RpmTag.DIRNAMES, new ArrayList<>(dirs.keySet()));
        h.int32(RpmTag.FILEDIGESTALGO, RpmTag.HASH_SHA256);
    }

    private static List<Dependency> relations(PackageMetadata m, String kind) {
        List<Dependency> result = new ArrayList<>();
        for (String relation : m.relation(kind)) {
            result.add(Dependency.fromDebian(relation, kind, m.name()));
        }
        return result;
    }

    private static void dependencies(HeaderBuilder h, TreeSet<Dependency> deps, int nameTag, int flagsTag,
            int versionTag) {
        if (deps.isEmpty()) {
            return;
        }
        List<String> names = new ArrayList<>();
        List<String> versions = new ArrayList<>();
        int[] flags = new int[deps.size()];
        int i = 0;
        for (Dependency d : deps) {
            names.add(d.name());
            versions.add(d.version());
            flags[i++] = d.flags();
        }
        h.strings(nameTag, names);
        h.int32(flagsTag, flags);
        h.strings(versionTag, versions);
    }

    private void writePackage(PackageMetadata m, byte[] header, Payload payload, Path payloadFile, OutputStream out)
            throws IOException {
        MessageDigest md5 = messageDigest("MD5");
        md5.update(header);
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(payloadFile)) {
            for (int n; (n = in.read(buffer)) != -1; ) {
                md5.update(buffer, 0, n);
            }
        }
        HeaderBuilder sig = new HeaderBuilder();
        long total = header.length + payload.size();
        if (total > MAX_CPIO_FILE) {
            sig.int64(RpmTag.SIG_LONGSIZE, total);
        } else {
            sig.int32(RpmTag.SIG_SIZE, (int) total);
        }
        if (payload.archiveSize() > MAX_CPIO_FILE) {
            sig.int64(RpmTag.SIG_LONGARCHIVESIZE, payload.archiveSize());
        } else {
            sig.int32(RpmTag.SIG_PAYLOADSIZE, (int) payload.archiveSize());
        }
        sig.bin(RpmTag.SIG_MD5, md5.digest());
        sig.string(RpmTag.SIG_SHA1, Bytes.hex(messageDigest("SHA-1").digest(header)));
        sig.string(RpmTag.SIG_SHA256, Bytes.hex(messageDigest("SHA-256").digest(header)));
        signer.ifPresent(s -> {
            RpmSigner.Signature signature = s.sign(header);
            sig.bin(signature.tag(), signature.packet());
        });
        byte[] signature = sig.build(RpmTag.HEADERSIGNATURES);

        BufferedOutputStream buffered = new BufferedOutputStream(out, 1 << 16);
        buffered.write(lead(m));
        buffered.write(signature);
        buffered.write(new byte[(8 - signature.length % 8) % 8]);
        buffered.write(header);
        try (InputStream in = Files.newInputStream(payloadFile)) {
            in.transferTo(buffered);
        }
        buffered.flush();
    }

    private static byte[] lead(PackageMetadata m) {
        ByteBuffer lead = ByteBuffer.allocate(96);
        lead.put(new byte[] {(byte) 0xed, (byte) 0xab, (byte) 0xee, (byte) 0xdb, 3, 0});
        lead.putShort((short) 0); // binary package
        lead.putShort(LEAD_ARCH.getOrDefault(m.architecture(), 0).shortValue());
        byte[] name = (m.name() + "-" + m.version() + "-" + m.release()).getBytes(StandardCharsets.UTF_8);
        lead.put(name, 0, Math.min(name.length, 65));
        lead.position(76);
        lead.putShort((short) 1); // Linux
        lead.putShort((short) 5); // RPMSIGTYPE_HEADERSIG
        return lead.array();
    }

    /** RPM's digests: SHA-256 of the payload and its files, MD5 and SHA-1 of the signature header. */
    private static MessageDigest messageDigest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is part of every Java runtime", e);
        }
    }
}
