package dev.cutter.repo.remote;

import dev.cutter.repo.remote.RemoteFs.Kind;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A directory tree by relative path ({@code a/b/c}, '/'-separated, the root itself excluded), links
 * not followed; and the entries a sync keeps for itself (temporary files, the manifest).
 */
record Tree(NavigableMap<String, Node> nodes, List<String> temporaries) {
    /** Names starting with this are a sync's temporary files, cleaned up by the next sync. */
    static final String TEMP_PREFIX = ".cutter-tmp-";
    /** The manifest at the root of the remote: sha256 of every file a sync uploaded. */
    static final String MANIFEST = ".cutter-sync.json";

    /**
     * One entry: its kind, size and modification time (of a file), target (of a link), and for a
     * local file its {@link #stamp}.
     */
    record Node(Kind kind, long size, long mtimeMillis, String linkTarget, String stamp) {
        static Node file(long size, long mtimeMillis) {
            return new Node(Kind.FILE, size, mtimeMillis, null, "");
        }

        static Node localFile(long size, long mtimeMillis, String stamp) {
            return new Node(Kind.FILE, size, mtimeMillis, null, stamp);
        }

        static Node directory() {
            return new Node(Kind.DIRECTORY, 0, 0, null, "");
        }

        static Node link(String target) {
            return new Node(Kind.LINK, 0, 0, Objects.requireNonNull(target), "");
        }
    }

    /**
     * What tells that a local file is still the very file whose sha256 was computed: its file key
     * (device and inode), its change time, size and modification time. The modification time alone
     * does not: Cutter gives every file it writes the source date, so an index rewritten with other
     * bytes of the same size looks unchanged to it (rsync's quick check has the same blind spot),
     * and a fresh machine's files carry the times the server gave them. The change time moves on
     * every write and cannot be set back. Empty where the file system has no such attributes: the
     * file is then always hashed.
     */
    static String stamp(Path file, BasicFileAttributes attrs) {
        try {
            Object ctime = Files.getAttribute(file, "unix:ctime", LinkOption.NOFOLLOW_LINKS);
            Object key = attrs.fileKey();
            if (key == null || !(ctime instanceof java.nio.file.attribute.FileTime changed)) {
                return "";
            }
            return key + ":" + changed.to(java.util.concurrent.TimeUnit.NANOSECONDS) + ":" + attrs.size() + ":"
                    + attrs.lastModifiedTime().toMillis();
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException noUnixView) {
            return "";
        }
    }

    Tree {
        nodes = Collections.unmodifiableNavigableMap(new TreeMap<>(nodes));
        temporaries = List.copyOf(temporaries);
    }

    /** Whether a sync keeps {@code rel} for itself: neither uploaded nor deleted as content. */
    static boolean reserved(String rel) {
        String name = rel.substring(rel.lastIndexOf('/') + 1);
        return name.startsWith(TEMP_PREFIX) || rel.equals(MANIFEST);
    }

    /** Scans a local directory (links are kept as links; sockets, fifos and devices are refused). */
    static Tree scanLocal(Path root) throws IOException {
        if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException("not a directory: " + root);
        }
        NavigableMap<String, Node> nodes = new TreeMap<>();
        List<String> temporaries = new ArrayList<>();
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                if (dir.equals(root)) {
                    return FileVisitResult.CONTINUE;
                }
                String rel = rel(root, dir);
                if (reserved(rel)) {
                    temporaries.add(rel);
                    return FileVisitResult.SKIP_SUBTREE;
                }
                nodes.put(rel, Node.directory());
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                String rel = rel(root, file);
                if (reserved(rel)) {
                    temporaries.add(rel);
                } else if (attrs.isSymbolicLink()) {
                    nodes.put(rel, Node.link(Files.readSymbolicLink(file).toString()));
                } else if (attrs.isRegularFile()) {
                    nodes.put(rel, Node.localFile(attrs.size(), attrs.lastModifiedTime().toMillis(), stamp(file, attrs)));
                } else {
                    throw new IOException("cannot publish " + file + ": not a regular file, directory or symbolic link");
                }
                return FileVisitResult.CONTINUE;
            }
        });
        return new Tree(nodes, temporaries);
    }

    /** Lists a remote directory recursively (one request per directory, one per link). Empty when it does not exist. */
    static Tree scanRemote(RemoteFs fs, String root) throws IOException {
        NavigableMap<String, Node> nodes = new TreeMap<>();
        List<String> temporaries = new ArrayList<>();
        if (fs.lstat(root).isEmpty()) {
            return new Tree(nodes, temporaries);
        }
        Deque<String> dirs = new ArrayDeque<>();
        dirs.add("");
        while (!dirs.isEmpty()) {
            String dir = dirs.poll();
            for (RemoteFs.Entry e : fs.list(dir.isEmpty() ? root : root + "/" + dir)) {
                String rel = dir.isEmpty() ? e.name() : dir + "/" + e.name();
                if (reserved(rel)) {
                    if (!rel.equals(MANIFEST)) {
                        temporaries.add(rel);
                    }
                    continue;
                }
                switch (e.kind()) {
                    case DIRECTORY -> {
                        nodes.put(rel, Node.directory());
                        dirs.add(rel);
                    }
                    case LINK -> nodes.put(rel, Node.link(fs.readlink(root + "/" + rel)));
                    case FILE -> nodes.put(rel, Node.file(e.size(), e.mtimeSeconds() * 1000));
                    case OTHER -> nodes.put(rel, new Node(Kind.OTHER, e.size(), e.mtimeSeconds() * 1000, null, ""));
                }
            }
        }
        return new Tree(nodes, temporaries);
    }

    static String rel(Path root, Path p) {
        return root.relativize(p).toString().replace(p.getFileSystem().getSeparator(), "/");
    }
}
