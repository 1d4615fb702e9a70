package dev.cutter.pkg.rpm;

import dev.cutter.pkg.InvalidPackageException;

/** A file that is not a well-formed RPM package; the message names the file and what is wrong. */
public class RpmFormatException extends InvalidPackageException {
    public RpmFormatException(String message) {
        super(message);
    }
}
