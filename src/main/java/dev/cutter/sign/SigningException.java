package dev.cutter.sign;

/**
 * A signing key or signature that cannot be used: unreadable, locked, unable to sign.
 *
 * <p>The message names the key by fingerprint and user ID and says what to do. It never contains
 * a passphrase or key material (law 6), and neither does any cause attached to it.
 */
public class SigningException extends RuntimeException {

    public SigningException(String message) {
        super(message);
    }

    public SigningException(String message, Throwable cause) {
        super(message, cause);
    }
}
