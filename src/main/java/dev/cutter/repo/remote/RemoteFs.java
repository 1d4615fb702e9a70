package dev.cutter.repo.remote;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;

/**
 * The few SFTP operations a sync needs, on one connection: the side effects behind a small
 * interface (tests wrap it to record the order of operations or to fail mid-way). Paths are remote
 * paths as the server reads them. Every failure is a {@link SyncException} naming the host and path.
 */
interface RemoteFs extends Closeable {
    /** The kind of a remote (or local) directory entry. */
    enum Kind { FILE, DIRECTORY, LINK, OTHER }

    /** One directory entry, as lstat sees it (links are not followed). */
    record Entry(String name, Kind kind, long size, long mtimeSeconds) {}

    /** Entries of a directory, without {@code .} and {@code ..}. */
    List<Entry> list(String dir) throws IOException;

    /** The entry at {@code path}, links not followed; empty when nothing is there. */
    Optional<Entry> lstat(String path) throws IOException;

    String readlink(String path) throws IOException;

    /** A small file's content (the manifest); empty when it does not exist. */
    Optional<byte[]> read(String path) throws IOException;

    void mkdir(String path) throws IOException;

    /** Streams the file at {@code path} into {@code out} (not closed). */
    void download(String path, java.io.OutputStream out) throws IOException;

    /** Creates or truncates {@code path} and streams {@code in} into it; returns the bytes written. */
    long upload(InputStream in, String path) throws IOException;

    void setMtime(String path, long epochSeconds) throws IOException;

    /**
     * Renames {@code from} over {@code to}, replacing a file or link there: atomically with
     * {@code posix-rename@openssh.com}; without it (see {@link #atomicRename}) by removing
     * {@code to} first, which leaves a moment where {@code to} does not exist.
     */
    void rename(String from, String to) throws IOException;

    /** Whether {@link #rename} is atomic on this server. */
    boolean atomicRename();

    /** Creates a symbolic link at {@code link} whose target is {@code target} (kept as given, relative or not). */
    void symlink(String target, String link) throws IOException;

    void remove(String path) throws IOException;

    void rmdir(String path) throws IOException;

    /** Opens connections; the publisher asks for one per parallel worker. */
    @FunctionalInterface
    interface Connector {
        RemoteFs connect(SftpTarget target, SshAuth auth, SyncOptions options) throws IOException;
    }
}
