package dev.cutter.run.jobs;

import dev.cutter.oci.RegistryException;
import dev.cutter.run.JobFailure;

/** How a registry's failure fails a job: one rule for every job that reads or writes images. */
public final class JobFailures {
    private JobFailures() {}

    /**
     * The registry's own tag immutability refusing to move a tag: the law's refusal (exit 3).
     * No answer or refused credentials: unreachable (exit 4); any other answer: failed (exit 1).
     * Either is tried again when the registry client says the failure passes (429, 5xx, a dropped
     * connection), never a registry that stalled twice (docs/reliability.md).
     */
    public static JobFailure of(String context, RegistryException e) {
        if (e.immutableTag()) {
            return new JobFailure(JobFailure.Kind.REFUSED, context + e.getMessage(), false, null, e);
        }
        return new JobFailure(e.unreachable() ? JobFailure.Kind.UNREACHABLE : JobFailure.Kind.FAILED, context + e.getMessage(),
                e.retryable(), null, e);
    }
}
