package dev.cutter.ledger;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;

/**
 * One attempt at a job. An attempt cut short by a crash ends {@link JobState#CANCELLED} when the
 * run is resumed; one superseded by a retry ends {@link JobState#FAILED}.
 *
 * @param number 1 for the first attempt
 */
public record Attempt(String runId, String jobId, int number, JobState state, Instant started,
        Optional<Instant> finished, Optional<String> detail) {

    public Attempt {
        requireNonNull(runId, "runId");
        requireNonNull(jobId, "jobId");
        requireNonNull(state, "state");
        requireNonNull(started, "started");
        requireNonNull(finished, "finished");
        requireNonNull(detail, "detail");
    }
}
