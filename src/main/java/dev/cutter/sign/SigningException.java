package dev.cutter.sign;

/** A key that cannot sign: wrong passphrase, no secret key, no signing-capable key. Never carries key material. */
public final class SigningException extends RuntimeException {
    public SigningException(String message) {
        super(message);
    }
}
