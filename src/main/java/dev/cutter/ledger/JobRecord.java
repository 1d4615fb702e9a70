package dev.cutter.ledger;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;

/**
 * What the ledger knows of one job of a run.
 *
 * @param attempts how many times the job was started (0 while it never ran, e.g. skipped)
 * @param started  when its first attempt started
 * @param finished when it last reached a final state; empty while pending or running
 * @param detail   the error of a failed job or the reason a job was skipped or cancelled
 */
public record JobRecord(String runId, String jobId, String kind, JobState state, int attempts,
        Optional<Instant> started, Optional<Instant> finished, Optional<String> detail) {

    public JobRecord {
        requireNonNull(runId, "runId");
        requireNonNull(jobId, "jobId");
        requireNonNull(kind, "kind");
        requireNonNull(state, "state");
        requireNonNull(started, "started");
        requireNonNull(finished, "finished");
        requireNonNull(detail, "detail");
    }
}
