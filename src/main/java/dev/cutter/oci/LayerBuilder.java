package dev.cutter.oci;

import dev.cutter.archive.TarWriter;
import dev.cutter.content.Digest;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

/**
 * Builds a layer from files and directory trees, reproducibly: the same files (by content and
 * executable bit) at the same paths with the same mtime give the same bytes, hence the same
 * digests, whoever builds them, wherever and whenever.
 *
 * <p>A source that is a directory (a build's output, a rootfs) is laid in whole at its path
 * ({@code /} for a rootfs): its directories, empty ones too, its files and its symbolic links (their
 * targets as written), each with the permission bits it has on disk, setuid, setgid and sticky
 * included, since in a tree they are the tree's meaning (a {@code /tmp} is 1777). Device nodes,
 * FIFOs and sockets are refused. Its timestamps and owners are not kept (the given mtime, 0:0).
 *
 * <ul>
 *   <li>Entries sorted by path, component by component (a directory right before its contents),
 *       each parent directory added as an entry of its own, mode 0755.</li>
 *   <li>Every entry has the given mtime, uid and gid 0 and empty user and group names.</li>
 *   <li>A file's mode is 0755 when its source is executable by its owner, else 0644 — never the
 *       source's other bits, which depend on the builder's umask — unless overridden.</li>
 *   <li>gzip at level 6 with no file name, mtime 0 and OS "unknown" in its header.</li>
 * </ul>
 *
 * The compressed bytes also depend on the JDK's deflate implementation (zlib); the uncompressed
 * tar, and so the diff id, depends on nothing else.
 */
public final class LayerBuilder {
    private static final int DIRECTORY_MODE = 0755;
    private static final long MAX_MTIME = 077777777777L;

    private LayerBuilder() {}

    /** How a layer is compressed: gzip (every client) or zstd (smaller, faster; containerd 1.5+, podman, Docker 23+). */
    public enum Compression {
        GZIP(MediaTypes.OCI_LAYER_TAR_GZIP),
        ZSTD(MediaTypes.OCI_LAYER_TAR_ZSTD);

        private final String mediaType;

        Compression(String mediaType) {
            this.mediaType = mediaType;
        }

        public String mediaType() {
            return mediaType;
        }

        public static Compression of(String name) {
            return switch (name) {
                case "gzip" -> GZIP;
                case "zstd" -> ZSTD;
                default -> throw new IllegalArgumentException("a layer is compressed with gzip or zstd, not " + name);
            };
        }

        /** Level 6 gzip as ArchiveWriter writes it; zstd level 3 (its default), single-threaded: the same bytes every time. */
        OutputStream open(OutputStream out) throws IOException {
            return switch (this) {
                case GZIP -> new GzipCompressorOutputStream(out, dev.cutter.archive.ArchiveWriter.gzip());
                case ZSTD -> new com.github.luben.zstd.ZstdOutputStream(out, 3);
            };
        }
    }

    /**
     * Writes a tar+gzip layer of {@code files} into {@code blobDir}, named by the hex of its digest.
     *
     * @param files image path (absolute, normalised: {@code /usr/bin/app}) → source file
     * @param modes image path → permission bits (e.g. {@code 0700}), overriding the source's
     * @param mtimeEpochSeconds the modification time of every entry, e.g. the release commit's
     * @param blobDir where the blob goes, e.g. {@link OciLayout#blobs()}
     */
    public static Layer fromFiles(Map<String, Path> files, Map<String, Integer> modes, long mtimeEpochSeconds,
                                  Path blobDir) throws IOException {
        return fromFiles(files, modes, mtimeEpochSeconds, blobDir, Compression.GZIP);
    }

    /** As {@link #fromFiles(Map, Map, long, Path)}, compressed with {@code compression}. */
    public static Layer fromFiles(Map<String, Path> files, Map<String, Integer> modes, long mtimeEpochSeconds,
                                  Path blobDir, Compression compression) throws IOException {
        return fromFiles(files, modes, mtimeEpochSeconds, blobDir, compression, Tap.NONE);
    }

    /**
     * Sees each entry as it goes into the layer, in the same pass that writes and hashes it: a
     * regular file's bytes through the stream {@link #file} returns (what an SBOM's digests are
     * computed from, so the layer is not read again for them), and every other entry's path.
     */
    public interface Tap {
        Tap NONE = new Tap() {
            @Override
            public InputStream file(String path, InputStream content) {
                return content;
            }

            @Override
            public void other(String path, boolean directory) {}
        };

