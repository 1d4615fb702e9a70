package dev.cutter.ledger;

/** Where a run stands. Only {@link #RUNNING} is not final. */
public enum RunState {
    RUNNING, SUCCEEDED, FAILED, CANCELLED;

    public boolean isFinal() {
        return this != RUNNING;
    }
}
