package dev.cutter.release;

import java.util.Objects;
import java.util.Optional;

/**
 * What a publication did.
 *
 * @param release the release now in the store; for {@link Outcome#UNCHANGED} the one that was
 *     already there, with its original creation time
 * @param replaced the release that was there before, for {@link Outcome#REPLACED}
 */
public record PublishResult(Outcome outcome, ReleaseInfo release, Optional<ReleaseInfo> replaced) {

    public enum Outcome {
        /** There was no release of that name; now there is. */
        CREATED,
        /** A release with other content was replaced as a whole (policy {@link ExistsPolicy#REPLACE}). */
        REPLACED,
        /** The release was already there with the same content; nothing was touched. */
        UNCHANGED
    }

    public PublishResult {
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(release, "release");
        Objects.requireNonNull(replaced, "replaced");
        if (replaced.isPresent() != (outcome == Outcome.REPLACED)) {
            throw new IllegalArgumentException("a previous release is reported exactly when one was replaced");
        }
    }
}
