package dev.cutter.content;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Everything under a directory that a reader could tell apart — each entry's kind, permissions and
 * content digest or link target — so a test can say "nothing changed" or "every file is 0644".
 */
public final class TreeSnapshot {
    private TreeSnapshot() {}

    /** Relative path → "dir rwxr-xr-x", "file rw-r--r-- sha256:…" or "link → target"; empty when {@code root} is absent. */
    public static Map<String, String> of(Path root) {
        Map<String, String> entries = new TreeMap<>();
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return entries;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.toList()) {
                String name = root.relativize(p).toString();
                if (Files.isSymbolicLink(p)) {
                    entries.put(name, "link → " + Files.readSymbolicLink(p));
                } else if (Files.isDirectory(p)) {
                    entries.put(name, "dir " + PosixFilePermissions.toString(Files.getPosixFilePermissions(p)));
                } else {
                    entries.put(name, "file " + PosixFilePermissions.toString(Files.getPosixFilePermissions(p)) + " " + Digest.sha256(p));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return entries;
    }
}
