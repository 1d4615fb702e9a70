package dev.cutter.ledger;

import static java.util.Objects.requireNonNull;

/** A job of the plan as a new run records it: pending, never attempted. */
public record JobSeed(String jobId, String kind) {

    public JobSeed {
        requireNonNull(jobId, "jobId");
        requireNonNull(kind, "kind");
    }
}
