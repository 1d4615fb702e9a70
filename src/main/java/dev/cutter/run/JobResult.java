package dev.cutter.run;

import dev.cutter.ledger.JobState;
import java.time.Duration;
import java.util.Optional;

/** How one job of a run ended, for the summary and the exit code. */
public record JobResult(String jobId, String kind, JobState state, String detail, Duration elapsed,
        Optional<JobFailure.Kind> failure) {}
