package dev.cutter.pkg.deb;

import dev.cutter.archive.TarWriter;
import dev.cutter.content.Staging;
import dev.cutter.pkg.PackageFile;
import dev.cutter.pkg.PackageMetadata;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipParameters;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZ;
import org.tukaani.xz.XZOutputStream;

/**
 * Writes a Debian binary package from {@link PackageMetadata}: an ar archive of
 * {@code debian-binary} ("2.0\n"), {@code control.tar.gz|xz} (control, md5sums, conffiles,
 * maintainer scripts) and {@code data.tar.gz|xz}, as {@code dpkg-deb --build --root-owner-group}
 * would, readable by dpkg, apt and lintian.
 *
 * <p>Reproducible: every tar entry is owned by root/root (uid/gid 0) with the metadata's
 * {@code sourceDate} as mtime, entries are sorted by path with every parent directory present
 * (mode 0755), gzip headers carry no time or name; the same metadata and file contents give the
 * same bytes. File contents are streamed: the compressed data member goes to a temporary file
 * (its size must precede it in the ar header) while the md5sums are computed from the very bytes
 * archived, so a file changing during the build cannot make md5sums and data disagree.
 *
 * <p>The package's version is {@code version} when {@code release} is empty, else
 * {@code version-release} (the Debian revision). An instance holds only its compression choice
 * and may be shared.
 */
public final class DebWriter {

    /** How a tar member of the .deb is compressed. */
    public enum Compression {
        GZIP(".gz"),
        XZ(".xz");

        private final String suffix;

        Compression(String suffix) {
            this.suffix = suffix;
        }

        String suffix() {
            return suffix;
        }
    }

    /** The relation fields in dpkg-gencontrol's order, with the metadata key each comes from. */
    private static final List<String[]> RELATION_FIELDS = List.of(
            new String[] {"Depends", "depends"}, new String[] {"Recommends", "recommends"},
            new String[] {"Suggests", "suggests"}, new String[] {"Conflicts", "conflicts"},
            new String[] {"Breaks", "breaks"}, new String[] {"Replaces", "replaces"},
            new String[] {"Provides", "provides"});
    private static final Map<String, String> SCRIPT_NAMES = Map.of(
            "preinstall", "preinst", "postinstall", "postinst", "preremove", "prerm", "postremove", "postrm");
    private static final int DIRECTORY_MODE = 0755;

    private final Compression controlCompression;
    private final Compression dataCompression;

    /** gzip for both members: what every dpkg and apt reads, and fast to write. */
    public DebWriter() {
        this(Compression.GZIP, Compression.GZIP);
    }

    public DebWriter(Compression control, Compression data) {
        this.controlCompression = Objects.requireNonNull(control, "control");
        this.dataCompression = Objects.requireNonNull(data, "data");
    }

    /** The package's Debian version: {@code version}, or {@code version-release} when a release is given. */
    public static String debianVersion(PackageMetadata metadata) {
        String release = metadata.release();
        return release == null || release.isBlank() ? metadata.version() : metadata.version() + "-" + release;
    }

    /** The conventional file name, {@code name_version_arch.deb}, without the epoch (as dpkg-name gives). */
    public static String fileName(PackageMetadata metadata) {
        return metadata.name() + "_" + DebianVersion.parse(debianVersion(metadata)).withoutEpoch() + "_"
                + metadata.architecture() + ".deb";
    }

