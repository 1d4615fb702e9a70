package dev.cutter.run;

import dev.cutter.plan.Plan;
import java.time.Duration;
import java.util.Optional;

/**
 * How a run executes.
 *
 * @param buildOnly run only the jobs that make things ({@link Plan#buildOnly}): what a pull request runs
 */
public record RunOptions(int parallel, Optional<Boolean> failFast, Duration staleAfter, boolean buildOnly) {
    public static RunOptions defaults() {
        return new RunOptions(Runtime.getRuntime().availableProcessors(), Optional.empty(), Duration.ofSeconds(30), false);
    }

    public RunOptions buildingOnly(boolean only) {
        return new RunOptions(parallel, failFast, staleAfter, only);
    }
}
