package dev.cutter.release;

/**
 * What a store does when the release to publish already exists with other content. Identical
 * content is never an error: it is {@link PublishResult.Outcome#UNCHANGED} under either policy.
 */
public enum ExistsPolicy {
    /** Refuse with {@link ReleaseExistsException} and change nothing: versions are immutable (law 3). */
    FAIL,
    /** Replace the release as a whole; only rolling channels ({@code 0.1-test}, {@code *-daily}) ask for this. */
    REPLACE
}
