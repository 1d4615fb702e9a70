package dev.cutter.oci;

import dev.cutter.content.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

/**
 * A directory of blobs, each in a file named by the hex of its sha256 digest — the layout of an
 * OCI {@code blobs/sha256/} directory. A blob is written under a temporary name, synced, then
 * renamed to its digest: a reader (or a resumed run) finds a complete blob or none.
 * Temporary names start with {@code .tmp-}, which no digest does: a layout is a content store that
 * readers enter only through {@code index.json}, and its callers (a copy, an inspection) need no
 * run, so a blob is made in its own directory rather than in a {@link dev.cutter.content.Staging}.
 */
final class BlobDir {
    static final String TEMP_PREFIX = ".tmp-";

    private final Path dir;

    BlobDir(Path dir) throws IOException {
        this.dir = Files.createDirectories(dir);
    }

    Path dir() {
        return dir;
    }

    Path path(Digest digest) {
        return dir.resolve(digest.hex());
    }

    boolean has(Digest digest) {
        return Files.isRegularFile(path(digest));
    }

    /** A new, empty temporary file in this directory, with the default permissions of new files. */
    Path temp() throws IOException {
        return temp(dir);
    }

    static Path temp(Path dir) throws IOException {
        while (true) {
            Path temp = dir.resolve(TEMP_PREFIX + UUID.randomUUID());
            try {
                return Files.createFile(temp);
            } catch (FileAlreadyExistsException e) {
                // another name, then
            }
        }
    }

    /** Writes small content (configs, manifests, indexes) as a blob; returns its descriptor. */
    Descriptor write(String mediaType, byte[] bytes) throws IOException {
        Digest digest = Digest.sha256(bytes);
        if (!has(digest)) {
            Path temp = temp();
            try {
                Files.write(temp, bytes);
                commit(temp, digest);
            } finally {
                Files.deleteIfExists(temp);
            }
        }
        return new Descriptor(mediaType, digest, bytes.length);
    }

    /**
     * Copies {@code source} in as the blob {@code expected}, digesting while copying; refuses it,
     * leaving nothing behind, when its content has another digest. Already there: nothing to do.
     *
     * @return whether the blob was copied (false when it was already there)
     */
    boolean copy(Digest expected, Path source) throws IOException {
        if (has(expected)) {
            return false;
        }
        Path temp = temp();
        try {
            Digest.Counting counted;
            try (InputStream in = Files.newInputStream(source);
                 Digest.Counting out = new Digest.Counting(Files.newOutputStream(temp), expected.algorithm())) {
                in.transferTo(out);
                counted = out;
            }
            Digest actual = counted.digest();
            if (!actual.equals(expected)) {
                throw new DigestMismatchException(source, expected, actual);
            }
            commit(temp, expected);
            return true;
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /**
     * Takes {@code source}, a complete file a builder wrote on this filesystem and named by its
     * digest (its OCI layout's {@code blobs/sha256/HEX}), in as the blob {@code expected} by
     * renaming it: its bytes are neither written nor hashed a second time. Its digest is checked
     * where it leaves the store: a registry checks the digest of every upload ({@code PUT ?digest=}),
     * and a copy into a layout hashes as it writes ({@link #copy}). A file on another filesystem is
     * copied, and hashed, as {@link #copy} does.
     *
     * @return whether the blob was taken (false when it was already there)
     */
    boolean adopt(Digest expected, Path source) throws IOException {
        if (has(expected)) {
            return false;
        }
        if (!Files.isRegularFile(source, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException(source + " is not a regular file, so it cannot be the blob " + expected);
        }
        sync(source);
        try {
            Files.move(source, path(expected), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (java.nio.file.AtomicMoveNotSupportedException e) {
            return copy(expected, source); // another filesystem
        }
        dev.cutter.content.Staging.syncDirectory(dir);
        return true;
    }

    /** Syncs a complete temporary file and renames it to its digest; a blob already there wins. */
    void commit(Path temp, Digest digest) throws IOException {
        Path target = path(digest);
        if (Files.exists(target)) {
            Files.delete(temp);
            return;
        }
        sync(temp);
        moveAtomically(temp, target);
    }

    static void sync(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
    }

    /** Renames in one step, then syncs the directory so the new name survives a crash too. */
    static void moveAtomically(Path temp, Path target) throws IOException {
        dev.cutter.content.Staging.move(temp, target);
    }
}
