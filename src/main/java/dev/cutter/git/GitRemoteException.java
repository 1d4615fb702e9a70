package dev.cutter.git;

/**
 * A remote could not be reached, or refused our credentials: nothing was decided about refs.
 * Retrying later (or fixing the credentials) may help, unlike {@link TagMovedException}.
 */
public final class GitRemoteException extends GitException {
    private final String url;
    private final boolean authentication;

    public GitRemoteException(String url, boolean authentication, String message, Throwable cause) {
        super(message, cause);
        this.url = url;
        this.authentication = authentication;
    }

    /** The remote's URL, without any user name or password. */
    public String url() {
        return url;
    }

    /** True when the remote answered but refused the credentials (or got none). */
    public boolean authentication() {
        return authentication;
    }
}
