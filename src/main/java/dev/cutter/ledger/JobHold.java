package dev.cutter.ledger;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * The answer to a runner asking to hold one job of a run ({@link Ledger#holdJob}): the way a
 * job of a run spread over CI machines is run exactly once.
 *
 * @param holder for {@link Outcome#BUSY}, the runner that holds it now
 */
public record JobHold(Outcome outcome, Optional<String> holder) {
    public enum Outcome {
        /** The asking runner holds the job now and runs it. */
        HELD,
        /** The job already succeeded or was skipped: nothing to run. */
        DONE,
        /** Another runner holds the job and is alive. */
        BUSY,
        /** As many jobs of its concurrency group as the group allows are held by live runners. */
        GROUP_FULL
    }

    public JobHold {
        requireNonNull(outcome, "outcome");
        requireNonNull(holder, "holder");
    }
}
