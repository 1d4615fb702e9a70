package dev.cutter.release;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.nio.file.LinkOption.NOFOLLOW_LINKS;

import dev.cutter.content.Digest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Real files for release tests (of every store), and a way to tell whether a directory was touched at all. */
public final class Fixtures {
    public static final Instant T0 = Instant.parse("2025-05-01T12:00:00Z");

    private Fixtures() {}

    public static Asset asset(Path dir, String name, String content, Integer installOrder) {
        try {
            Path file = dir.resolve("src-" + Integer.toHexString(name.hashCode()) + "-" + Integer.toHexString(content.hashCode()));
            Files.writeString(file, content, UTF_8);
            return Asset.of(name, file, Optional.ofNullable(installOrder));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static ReleaseDraft draft(String name, Instant created, String notes, List<Asset> assets) {
        return new ReleaseDraft(name, "km", name.startsWith("v") ? name.substring(1) : name, "beta", name,
                Optional.of("4f1c0ffee"), created, assets, notes, false, false);
    }

    /** The KM release: the KM tarball installed first, a runtime environment second, checksums. */
    public static ReleaseDraft km(Path sources, String name, String variant) {
        return draft(name, T0, "KM " + name + "\n", List.of(
                asset(sources, "runenv-python.tar.gz", "python " + variant, 2),
                asset(sources, "kontain.tar.gz", "km " + variant, 1),
                asset(sources, "SHA256SUMS", "sums " + variant, null)));
    }

    /** Sets every file and directory under {@code root} to an old modification time, so a rewrite shows. */
    static void age(Path root) throws IOException {
        FileTime old = FileTime.from(Instant.parse("2000-01-01T00:00:00Z"));
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.toList()) {
                if (!Files.isSymbolicLink(path)) {
                    Files.setLastModifiedTime(path, old);
                }
            }
        }
    }

    /**
     * Every entry under {@code root} (links not followed) with its type, inode, modification and
     * change times and its content (or link target): equal snapshots mean nothing was written,
     * replaced, renamed or re-created, not merely that the bytes are the same.
     */
    static Map<String, String> snapshot(Path root) throws IOException {
        Map<String, String> entries = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.toList()) {
                Map<String, Object> unix = Files.readAttributes(path, "unix:ino,ctime,lastModifiedTime,mode", NOFOLLOW_LINKS);
                String content = Files.isSymbolicLink(path) ? "-> " + Files.readSymbolicLink(path)
                        : Files.isRegularFile(path, NOFOLLOW_LINKS) ? Digest.sha256(path).toString()
                        : "dir";
                entries.put(root.relativize(path).toString(), content + " ino=" + unix.get("ino") + " mtime="
                        + unix.get("lastModifiedTime") + " ctime=" + unix.get("ctime") + " mode=" + unix.get("mode"));
            }
        }
        return entries;
    }

    /** The names of the entries directly in {@code dir}, or none when it does not exist. */
    static List<String> entries(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> paths = Files.list(dir)) {
            return paths.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
