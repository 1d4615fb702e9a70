package dev.cutter.run;

import java.time.Duration;
import java.util.Optional;

/**
 * A job that could not do its work, classified for the exit code (DESIGN §8) and for retries:
 * {@code retryable} failures (network resets, 429, 5xx) are tried again with backoff, at the
 * earliest after {@code retryAfter} when the target said so.
 */
public final class JobFailure extends RuntimeException {
    public enum Kind {
        /** The job's work failed (exit 1). */
        FAILED,
        /** A law refused the effect: immutable tag, existing release, forward-only (exit 3). */
        REFUSED,
        /** A target could not be reached or refused our credentials (exit 4). */
        UNREACHABLE
    }

    private final Kind kind;
    private final boolean retryable;
    private final Duration retryAfter;

    public JobFailure(Kind kind, String message, boolean retryable, Duration retryAfter, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.retryable = retryable;
        this.retryAfter = retryAfter;
    }

    public static JobFailure failed(String message) {
        return new JobFailure(Kind.FAILED, message, false, null, null);
    }

    public static JobFailure refused(String message) {
        return new JobFailure(Kind.REFUSED, message, false, null, null);
    }

    public static JobFailure unreachable(String message, boolean retryable) {
        return new JobFailure(Kind.UNREACHABLE, message, retryable, null, null);
    }

    public static JobFailure retryable(String message, Duration retryAfter) {
        return new JobFailure(Kind.FAILED, message, true, retryAfter, null);
    }

    public Kind kind() {
        return kind;
    }

    public boolean retryable() {
        return retryable;
    }

    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
