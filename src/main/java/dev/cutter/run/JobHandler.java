package dev.cutter.run;

/**
 * Runs one kind of job. A handler first looks at the target: when the effect is already there
 * with the same digest it returns {@link JobOutcome#skipped}, so re-running and resuming are
 * safe (law 4). Failures are {@link JobFailure}s; anything else is a bug, reported as one.
 */
@FunctionalInterface
public interface JobHandler {
    JobOutcome run(JobContext context) throws Exception;
}
