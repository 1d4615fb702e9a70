package dev.cutter.release;

/**
 * The release cannot be stored as given: a name a store cannot hold, two assets with one name,
 * a draft for a store without drafts. Bad input (exit code 2); nothing was changed.
 */
public class InvalidReleaseException extends ReleaseException {

    public InvalidReleaseException(String message) {
        super(message);
    }
}
