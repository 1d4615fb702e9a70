package dev.cutter.run.requires;

import java.time.Duration;
import java.util.Optional;

/**
 * Something outside the release that must be there before its first job: an upstream release
 * its pins name (a tag on a git remote, a forge release, an image tag). It is looked at, and
 * looked at again until it appears or {@code wait} has passed.
 *
 * @param what the requirement as people read it, e.g. {@code git tag v0.10.0 of https://…/guest-components};
 *             requirements with the same text are waited for once
 * @param upTo how long it may take to appear; zero: it must be there at the first look
 * @param look looks once
 */
public record Requirement(String what, Duration upTo, Look look) {
    public Requirement {
        if (upTo.isNegative()) {
            throw new IllegalArgumentException("a negative wait: " + upTo);
        }
    }

    /** One look at the upstream. */
    @FunctionalInterface
    public interface Look {
        /**
         * What was found (e.g. {@code at 1a2b3c4d5e6f}), or empty when it is not there yet.
         *
         * @throws Exception when the upstream cannot be asked (no answer, a refused login): the
         *     look is tried again while there is time, and the last such reason is told at the end
         */
        Optional<String> found() throws Exception;
    }
}
