package dev.cutter.release;

import java.time.Duration;
import java.util.Optional;

/**
 * The store could not be reached, or refused the credentials it was given (or was given none where
 * it needs some): nothing about the release is wrong, the way to the store is. Exit code 4.
 * {@link #retryable()} tells a passing failure (no answer, 5xx, a rate limit) from one that needs
 * the user (a wrong token, a missing permission).
 */
public class StoreUnreachableException extends ReleaseException {
    private final boolean retryable;
    private final Duration retryAfter;

    public StoreUnreachableException(String message, boolean retryable, Optional<Duration> retryAfter, Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
        this.retryAfter = retryAfter.orElse(null);
    }

    public boolean retryable() {
        return retryable;
    }

    /** How long the store asked to wait before trying again, when it said so. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
