package dev.cutter.git;

/**
 * A git operation that could not be done. The message names the repository (or remote URL, never
 * with credentials), the ref involved and what to do about it; it is meant for the user as is.
 */
public class GitException extends RuntimeException {
    public GitException(String message) {
        super(message);
    }

    public GitException(String message, Throwable cause) {
        super(message, cause);
    }
}
