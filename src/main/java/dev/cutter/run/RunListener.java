package dev.cutter.run;

import dev.cutter.ledger.JobState;
import dev.cutter.plan.Job;
import java.time.Duration;

/** Progress events for people: the live table on a terminal, timestamped lines in CI. */
public interface RunListener {
    /**
     * The run is recorded, holds its version's claim and is about to execute (also on a resume):
     * from here on its id names it in the ledger. The server answers a start request with it.
     */
    default void runStarted(String runId) {}

    /** As {@link #runStarted(String)}, with how many of the plan's jobs this run will tell as finished. */
    default void runStarted(String runId, int jobs) {
        runStarted(runId);
    }

    default void jobStarted(Job job, int attempt) {}

    default void jobFinished(Job job, JobState state, String detail, Duration elapsed) {}

    default void log(Job job, String stream, String line) {}

    default void retrying(Job job, int attempt, Duration delay, String why) {}

    /** What a target said before the first job that is worth knowing but stops nothing (a rate limit's budget left). */
    default void targetNote(String target, String note) {}

    RunListener NONE = new RunListener() {};
}
