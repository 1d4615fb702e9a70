package dev.cutter.plan;

/** The spec loaded but this release cannot be planned from it with these inputs (bad input: exit 2). */
public final class PlanException extends RuntimeException {
    public PlanException(String message) {
        super(message);
    }
}
