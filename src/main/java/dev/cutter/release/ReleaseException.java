package dev.cutter.release;

/**
 * A release store could not do what was asked: a file could not be read or written, an asset is
 * not what its digest says. The message names the store, the release and the file concerned.
 * A job that meets one fails (exit code 1); the subclasses are the cases a caller treats apart.
 */
public class ReleaseException extends RuntimeException {

    public ReleaseException(String message) {
        super(message);
    }

    public ReleaseException(String message, Throwable cause) {
        super(message, cause);
    }
}
