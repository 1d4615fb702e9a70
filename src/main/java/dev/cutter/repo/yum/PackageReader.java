package dev.cutter.repo.yum;

import dev.cutter.pkg.rpm.RpmFormatException;
import dev.cutter.pkg.rpm.RpmHeader;
import dev.cutter.pkg.rpm.RpmHeaders;
import dev.cutter.pkg.rpm.RpmNames;
import dev.cutter.pkg.rpm.RpmTag;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * Makes a {@link YumPackage} from an .rpm in one pass over the file: the headers are parsed, the
 * payload only streams through SHA-256 (and, when adding a package, into its copy).
 */
final class PackageReader {
    static final int CHANGELOG_LIMIT = 10;
    private static final int S_IFMT = 0170000;
    private static final int S_IFDIR = 0040000;
    private static final int SENSE_MASK = RpmTag.SENSE_LESS | RpmTag.SENSE_GREATER | RpmTag.SENSE_EQUAL;

    private PackageReader() {}

    /**
     * Reads the package from {@code in} to its end, copying every byte to {@code copy} when it is
     * not null.
     */
    static YumPackage read(InputStream in, OutputStream copy, String source, String location, long fileTime)
            throws IOException {
        HashingInputStream hashing = new HashingInputStream(in, copy);
        RpmHeaders headers = RpmHeaders.read(hashing, source);
        hashing.drain();
        try {
            return fromHeaders(headers, source, location, HexFormat.of().formatHex(hashing.digest()), hashing.count(),
                    fileTime);
        } catch (IllegalStateException e) { // a tag of the wrong type, or data running past the header's end
            throw new RpmFormatException(e.getMessage() + "; the package is corrupt");
        }
    }

    private static YumPackage fromHeaders(RpmHeaders headers, String source, String location, String sha256,
            long size, long fileTime) throws RpmFormatException {
        RpmHeader h = headers.header();
        RpmHeader sig = headers.signature();
        String name = h.string(RpmTag.NAME).orElseThrow(() -> new RpmFormatException(source + " has no package name"));
        if (!h.has(RpmTag.SOURCERPM)) {
            throw new RpmFormatException(source + " is a source package (no SOURCERPM tag); a yum repository of"
                    + " binary packages cannot index it");
        }
        // the name, version, release and arch become Packages/name-version-release.arch.rpm: held to rpm's grammar first
        String version = h.string(RpmTag.VERSION).orElse("");
        String release = h.string(RpmTag.RELEASE).orElse("");
        String arch = h.string(RpmTag.ARCH).orElse("");
        check(RpmNames.Tag.NAME, name, source);
        check(RpmNames.Tag.VERSION, version, source);
        check(RpmNames.Tag.RELEASE, release, source);
        check(RpmNames.Tag.ARCH, arch, source);
        List<YumPackage.PackagedFile> files = files(h, source);
        Set<String> primaryFiles = new HashSet<>();
        for (YumPackage.PackagedFile f : files) {
            if (MetadataXml.isPrimaryFile(f.path())) {
                primaryFiles.add(f.path());
            }
        }
        List<YumPackage.Dependency> provides = deps(h, RpmTag.PROVIDENAME, RpmTag.PROVIDEFLAGS, RpmTag.PROVIDEVERSION,
                false, Set.of(), List.of());
        long archive = sig.number(RpmTag.SIG_LONGARCHIVESIZE).or(() -> sig.number(RpmTag.SIG_PAYLOADSIZE))
                .or(() -> h.number(RpmTag.ARCHIVESIZE)).orElse(0L);
        return new YumPackage(name,
                arch,
                h.number(RpmTag.EPOCH).orElse(0L),
                version,
                release,
                location, sha256, size, fileTime,
                h.number(RpmTag.BUILDTIME).orElse(0L),
                h.number(RpmTag.LONGSIZE).or(() -> h.number(RpmTag.SIZE)).orElse(0L),
                archive,
                headers.headerStart(), headers.headerEnd(),
                h.string(RpmTag.SUMMARY).orElse(""),
                h.string(RpmTag.DESCRIPTION).orElse(""),
                h.string(RpmTag.PACKAGER).orElse(""),
                h.string(RpmTag.URL).orElse(""),
                h.string(RpmTag.LICENSE).orElse(""),
                h.string(RpmTag.VENDOR).orElse(""),
                h.string(RpmTag.GROUP).orElse(""),
                h.string(RpmTag.BUILDHOST).orElse(""),
                h.string(RpmTag.SOURCERPM).orElse(""),
                provides,
                deps(h, RpmTag.REQUIRENAME, RpmTag.REQUIREFLAGS, RpmTag.REQUIREVERSION, true, primaryFiles, provides),
                deps(h, RpmTag.CONFLICTNAME, RpmTag.CONFLICTFLAGS, RpmTag.CONFLICTVERSION, false, Set.of(), List.of()),
                deps(h, RpmTag.OBSOLETENAME, RpmTag.OBSOLETEFLAGS, RpmTag.OBSOLETEVERSION, false, Set.of(), List.of()),
                deps(h, RpmTag.SUGGESTNAME, RpmTag.SUGGESTFLAGS, RpmTag.SUGGESTVERSION, false, Set.of(), List.of()),
                deps(h, RpmTag.ENHANCENAME, RpmTag.ENHANCEFLAGS, RpmTag.ENHANCEVERSION, false, Set.of(), List.of()),
                deps(h, RpmTag.RECOMMENDNAME, RpmTag.RECOMMENDFLAGS, RpmTag.RECOMMENDVERSION, false, Set.of(),
                        List.of()),
                deps(h, RpmTag.SUPPLEMENTNAME, RpmTag.SUPPLEMENTFLAGS, RpmTag.SUPPLEMENTVERSION, false, Set.of(),
                        List.of()),
                files,
                changelogs(h));
    }

