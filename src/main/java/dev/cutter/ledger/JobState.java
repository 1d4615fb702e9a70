package dev.cutter.ledger;

/** Where one job of a run stands. */
public enum JobState {
    PENDING, RUNNING, SUCCEEDED, SKIPPED, FAILED, CANCELLED;

    /** The job ended, one way or another: nothing more happens in this attempt. */
    public boolean isFinal() {
        return this != PENDING && this != RUNNING;
    }

    /** The job's target is in the wanted state: a resumed run does not run it again. */
    public boolean isDone() {
        return this == SUCCEEDED || this == SKIPPED;
    }
}
