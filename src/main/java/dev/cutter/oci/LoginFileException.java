package dev.cutter.oci;

/**
 * A login file ({@code config.json}, {@code auth.json}) that cannot be read as one: bad input,
 * named as {@code FILE:LINE:COLUMN: field: what is wrong; what to do}.
 */
public final class LoginFileException extends RuntimeException {
    public LoginFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
