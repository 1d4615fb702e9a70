package dev.cutter.run;

import dev.cutter.plan.Job;
import java.time.Duration;

/** Progress events for people: the live table on a terminal, timestamped lines in CI. */
public interface RunListener {
    default void jobStarted(Job job, int attempt) {}

    default void jobFinished(Job job, RunRecorder.JobState state, String detail, Duration elapsed) {}

    default void log(Job job, String stream, String line) {}

    default void retrying(Job job, int attempt, Duration delay, String why) {}

    RunListener NONE = new RunListener() {};
}
