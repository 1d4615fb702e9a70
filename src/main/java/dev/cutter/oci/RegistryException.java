package dev.cutter.oci;

/**
 * A registry's refusal or failure, with the URL (credentials never included) and the HTTP
 * status. {@link #retryable()} tells passing failures (429, 5xx, a dropped connection) from final
 * ones; {@link #unauthorized()} tells a credentials problem (401/403), {@link #unreachable()} that
 * or no answer at all.
 */
public final class RegistryException extends RuntimeException {
    private final String url;
    private final int status;
    private final boolean retryable;
    private final boolean immutableTag;

    public RegistryException(String url, int status, String message, boolean retryable, Throwable cause) {
        this(url, status, message, retryable, cause, false);
    }

    private RegistryException(String url, int status, String message, boolean retryable, Throwable cause, boolean immutableTag) {
        super(message, cause);
        this.url = url;
        this.status = status;
        this.retryable = retryable;
        this.immutableTag = immutableTag;
    }

    /**
     * The registry refused to point a tag elsewhere because its own tag immutability keeps it
     * (ECR's, Harbor's, Artifact Registry's, Docker Hub's): the same refusal as Cutter's law that a
     * released version never changes, so it is reported as one (exit 3), never retried.
     */
    static RegistryException immutableTag(String url, int status, String message) {
        return new RegistryException(url, status, message, false, null, true);
    }

    /** Whether the registry's own tag immutability refused the change ({@link #immutableTag(String, int, String)}). */
    public boolean immutableTag() {
        return immutableTag;
    }

    public String url() {
        return url;
    }

    /** The HTTP status, or 0 when no answer came. */
    public int status() {
        return status;
    }

    public boolean retryable() {
        return retryable;
    }

    public boolean unauthorized() {
        return status == 401 || status == 403;
    }

    /**
     * The registry could not be reached (no answer), refused our credentials or has no requests
     * left for us (rate limit): a problem of the
     * way to the target (exit 4), not of what was asked of it.
     */
    public boolean unreachable() {
        return !immutableTag && (unauthorized() || status == 0 || rateLimited());
    }

    /** The registry refuses more requests for now (429): its rate limit is spent; a way to the target, like credentials. */
    public boolean rateLimited() {
        return status == 429;
    }
}
