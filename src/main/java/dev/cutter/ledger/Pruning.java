package dev.cutter.ledger;

import java.time.Instant;

/**
 * What a ledger lets go of as it ages: the log lines of runs that ended long ago, which are most
 * of its size and which no law reads. Everything a law decides from stays whatever its age: runs
 * and their states, plans, jobs, artifacts, effects (what was pushed or tagged where, at which
 * digest), publication and version claims (a version released with other bytes is refused),
 * tag locks, tokens and the audit trail. A run still running, however old, keeps its logs.
 */
public interface Pruning {
    /**
     * Deletes the log lines of every run that ended before {@code endedBefore}; with
     * {@code dryRun}, only counts them. A SQLite ledger is compacted afterwards, so the file
     * shrinks; PostgreSQL reuses the space (its autovacuum).
     */
    Pruned prune(Instant endedBefore, boolean dryRun);

    /** What a prune dropped (or would): log lines, and the runs they belonged to. */
    record Pruned(long runs, long logLines) {}
}