        /** The stream the layer reads {@code path}'s bytes from: {@code content}, or one that reads it and sees them. */
        InputStream file(String path, InputStream content);

        /** A directory or a symbolic link at {@code path}. */
        void other(String path, boolean directory);
    }

    /** As {@link #fromFiles(Map, Map, long, Path, Compression)}, each entry shown to {@code tap} as it is written. */
    public static Layer fromFiles(Map<String, Path> files, Map<String, Integer> modes, long mtimeEpochSeconds,
                                  Path blobDir, Compression compression, Tap tap) throws IOException {
        if (mtimeEpochSeconds < 0 || mtimeEpochSeconds > MAX_MTIME) {
            throw new IllegalArgumentException("layer mtime " + mtimeEpochSeconds
                    + " is outside 0.." + MAX_MTIME + " seconds since 1970-01-01T00:00:00Z");
        }
        List<Entry> entries = entries(files, modes);
        BlobDir blobs = new BlobDir(blobDir);
        Path temp = blobs.temp();
        try {
            Digest.Counting compressed;
            Digest.Counting tarBytes;
            try (OutputStream file = Files.newOutputStream(temp);
                 Digest.Counting counted = new Digest.Counting(new BufferedOutputStream(file, 1 << 16));
                 OutputStream compressor = compression.open(counted);
                 Digest.Counting tarCounted = new Digest.Counting(new BufferedOutputStream(compressor, 1 << 16))) {
                TarWriter tar = new TarWriter(tarCounted);
                for (Entry entry : entries) {
                    if (entry.link() != null) {
                        tar.symlink(entry.name(), entry.link(), mtimeEpochSeconds);
                        tap.other(entry.name(), false);
                    } else if (entry.source() == null) {
                        tar.directory(entry.name(), entry.mode(), mtimeEpochSeconds);
                        tap.other(entry.name(), true);
                    } else {
                        try (InputStream in = tap.file(entry.name(), Files.newInputStream(entry.source()))) {
                            tar.file(entry.name(), entry.mode(), mtimeEpochSeconds, entry.size(), in);
                        }
                    }
                }
                tar.finish();
                compressed = counted;
                tarBytes = tarCounted;
            }
            Digest digest = compressed.digest();
            Digest diffId = tarBytes.digest();
            blobs.commit(temp, digest);
            return new Layer(new Descriptor(compression.mediaType(), digest, compressed.size()), diffId,
                    blobs.path(digest));
        } finally {
            Files.deleteIfExists(temp);
        }
    }


    /** A tar entry: a symbolic link when {@code link} is set, else a directory when {@code source} is null. */
    private record Entry(String name, Path source, long size, int mode, String link) {
        boolean directory() {
            return source == null && link == null;
        }
    }

    /** An entry at a path no other entry has; two sources at one path would make the layer depend on their order. */
    private static void put(TreeMap<String, Entry> sorted, Entry entry) {
        Entry before = sorted.put(entry.name(), entry);
        if (before != null && !(before.directory() && entry.directory())) {
            throw new IllegalArgumentException("/" + entry.name() + " comes from two sources in the layer");
        }
    }

