package dev.cutter.ledger;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;

/**
 * One change a job made outside Cutter: a blob or manifest pushed, a tag created or moved, a file
 * written, a release asset uploaded; or, of kind {@link #CONFIRMED}, a target a job found already
 * as planned and left alone (an image tag already at the digest, a release already in its store
 * with these assets, a repository already holding these packages, a git tag already on the
 * remote), so the ledger says where the release stands without claiming the run changed it.
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
    /** A target found as the run would have left it (an image tag at the digest, …); nothing was changed. */
    public static final String CONFIRMED = "confirmed";

    /** An OCI tag, as the distribution spec allows it. */
    private static final java.util.regex.Pattern OCI_TAG = java.util.regex.Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,127}");

    public Effect {
        requireNonNull(runId, "runId");
        requireNonNull(jobId, "jobId");
        requireNonNull(kind, "kind");
        requireNonNull(target, "target");
        requireNonNull(before, "before");
        requireNonNull(after, "after");
        requireNonNull(at, "at");
    }

    /**
     * Whether this records an image tag ({@code repository:tag}) at {@link #after()}: one the job
     * tagged, or one it found already there. A git tag's target is {@code remote tag}; a release's
     * or a repository's is a store or path, never a repository and an OCI tag.
     */
    public boolean imageTag() {
        int colon = target.lastIndexOf(':');
        return (kind.equals(TAG) || kind.equals(CONFIRMED)) && !target.contains(" ") && colon > 0
                && OCI_TAG.matcher(target.substring(colon + 1)).matches();
    }
}