    private static void check(RpmNames.Tag tag, String value, String source) throws RpmFormatException {
        java.util.Optional<String> problem = RpmNames.tagProblem(tag, value);
        if (problem.isPresent()) {
            throw new RpmFormatException(source + ": " + problem.get());
        }
    }

    private static List<YumPackage.PackagedFile> files(RpmHeader h, String source) throws RpmFormatException {
        List<String> basenames = h.strings(RpmTag.BASENAMES);
        List<String> dirnames = h.strings(RpmTag.DIRNAMES);
        long[] dirIndexes = h.numbers(RpmTag.DIRINDEXES);
        long[] modes = h.numbers(RpmTag.FILEMODES);
        long[] flags = h.numbers(RpmTag.FILEFLAGS);
        if (dirIndexes.length != basenames.size()) {
            throw new RpmFormatException(source + " lists " + basenames.size() + " file names but " + dirIndexes.length
                    + " directory indexes; the package is corrupt");
        }
        List<YumPackage.PackagedFile> files = new ArrayList<>(basenames.size());
        for (int i = 0; i < basenames.size(); i++) {
            if (dirIndexes[i] < 0 || dirIndexes[i] >= dirnames.size()) {
                throw new RpmFormatException(source + ": file " + basenames.get(i) + " names directory " + dirIndexes[i]
                        + " of " + dirnames.size() + "; the package is corrupt");
            }
            String path = dirnames.get((int) dirIndexes[i]) + basenames.get(i);
            String type = "";
            if (i < modes.length && (modes[i] & S_IFMT) == S_IFDIR) {
                type = "dir";
            } else if (i < flags.length && (flags[i] & RpmTag.FILE_GHOST) != 0) {
                type = "ghost";
            }
            files.add(new YumPackage.PackagedFile(path, type));
        }
        return files;
    }

