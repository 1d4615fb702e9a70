package dev.cutter.run;

import dev.cutter.plan.Action;

/** Runs the jobs of one kind, given their action as its own type. See {@link JobHandler}. */
@FunctionalInterface
public interface ActionHandler<A extends Action> {
    JobOutcome run(JobContext context, A action) throws Exception;
}
