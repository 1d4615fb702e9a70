package dev.cutter.archive;

/** An archive that cannot be made as asked: a selection that matches nothing, a clash of names. */
public final class ArchiveException extends RuntimeException {
    public ArchiveException(String message) {
        super(message);
    }
}