    /**
     * A dependency list as createrepo_c writes it: requires skip rpmlib() features, the
     * package's own primary files and its own provides, and repeat no (name, flags, version, pre).
     */
    private static List<YumPackage.Dependency> deps(RpmHeader h, int nameTag, int flagsTag, int versionTag,
            boolean requires, Set<String> primaryFiles, List<YumPackage.Dependency> provides) {
        List<String> names = h.strings(nameTag);
        long[] flags = h.numbers(flagsTag);
        List<String> versions = h.strings(versionTag);
        List<YumPackage.Dependency> result = new ArrayList<>(names.size());
        Set<YumPackage.Dependency> seen = new HashSet<>();
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            long flag = i < flags.length ? flags[i] : 0;
            String version = i < versions.size() ? versions.get(i) : "";
            boolean pre = false;
            if (requires) {
                if (name.startsWith("rpmlib(") || primaryFiles.contains(name)) {
                    continue;
                }
                pre = (flag & (RpmTag.SENSE_PREREQ | RpmTag.SENSE_SCRIPT_PRE | RpmTag.SENSE_SCRIPT_POST)) != 0;
            }
            YumPackage.Dependency dep = dependency(name, flag, version, pre);
            if (requires) {
                YumPackage.Dependency asProvide = new YumPackage.Dependency(dep.name(), dep.flags(), dep.epoch(),
                        dep.version(), dep.release(), false);
                if (provides.contains(asProvide) || !seen.add(dep)) {
                    continue;
                }
            }
            result.add(dep);
        }
        return result;
    }

    static YumPackage.Dependency dependency(String name, long flags, String evr, boolean pre) {
        String sense = switch ((int) (flags & SENSE_MASK)) {
            case RpmTag.SENSE_EQUAL -> "EQ";
            case RpmTag.SENSE_LESS -> "LT";
            case RpmTag.SENSE_LESS | RpmTag.SENSE_EQUAL -> "LE";
            case RpmTag.SENSE_GREATER -> "GT";
            case RpmTag.SENSE_GREATER | RpmTag.SENSE_EQUAL -> "GE";
            default -> "";
        };
        if (evr.isEmpty()) {
            return new YumPackage.Dependency(name, sense, "", "", "", pre);
        }
        String epoch = "0";
        String rest = evr;
        int colon = evr.indexOf(':');
        if (colon >= 0) {
            epoch = colon == 0 ? "0" : evr.substring(0, colon);
            rest = evr.substring(colon + 1);
        }
        int dash = rest.lastIndexOf('-');
        String version = dash < 0 ? rest : rest.substring(0, dash);
        String release = dash < 0 ? "" : rest.substring(dash + 1);
        return new YumPackage.Dependency(name, sense, epoch, version, release, pre);
    }

    /** The newest {@link #CHANGELOG_LIMIT} entries, oldest first, as createrepo_c keeps them by default. */
    private static List<YumPackage.Changelog> changelogs(RpmHeader h) {
        long[] times = h.numbers(RpmTag.CHANGELOGTIME);
        List<String> names = h.strings(RpmTag.CHANGELOGNAME);
        List<String> texts = h.strings(RpmTag.CHANGELOGTEXT);
        int n = Math.min(Math.min(times.length, names.size()), Math.min(texts.size(), CHANGELOG_LIMIT));
        List<YumPackage.Changelog> result = new ArrayList<>(n);
        for (int i = n - 1; i >= 0; i--) {
            result.add(new YumPackage.Changelog(names.get(i), times[i], texts.get(i)));
        }
        return result;
    }

    private static final ThreadLocal<byte[]> DRAIN = ThreadLocal.withInitial(() -> new byte[1 << 16]);

    /** Counts and hashes what is read, and copies it to a second stream when one is given. */
    private static final class HashingInputStream extends FilterInputStream {
        private final MessageDigest digest;
        private final OutputStream copy;
        private long count;

        HashingInputStream(InputStream in, OutputStream copy) {
            super(in);
            this.copy = copy;
            try {
                this.digest = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                seen(new byte[] {(byte) b}, 0, 1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                seen(b, off, n);
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            throw new UnsupportedOperationException("every byte must be hashed");
        }

        private void seen(byte[] b, int off, int len) throws IOException {
            digest.update(b, off, len);
            count += len;
            if (copy != null) {
                copy.write(b, off, len);
            }
        }

        void drain() throws IOException {
            byte[] buffer = DRAIN.get();
            while (read(buffer, 0, buffer.length) != -1) {
                // hashed (and copied) by read
            }
        }

        byte[] digest() {
            return digest.digest();
        }

        long count() {
            return count;
        }
    }
}
