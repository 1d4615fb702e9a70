package dev.cutter.sigstore;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;

/**
 * Keyless signing failed: no identity token, or Fulcio or Rekor could not be reached or refused.
 * The message says which service, the request and the service's own words; {@link #retryable()}
 * says whether the service said "not now" (429, 5xx, no answer) rather than "no", and
 * {@link #retryAfter()} how long it asked to wait.
 */
public final class KeylessException extends IOException {
    private final boolean retryable;
    private final Duration retryAfter;

    public KeylessException(String message, boolean retryable, Duration retryAfter, Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
        this.retryAfter = retryAfter;
    }

    /** A failure that trying again cannot mend: a missing or malformed token, a refusal, an answer that is not what was asked. */
    public static KeylessException refused(String message) {
        return new KeylessException(message, false, null, null);
    }

    public boolean retryable() {
        return retryable;
    }

    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
