package dev.cutter.content;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The lock of a tree Cutter changes in several steps (a package repository, a release store, an
 * OCI layout): one holder at a time, across processes (a file lock on a file of the tree) and
 * across the threads of this JVM (which a file lock does not exclude: the JVM refuses a second
 * lock on a file it holds one on). Readers take none; the steps are atomic renames they never see half of.
 */
public final class TreeLock implements AutoCloseable {
    private static final ConcurrentHashMap<Path, ReentrantLock> LOCAL = new ConcurrentHashMap<>();

    private final ReentrantLock local;
    private final FileChannel channel;
    private final FileLock file;

    private TreeLock(ReentrantLock local, FileChannel channel, FileLock file) {
        this.local = local;
        this.channel = channel;
        this.file = file;
    }

    /** Waits for the lock {@code lockFile} stands for (created, with its directory, if missing) and takes it. */
    public static TreeLock acquire(Path lockFile) throws IOException {
        Path dir = Files.createDirectories(lockFile.toAbsolutePath().normalize().getParent()).toRealPath();
        Path key = dir.resolve(lockFile.getFileName().toString()); // one key per file, whichever path leads to it
        ReentrantLock local = LOCAL.computeIfAbsent(key, k -> new ReentrantLock());
        local.lock();
        FileChannel channel = null;
        try {
            channel = FileChannel.open(key, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            return new TreeLock(local, channel, channel.lock());
        } catch (IOException | RuntimeException | Error e) {
            if (channel != null) {
                channel.close();
            }
            local.unlock();
            throw e;
        }
    }

    @Override
    public void close() throws IOException {
        try {
            file.release();
            channel.close();
        } finally {
            local.unlock();
        }
    }
}
