package dev.cutter.oci;

import dev.cutter.content.ContentProblem;
import dev.cutter.content.Digest;
import java.io.IOException;
import java.nio.file.Path;

/** Content that does not have the digest it was given as: refused, nothing written. */
public final class DigestMismatchException extends IOException implements ContentProblem {
    private final Digest expected;
    private final Digest actual;

    public DigestMismatchException(Path source, Digest expected, Digest actual) {
        this(source.toString(), expected, actual);
    }

    /** @param what the content, as a message names it */
    public DigestMismatchException(String what, Digest expected, Digest actual) {
        super(what + " has digest " + actual + ", not " + expected
                + "; it was changed or is not the blob it was named as, so it was not stored");
        this.expected = expected;
        this.actual = actual;
    }

    public Digest expected() {
        return expected;
    }

    public Digest actual() {
        return actual;
    }
}
