package dev.cutter.run;

import dev.cutter.ledger.Effect;
import dev.cutter.plan.Plan;
import java.util.List;

/**
 * How a release, promotion, verification, resumption or emitted run ended, for the caller's
 * message and exit code.
 *
 * @param runId the run recorded, or the run that holds the version; null when none
 * @param plan null when no plan was made (a run that had already succeeded)
 * @param effects what the run changed in its targets, as the ledger recorded them
 */
public record Outcome(Status status, String runId, String message, Plan plan, List<JobResult> jobs, List<Effect> effects) {
    /**
     * How a run, or one job of it run alone ({@link JobRunner}), ended: its part done, nothing
     * left to do, or why not. The one list of endings; the exit codes are read from it.
     */
    public enum Status {
        RELEASED, NOTHING_TO_DO, FAILED, REFUSED, UNREACHABLE, CANCELLED;

        /** The ending a job's failure makes. */
        public static Status of(JobFailure.Kind failure) {
            return switch (failure) {
                case REFUSED -> REFUSED;
                case UNREACHABLE -> UNREACHABLE;
                case FAILED -> FAILED;
            };
        }
    }

    /** An outcome reached before any job ran. */
    static Outcome early(Status status, String runId, String message, Plan plan) {
        return new Outcome(status, runId, message, plan, List.of(), List.of());
    }

    /** Whether it ended released, or found it already was. */
    public boolean released() {
        return status == Status.RELEASED || status == Status.NOTHING_TO_DO;
    }
}
