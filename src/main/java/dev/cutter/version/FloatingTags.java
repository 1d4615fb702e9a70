package dev.cutter.version;

import java.util.Collection;
import java.util.Objects;
import java.util.Optional;

/**
 * Decides whether a release may move a floating tag such as {@code latest}, {@code 1},
 * {@code 1.7} or {@code latest-alpine}.
 *
 * <p>Floating tags only move forward: users who pull {@code latest} or {@code 1} must never be
 * sent back to an older release because a patch for an old line was published later. Prereleases
 * never move them, since floating tags promise a stable release.
 */
public final class FloatingTags {

    private FloatingTags() {
    }

    /**
     * The outcome of {@link #decide}.
     *
     * @param move whether the floating tag should point at the candidate
     * @param reason a short explanation for people, e.g. {@code 1.7.8 is the highest stable
     *     version of all}
     * @param highest the highest existing stable version of the candidate's line, if any
     */
    public record Decision(boolean move, String reason, Optional<Version> highest) {

        public Decision {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(highest, "highest");
        }
    }

    /**
     * Whether the floating tag of {@code line} should move to {@code candidate}.
     *
     * <p>Without {@code force}, a prerelease candidate never moves the tag, and a stable one moves it
     * if it ranks at or above every existing stable version in its line. Equal precedence counts as
     * moving, so that re-running a release is idempotent. Prereleases among {@code existing} are
     * ignored. With {@code force} the tag always moves.
     *
     * @param existing versions already released; may include the candidate itself
     */
    public static Decision decide(Version candidate, FloatingLine line, Collection<? extends Version> existing,
                                  boolean force) {
        Objects.requireNonNull(candidate, "candidate");
        Objects.requireNonNull(line, "line");
        Objects.requireNonNull(existing, "existing");
        Version highestSoFar = null;
        for (Version version : existing) {
            if (!version.isPrerelease() && line.contains(candidate, version)
                    && (highestSoFar == null || version.compareTo(highestSoFar) > 0)) {
                highestSoFar = version;
            }
        }
        Optional<Version> highest = Optional.ofNullable(highestSoFar);
        String lineName = line.describe(candidate);
        if (force) {
            return new Decision(true, "forced", highest);
        }
        if (candidate.isPrerelease()) {
            return new Decision(false, candidate + " is a prerelease; prereleases never move floating tags",
                    highest);
        }
        if (highest.isEmpty()) {
            return new Decision(true, candidate + " is the first stable version of " + lineName, highest);
        }
        if (candidate.compareTo(highest.get()) < 0) {
            return new Decision(false, candidate + " is not the highest stable version of " + lineName
                    + " (" + highest.get() + " exists)", highest);
        }
        return new Decision(true, candidate + " is the highest stable version of " + lineName, highest);
    }

    /**
     * Which versions compete for a floating tag, from its template: {@code {major}} and {@code
     * {minor}} give {@link FloatingLine#MINOR}, {@code {major}} alone {@link FloatingLine#MAJOR},
     * and a template without placeholders (e.g. {@code latest}) {@link FloatingLine#ALL}.
     *
     * @throws VersionException for {@code {minor}} without {@code {major}}, which would make
     *     different lines share a tag
     */
    public static FloatingLine lineOf(String tagTemplate) {
        Objects.requireNonNull(tagTemplate, "tagTemplate");
        boolean major = tagTemplate.contains("{major}");
        boolean minor = tagTemplate.contains("{minor}");
        if (minor && !major) {
            throw new VersionException("floating tag \"" + tagTemplate + "\" uses {minor} without {major}, so 1.7"
                    + " and 2.7 would share it; write e.g. \"{major}.{minor}\"");
        }
        return minor ? FloatingLine.MINOR : major ? FloatingLine.MAJOR : FloatingLine.ALL;
    }
}
