package dev.cutter.ledger;

import static dev.cutter.ledger.Database.bind;
import static dev.cutter.ledger.Database.exists;
import static dev.cutter.ledger.Database.query;
import static dev.cutter.ledger.Database.update;
import static java.util.Objects.requireNonNull;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * Jobs held by runners when a run is scaled out ({@link Ledger#holdJob}, {@link Ledger#renewHold}):
 * a hold lives on the job's row, and a renewal keeps the run's heartbeat fresh too. Tag locks
 * ({@link Ledger#lockTags}) live in their own table, a row per lock, and last as long as the
 * holding run is alive.
 */
final class SqlHolds {
    private final Database database;

    SqlHolds(Database database) {
        this.database = database;
    }

    JobHold holdJob(String runId, String jobId, String runner, Duration staleAfter, Collection<String> group, int limit) {
        requireNonNull(runner, "runner");
        requireNonNull(staleAfter, "staleAfter");
        return database.write("hold job " + jobId + " of run " + runId + " for " + runner, c -> {
            // the run's row first: holders of one group queue here, so they count the group one at a time
            if (!exists(c, "SELECT id FROM runs WHERE id = ?" + database.dialect().forUpdate(), runId)) {
                throw database.unknownRun(runId);
            }
            long now = database.now().toEpochMilli();
            long fresh = now - staleAfter.toMillis();
            JobState state;
            String holder;
            long heldAt;
            try (PreparedStatement select = c.prepareStatement(
                    "SELECT state, holder, held_at FROM jobs WHERE run_id = ? AND job_id = ?" + database.dialect().forUpdate())) {
                bind(select, runId, jobId);
                try (ResultSet rs = select.executeQuery()) {
                    if (!rs.next()) {
                        throw database.unknownJob(runId, jobId);
                    }
                    state = JobState.valueOf(rs.getString(1));
                    holder = rs.getString(2);
                    heldAt = rs.getLong(3);
                }
            }
            if (state == JobState.SUCCEEDED || state == JobState.SKIPPED) {
                return new JobHold(JobHold.Outcome.DONE, Optional.ofNullable(holder));
            }
            boolean live = state == JobState.PENDING || state == JobState.RUNNING;
            if (holder != null && !holder.equals(runner) && live && heldAt >= fresh) {
                return new JobHold(JobHold.Outcome.BUSY, Optional.of(holder));
            }
            List<String> others = group.stream().filter(id -> !id.equals(jobId)).toList();
            if (!others.isEmpty()) {
                String marks = String.join(", ", Collections.nCopies(others.size(), "?"));
                List<Object> parameters = new ArrayList<>(List.of(runId, fresh, JobState.PENDING.name(), JobState.RUNNING.name()));
                parameters.addAll(others);
                long held = query(c, "SELECT COUNT(*) FROM jobs WHERE run_id = ? AND holder IS NOT NULL AND held_at >= ?"
                        + " AND state IN (?, ?) AND job_id IN (" + marks + ")", rs -> rs.getLong(1), parameters.toArray()).getFirst();
                if (held >= limit) {
                    return new JobHold(JobHold.Outcome.GROUP_FULL, Optional.empty());
                }
            }
            update(c, "UPDATE jobs SET holder = ?, held_at = ? WHERE run_id = ? AND job_id = ?", runner, now, runId, jobId);
            update(c, "UPDATE runs SET heartbeat_at = ? WHERE id = ?", now, runId);
            return new JobHold(JobHold.Outcome.HELD, Optional.of(runner));
        });
    }

    boolean renewHold(String runId, String jobId, String runner) {
        requireNonNull(runner, "runner");
        return database.write("renew the hold of " + runner + " on job " + jobId + " of run " + runId, c -> {
            long now = database.now().toEpochMilli();
            if (update(c, "UPDATE jobs SET held_at = ? WHERE run_id = ? AND job_id = ? AND holder = ?", now, runId, jobId, runner) == 0) {
                return false;
            }
            update(c, "UPDATE runs SET heartbeat_at = ? WHERE id = ?", now, runId);
            return true;
        });
    }

    TagLock lockTags(String runId, String jobId, Collection<String> keys, Duration staleAfter) {
        requireNonNull(jobId, "jobId");
        requireNonNull(staleAfter, "staleAfter");
        // sorted: two jobs asking for overlapping sets meet at their first common lock, never cross-wise
        List<String> sorted = new java.util.TreeSet<>(keys).stream().toList();
        return database.write("lock " + String.join(", ", sorted) + " for job " + jobId + " of run " + runId, c -> {
            database.requireRun(c, runId);
            Instant now = database.now();
            List<String> taken = new ArrayList<>();
            for (String key : sorted) {
                Optional<String[]> held = Optional.empty();
                while (held.isEmpty()) {
                    // Both databases wait here for a concurrent insert of the same key, so one locker wins.
                    if (update(c, "INSERT INTO tag_locks (lock_key, run_id, job_id, held_at) VALUES (?, ?, ?, ?) "
                            + "ON CONFLICT (lock_key) DO NOTHING", key, runId, jobId, now.toEpochMilli()) == 1) {
                        held = Optional.of(new String[] {runId, jobId});
                        taken.add(key);
                    } else { // empty when its holder gave it up in between: then it is inserted again
                        held = query(c, "SELECT run_id, job_id FROM tag_locks WHERE lock_key = ?" + database.dialect().forUpdate(),
                                rs -> new String[] {rs.getString(1), rs.getString(2)}, key).stream().findFirst();
                    }
                }
                String[] holder = held.get();
                if (holder[0].equals(runId) && holder[1].equals(jobId)) {
                    continue;
                }
                if (alive(c, holder[0], now, staleAfter)) {
                    if (!taken.isEmpty()) { // none of them, then: what this call took goes back
                        List<Object> parameters = new ArrayList<>(List.of(runId, jobId));
                        parameters.addAll(taken);
                        update(c, "DELETE FROM tag_locks WHERE run_id = ? AND job_id = ? AND lock_key IN ("
                                + String.join(", ", Collections.nCopies(taken.size(), "?")) + ")", parameters.toArray());
                    }
                    return TagLock.busy(key, holder[0], holder[1]);
                }
                update(c, "UPDATE tag_locks SET run_id = ?, job_id = ?, held_at = ? WHERE lock_key = ?", runId, jobId,
                        now.toEpochMilli(), key);
                taken.add(key);
            }
            return TagLock.granted();
        });
    }

    /**
     * Whether run {@code runId} is running with a heartbeat within {@code staleAfter}. Not its lease:
     * a lock is held only while a job runs, and a running job keeps the heartbeat fresh.
     */
    private boolean alive(java.sql.Connection c, String runId, Instant now, Duration staleAfter) throws java.sql.SQLException {
        List<Boolean> alive = query(c, "SELECT state, heartbeat_at FROM runs WHERE id = ?",
                rs -> RunState.valueOf(rs.getString(1)) == RunState.RUNNING && rs.getLong(2) >= now.minus(staleAfter).toEpochMilli(),
                runId);
        return !alive.isEmpty() && alive.getFirst();
    }

    void unlockTags(String runId, String jobId) {
        requireNonNull(runId, "runId");
        requireNonNull(jobId, "jobId");
        database.write("unlock the tags of job " + jobId + " of run " + runId,
                c -> update(c, "DELETE FROM tag_locks WHERE run_id = ? AND job_id = ?", runId, jobId));
    }
}