    /** Every directory, file and symbolic link under {@code source}, at {@code path} in the image. */
    private static void tree(String path, Path source, TreeMap<String, Entry> sorted) throws IOException {
        String prefix = path.equals("/") ? "" : path.substring(1);
        if (!prefix.isEmpty()) {
            put(sorted, new Entry(prefix, null, 0, unixMode(source), null));
        }
        List<Path> found;
        try (var walk = Files.walk(source)) { // does not follow links
            found = walk.filter(p -> !p.equals(source)).toList();
        }
        for (Path p : found) {
            String relative = source.relativize(p).toString().replace('\\', '/');
            String name = prefix.isEmpty() ? relative : prefix + "/" + relative;
            checkPath("/" + name);
            if (Files.isSymbolicLink(p)) {
                put(sorted, new Entry(name, null, 0, 0777, Files.readSymbolicLink(p).toString()));
            } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                put(sorted, new Entry(name, null, 0, unixMode(p), null));
            } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                put(sorted, new Entry(name, p, Files.size(p), unixMode(p), null));
            } else {
                throw new IllegalArgumentException(p + " is neither a file, a directory nor a symbolic link (a device,"
                        + " FIFO or socket); it cannot be part of /" + name + " in the image");
            }
        }
    }

    /** The permission bits of {@code p} with setuid, setgid and sticky. */
    private static int unixMode(Path p) throws IOException {
        try {
            return ((Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS)) & 07777;
        } catch (UnsupportedOperationException e) {
            return Files.isDirectory(p) ? DIRECTORY_MODE : sourceMode(p);
        }
    }

    /** Sorted entries, parents first; refuses paths that cannot be a file in an image. */
    private static List<Entry> entries(Map<String, Path> files, Map<String, Integer> modes) throws IOException {
        TreeMap<String, Entry> sorted = new TreeMap<>(BY_COMPONENTS);
        for (Map.Entry<String, Path> file : new TreeMap<>(files).entrySet()) {
            Path source = file.getValue();
            if (Files.isDirectory(source, LinkOption.NOFOLLOW_LINKS)) {
                String path = file.getKey().equals("/") ? "/" : checkPath(file.getKey());
                if (modes.containsKey(path)) {
                    throw new IllegalArgumentException("mode given for " + path + ", a directory tree; its modes are those on disk");
                }
                tree(path, source, sorted);
                continue;
            }
            String path = checkPath(file.getKey());
            if (!Files.exists(source)) {
                throw new NoSuchFileException(source.toString(), null, "the source of " + path + " in the image does not exist");
            }
            if (!Files.isRegularFile(source)) {
                throw new IllegalArgumentException(path + ": source " + source + " is not a regular file");
            }
            Integer override = modes.get(path);
            int mode = override != null ? checkMode(path, override) : sourceMode(source);
            put(sorted, new Entry(path.substring(1), source, Files.size(source), mode, null));
        }
        for (String mode : modes.keySet()) {
            if (!files.containsKey(mode)) {
                throw new IllegalArgumentException("mode given for " + mode + ", which is not one of the layer's files");
            }
        }
        List<Entry> directories = new ArrayList<>();
        for (String name : sorted.keySet()) {
            for (int slash = name.indexOf('/'); slash > 0; slash = name.indexOf('/', slash + 1)) {
                String parent = name.substring(0, slash);
                Entry there = sorted.get(parent);
                if (there != null && !there.directory()) {
                    throw new IllegalArgumentException("/" + parent + " is a file in the layer and also the directory of /" + name);
                }
                directories.add(new Entry(parent + "/", null, 0, DIRECTORY_MODE, null));
            }
        }
        for (Entry directory : directories) {
            sorted.putIfAbsent(directory.name().substring(0, directory.name().length() - 1), directory);
        }
        return List.copyOf(sorted.values());
    }

    /** Path order, component by component: {@code a/b}, {@code a/b/c}, {@code a/b-c}. */
    static final Comparator<String> BY_COMPONENTS = (left, right) -> Arrays.compare(left.split("/"), right.split("/"));

    private static String checkPath(String path) {
        if (path == null || !path.startsWith("/") || path.equals("/")) {
            throw new IllegalArgumentException("'" + path + "' is not an absolute file path in the image; write e.g. /usr/bin/app");
        }
        for (String part : path.substring(1).split("/", -1)) {
            if (part.isEmpty() || part.equals(".") || part.equals("..")) {
                throw new IllegalArgumentException("'" + path + "' is not a normalised path in the image"
                        + " (no empty, '.' or '..' parts, no trailing '/'); write e.g. /usr/bin/app");
            }
        }
        for (int i = 0; i < path.length(); i++) {
            if (path.charAt(i) < 0x20 || path.charAt(i) == 0x7f) {
                throw new IllegalArgumentException("'" + path.replaceAll("\\p{Cntrl}", "?") + "' contains a control character");
            }
        }
        return path;
    }

    private static int checkMode(String path, int mode) {
        if (mode < 0 || mode > 07777) {
            throw new IllegalArgumentException("mode " + Integer.toOctalString(mode) + " of " + path
                    + " is not a permission mode; write e.g. 0755 (at most 07777)");
        }
        return mode;
    }

    private static int sourceMode(Path source) throws IOException {
        boolean executable;
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(source);
            executable = permissions.contains(PosixFilePermission.OWNER_EXECUTE);
        } catch (UnsupportedOperationException e) {
            executable = Files.isExecutable(source);
        }
        return executable ? 0755 : 0644;
    }
}
