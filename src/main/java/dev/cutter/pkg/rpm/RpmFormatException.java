package dev.cutter.pkg.rpm;

import java.io.IOException;

/** A file that is not a well-formed RPM package; the message names the file and what is wrong. */
public class RpmFormatException extends IOException {
    public RpmFormatException(String message) {
        super(message);
    }
}
