package dev.cutter.content;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Files Cutter publishes (packages, archives, checksums, signatures, repository indexes, release
 * assets) are written beside their target and renamed into place. A temporary file is created
 * 0600, and a web server running as another user could not serve it; so each is made 0644, as
 * apt-ftparchive, createrepo_c and GoReleaser's files are, whatever the umask.
 */
public final class PublishedFiles {
    /** rw-r--r--: the owner writes, everyone reads. */
    public static final Set<PosixFilePermission> READABLE = PosixFilePermissions.fromString("rw-r--r--");

    private PublishedFiles() {}

    /** Writes {@code target} as {@link AtomicFiles#write} does, 0644. */
    public static void write(Path target, AtomicFiles.Writer writer) throws IOException {
        Path temp = createTemp(target.toAbsolutePath().getParent(), "." + target.getFileName(), ".tmp");
        AtomicFiles.replace(temp, target, writer);
    }

    /** A new empty temporary file in {@code dir}, 0644, to be renamed to its published name with {@link #moveIntoPlace}. */
    public static Path createTemp(Path dir, String prefix, String suffix) throws IOException {
        return makeReadable(Files.createTempFile(dir, prefix, suffix));
    }

    /** Makes {@code file} 0644 where its file system has POSIX permissions; returns it. */
    public static Path makeReadable(Path file) throws IOException {
        if (Files.getFileStore(file).supportsFileAttributeView(PosixFileAttributeView.class)) {
            Files.setPosixFilePermissions(file, READABLE);
        }
        return file;
    }

    /**
     * Renames {@code temp} over {@code target} in one step, so readers see the old file or the new
     * one, never half; where the file system cannot rename atomically, a plain rename.
     */
    public static void moveIntoPlace(Path temp, Path target) throws IOException {
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