    /**
     * Writes the package to {@code target}, made whole in {@code staging} (its data member too) and
     * moved into place, so {@code target} is either absent, the old file, or the whole new one.
     */
    public void write(PackageMetadata metadata, Path target, Staging staging) throws IOException {
        Path dir = Files.createDirectories(target.toAbsolutePath().getParent());
        Path data = staging.file(dir, "data.tar" + dataCompression.suffix());
        try {
            staging.write(target, staged -> {
                try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(staged), 1 << 16)) {
                    write(metadata, out, data);
                }
            });
        } finally {
            Files.deleteIfExists(data);
        }
    }

    /** Writes the package to {@code out}, which is flushed, not closed. The data member is staged in the temporary directory. */
    public void write(PackageMetadata metadata, OutputStream out) throws IOException {
        Path data = Files.createTempFile("cutter-deb-data-", ".tar" + dataCompression.suffix());
        try {
            write(metadata, out, data);
        } finally {
            Files.deleteIfExists(data);
        }
    }

    /** Writes the package to {@code out}, its data member staged in {@code data} first (the ar header needs its size). */
    private void write(PackageMetadata metadata, OutputStream out, Path data) throws IOException {
        String version = debianVersion(metadata);
        validate(metadata, version);
        long mtime = metadata.sourceDate().getEpochSecond();
        TreeMap<String, PackageFile> files = dataEntries(metadata);
        StringBuilder md5sums = new StringBuilder();
        long installedKiB;
        try (OutputStream dataOut = new BufferedOutputStream(Files.newOutputStream(data), 1 << 16)) {
            installedKiB = writeData(files, mtime, dataOut, md5sums);
        }
        byte[] control = controlTar(metadata, version, installedKiB, md5sums.toString(), mtime);
        out.write(Ar.MAGIC);
        member(out, "debian-binary", mtime, "2.0\n".getBytes(StandardCharsets.US_ASCII));
        member(out, "control.tar" + controlCompression.suffix(), mtime, control);
        long dataSize = Files.size(data);
        Ar.header(out, "data.tar" + dataCompression.suffix(), mtime, dataSize);
        try (InputStream in = Files.newInputStream(data)) {
            long copied = in.transferTo(out);
            if (copied != dataSize) {
                throw new IOException("staged data member " + data + " changed size while copied");
            }
        }
        if (dataSize % 2 != 0) {
            out.write('\n');
        }
        out.flush();
    }

    private static void member(OutputStream out, String name, long mtime, byte[] content) throws IOException {
        Ar.header(out, name, mtime, content.length);
        out.write(content);
        if (content.length % 2 != 0) {
            out.write('\n');
        }
    }

    /** Every path of the data tar ("./usr/bin/x"), sorted component-wise so that parents precede children. */
    private static TreeMap<String, PackageFile> dataEntries(PackageMetadata metadata) {
        TreeMap<String, PackageFile> entries = new TreeMap<>(DebWriter::comparePaths);
        entries.put("./", null);
        for (PackageFile file : metadata.files()) {
            String path = "." + file.path();
            if (entries.containsKey(path) || entries.containsKey(path + "/")) {
                throw new IllegalArgumentException(metadata.name() + ": " + file.path() + " is listed twice, or is also"
                        + " a directory holding another file");
            }
            entries.put(path, file);
            for (int slash = path.indexOf('/', 2); slash > 0; slash = path.indexOf('/', slash + 1)) {
                String dir = path.substring(0, slash + 1);
                if (entries.containsKey(dir.substring(0, dir.length() - 1))) {
                    throw new IllegalArgumentException(metadata.name() + ": " + dir.substring(1, dir.length() - 1)
                            + " is a file, yet " + file.path() + " is inside it");
                }
                entries.put(dir, null);
            }
        }
        return entries;
    }

    /** Compares "./a/b/" style paths component by component, so "./usr/" and its contents come before "./usr-x". */
    static int comparePaths(String a, String b) {
        int n = Math.min(a.length(), b.length());
        for (int i = 0; i < n; i++) {
            char x = a.charAt(i);
            char y = b.charAt(i);
            if (x != y) {
                if (x == '/') {
                    return -1;
                }
                if (y == '/') {
                    return 1;
                }
                return Character.compare(x, y);
            }
        }
        return Integer.compare(a.length(), b.length());
    }

    /** Writes the compressed data tar, appends "md5  path" lines, returns the Installed-Size in KiB. */
    private long writeData(TreeMap<String, PackageFile> entries, long mtime, OutputStream out, StringBuilder md5sums)
            throws IOException {
        MessageDigest md5 = digest("MD5");
        HexFormat hex = HexFormat.of();
        long kib = 0;
        try (OutputStream compressed = compress(dataCompression, out)) {
            TarWriter tar = new TarWriter(compressed, "root");
            for (Map.Entry<String, PackageFile> entry : entries.entrySet()) {
                PackageFile file = entry.getValue();
                if (file == null) {
                    tar.directory(entry.getKey(), DIRECTORY_MODE, mtime);
                    if (!entry.getKey().equals("./")) {
                        kib += 1;
                    }
                    continue;
                }
                Path source = file.source();
                if (!Files.isRegularFile(source)) {
                    throw new IOException("the source of " + file.path() + ", " + source
                            + (Files.exists(source) ? ", is not a regular file" : ", does not exist"));
                }
                long size = Files.size(source);
                md5.reset();
                try (InputStream in = new DigestInputStream(Files.newInputStream(source), md5)) {
                    tar.file(entry.getKey(), file.mode() & 07777, mtime, size, in);
                }
                md5sums.append(hex.formatHex(md5.digest())).append("  ").append(entry.getKey().substring(2)).append('\n');
                kib += (size + 1023) / 1024;
            }
            tar.finish();
        }
        return kib;
    }

    private byte[] controlTar(PackageMetadata metadata, String version, long installedKiB, String md5sums, long mtime)
            throws IOException {
        TreeMap<String, Object> members = new TreeMap<>();
        members.put("control", control(metadata, version, installedKiB).getBytes(StandardCharsets.UTF_8));
        if (!md5sums.isEmpty()) {
            members.put("md5sums", md5sums.getBytes(StandardCharsets.UTF_8));
        }
        String conffiles = metadata.files().stream().filter(PackageFile::config).map(PackageFile::path).sorted()
                .map(p -> p + "\n").reduce("", String::concat);
        if (!conffiles.isEmpty()) {
            members.put("conffiles", conffiles.getBytes(StandardCharsets.UTF_8));
        }
        metadata.scripts().forEach((kind, path) -> members.put(SCRIPT_NAMES.get(kind), path));
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (OutputStream compressed = compress(controlCompression, buffer)) {
            TarWriter tar = new TarWriter(compressed, "root");
            tar.directory("./", DIRECTORY_MODE, mtime);
            for (Map.Entry<String, Object> member : members.entrySet()) {
                String name = "./" + member.getKey();
                if (member.getValue() instanceof byte[] bytes) {
                    tar.file(name, 0644, mtime, bytes);
                } else {
                    Path script = (Path) member.getValue();
                    if (!Files.isRegularFile(script)) {
                        throw new IOException("the " + member.getKey() + " maintainer script " + script
                                + (Files.exists(script) ? " is not a regular file" : " does not exist"));
                    }
                    try (InputStream in = Files.newInputStream(script)) {
                        tar.file(name, 0755, mtime, Files.size(script), in);
                    }
                }
            }
            tar.finish();
        }
        return buffer.toByteArray();
    }

    /** The control stanza, fields in dpkg-gencontrol's order. */
    static String control(PackageMetadata metadata, String version, long installedKiB) {
        StringBuilder c = new StringBuilder(512);
        field(c, "Package", metadata.name());
        field(c, "Version", version);
        field(c, "Architecture", metadata.architecture());
        metadata.maintainer().ifPresent(m -> field(c, "Maintainer", m));
        field(c, "Installed-Size", Long.toString(installedKiB));
        for (String[] relation : RELATION_FIELDS) {
            List<String> entries = metadata.relation(relation[1]);
            if (!entries.isEmpty()) {
                for (String entry : entries) {
                    if (entry.isBlank() || entry.contains(",") || entry.contains("\n")) {
                        throw new IllegalArgumentException(metadata.name() + ": " + relation[0] + " entry '" + entry
                                + "' must be one relation such as \"libc6 (>= 2.36)\" or \"a | b\"");
                    }
                }
                field(c, relation[0], String.join(", ", entries.stream().map(String::strip).toList()));
            }
        }
        metadata.section().ifPresent(s -> field(c, "Section", s));
        field(c, "Priority", "optional");
        metadata.homepage().ifPresent(h -> field(c, "Homepage", h));
        c.append("Description: ").append(summary(metadata)).append('\n');
        c.append(longDescription(metadata.description()));
        return c.toString();
    }

    private static String summary(PackageMetadata metadata) {
        String summary = metadata.summary();
        if (summary == null || summary.isBlank()) {
            String description = metadata.description() == null ? "" : metadata.description().strip();
            summary = description.lines().findFirst().orElse("");
        }
        summary = summary.strip();
        if (summary.isEmpty()) {
            throw new IllegalArgumentException(metadata.name() + ": a .deb needs a summary (the Description's first line)");
        }
        if (summary.contains("\n")) {
            throw new IllegalArgumentException(metadata.name() + ": the summary must be one line: " + summary);
        }
        return summary;
    }

    /** Each line indented by one space, blank lines as " .", leading and trailing blank lines dropped. */
    static String longDescription(String description) {
        if (description == null || description.isBlank()) {
            return "";
        }
        List<String> lines = new ArrayList<>(description.lines().map(String::stripTrailing).toList());
        while (!lines.isEmpty() && lines.get(0).isEmpty()) {
            lines.remove(0);
        }
        while (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
            lines.remove(lines.size() - 1);
        }
        StringBuilder b = new StringBuilder();
        for (String line : lines) {
            b.append(line.isEmpty() || line.equals(".") ? " ." : " " + line).append('\n');
        }
        return b.toString();
    }

    private static void field(StringBuilder c, String name, String value) {
        if (value.isBlank() || value.contains("\n") || value.contains("\r")) {
            throw new IllegalArgumentException(name + " must be one non-empty line, got '" + value + "'");
        }
        c.append(name).append(": ").append(value.strip()).append('\n');
    }

    /** The same grammar the repository's reader holds packages to: Cutter never builds a .deb it would refuse. */
    private static void validate(PackageMetadata metadata, String version) {
        String name = metadata.name();
        DebFields.problem(DebFields.Field.PACKAGE, name).ifPresent(p -> {
            throw new IllegalArgumentException(p);
        });
        DebFields.problem(DebFields.Field.VERSION, version).ifPresent(p -> {
            throw new IllegalArgumentException(name + ": " + p);
        });
        DebFields.problem(DebFields.Field.ARCHITECTURE, metadata.architecture()).ifPresent(p -> {
            throw new IllegalArgumentException(name + ": " + p);
        });
        Objects.requireNonNull(metadata.sourceDate(), "sourceDate");
    }

    private static OutputStream compress(Compression compression, OutputStream out) throws IOException {
        OutputStream unclosable = new java.io.FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                flush();
            }
        };
        return switch (compression) {
            case GZIP -> {
                GzipParameters parameters = new GzipParameters();
                parameters.setCompressionLevel(9);
                parameters.setModificationTime(0);
                parameters.setOperatingSystem(3);
                yield new BufferedOutputStream(new GzipCompressorOutputStream(unclosable, parameters), 1 << 16);
            }
            case XZ -> new BufferedOutputStream(new XZOutputStream(unclosable, new LZMA2Options(6), XZ.CHECK_CRC64), 1 << 16);
        };
    }

    private static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is missing from this Java runtime", e);
        }
    }
}
