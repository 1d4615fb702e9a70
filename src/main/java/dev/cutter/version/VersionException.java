package dev.cutter.version;

/**
 * A version, tag pattern, channel or floating-tag input that cannot be used.
 *
 * <p>The message is meant for the person who wrote the input (a tag, a configuration value), so
 * it names the offending text and, where possible, says how to fix it.
 */
public class VersionException extends RuntimeException {

    public VersionException(String message) {
        super(message);
    }

    public VersionException(String message, Throwable cause) {
        super(message, cause);
    }
}
