package dev.cutter.ledger;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;

/**
 * One change a job made outside Cutter: a blob or manifest pushed, a tag created or moved, a file
 * written, a release asset uploaded; or, of kind {@link #CONFIRMED}, a target a job found already
 * as planned and left alone (an image tag already at the digest), so the ledger says where the
 * release stands without claiming the run changed it.
 *
 * @param kind   what kind of change, e.g. {@code push}, {@code tag}, {@code upload}, {@code confirmed}
 * @param target where, e.g. {@code registry.example/app:1.2.3} or a file path
 * @param before what the target pointed at before (a digest, a commit), empty when it did not exist
 * @param after  what it points at now
 */
public record Effect(String runId, String jobId, String kind, String target, Optional<String> before, String after,
        Instant at) {
    /** An image tag created or moved ({@code repository:tag}), or a git tag ({@code remote tag}). */
    public static final String TAG = "tag";
    /** An image tag found at the digest the run would have put there; nothing was changed. */
    public static final String CONFIRMED = "confirmed";

    public Effect {
        requireNonNull(runId, "runId");
        requireNonNull(jobId, "jobId");
        requireNonNull(kind, "kind");
        requireNonNull(target, "target");
        requireNonNull(before, "before");
        requireNonNull(after, "after");
        requireNonNull(at, "at");
    }

    /** Whether this records an image tag at {@link #after()}: one the job tagged, or one it found already there. */
    public boolean imageTag() {
        return (kind.equals(TAG) || kind.equals(CONFIRMED)) && !target.contains(" ");
    }
}
