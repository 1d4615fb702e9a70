package dev.cutter.pkg;

import dev.cutter.content.ContentProblem;
import java.io.IOException;

/**
 * A package file Cutter refuses to read or index: not the format it claims, or metadata that
 * breaks its format's grammar (a name with a '/', a version with a space). Bad input, never a
 * bug: the message names the file, the field and what is wrong, in one line.
 */
public class InvalidPackageException extends IOException implements ContentProblem {
    public InvalidPackageException(String message) {
        super(message);
    }
}
