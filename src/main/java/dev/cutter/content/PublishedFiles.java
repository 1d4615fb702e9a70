package dev.cutter.content;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Files Cutter publishes (packages, archives, checksums, signatures, repository indexes, release
 * assets) are made in a {@link Staging} and moved into place. A temporary file is created 0600,
 * and a web server running as another user could not serve it; so each is made 0644, as
 * apt-ftparchive, createrepo_c and GoReleaser's files are, whatever the umask.
 */
public final class PublishedFiles {
    /** rw-r--r--: the owner writes, everyone reads. */
    public static final Set<PosixFilePermission> READABLE = PosixFilePermissions.fromString("rw-r--r--");

    private PublishedFiles() {}

    /** Makes {@code file} 0644 where its file system has POSIX permissions; returns it. */
    public static Path makeReadable(Path file) throws IOException {
        if (Files.getFileStore(file).supportsFileAttributeView(PosixFileAttributeView.class)) {
            Files.setPosixFilePermissions(file, READABLE);
        }
        return file;
    }
}
