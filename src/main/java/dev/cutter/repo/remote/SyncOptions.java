package dev.cutter.repo.remote;

import java.time.Duration;
import java.util.Objects;

/**
 * How {@link SftpPublisher#sync} runs.
 *
 * @param delete delete remote entries the local tree no longer has (stale pool packages, old
 *     generations, old repodata); without it the remote keeps them
 * @param dryRun list the remote, plan and report, change nothing
 * @param connections SSH connections (each with one SFTP channel) uploading in parallel; one
 *     connection does the listing, the links, the entry points and the manifest
 * @param timeout connect timeout, and how long a silent server is waited for (keep-alives) before
 *     the connection counts as lost
 */
public record SyncOptions(boolean delete, boolean dryRun, int connections, Duration timeout) {
    public SyncOptions {
        Objects.requireNonNull(timeout, "timeout");
        if (connections < 1 || connections > 16) {
            throw new IllegalArgumentException("connections must be in 1..16, not " + connections);
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive");
        }
    }

    /** Deletes, changes the remote, 4 connections, 60 s timeout. */
    public static SyncOptions defaults() {
        return new SyncOptions(true, false, 4, Duration.ofSeconds(60));
    }

    public SyncOptions withDelete(boolean delete) {
        return new SyncOptions(delete, dryRun, connections, timeout);
    }

    public SyncOptions withDryRun(boolean dryRun) {
        return new SyncOptions(delete, dryRun, connections, timeout);
    }

    public SyncOptions withConnections(int connections) {
        return new SyncOptions(delete, dryRun, connections, timeout);
    }

    public SyncOptions withTimeout(Duration timeout) {
        return new SyncOptions(delete, dryRun, connections, timeout);
    }
}
