package dev.cutter.git;

/**
 * The remote refused a ref for a reason of its own, not because it moved meanwhile: a server-side
 * hook declined it, as a protected branch does (GitHub's {@code GH006: Protected branch update
 * failed}, GitLab's {@code You are not allowed to push code to protected branches}). Sending it
 * again changes nothing; the change has to reach that ref another way (a pull request).
 */
public final class PushRefusedException extends GitException {
    private final String url;
    private final String ref;
    private final String reason;

    public PushRefusedException(String url, String ref, String reason) {
        super(url + " refused " + ref + ": " + reason);
        this.url = url;
        this.ref = ref;
        this.reason = reason;
    }

    /** The remote's URL, without credentials. */
    public String url() {
        return url;
    }

    /** The full name of the refused ref ({@code refs/heads/main}). */
    public String ref() {
        return ref;
    }

    /** What the remote said. */
    public String reason() {
        return reason;
    }
}
