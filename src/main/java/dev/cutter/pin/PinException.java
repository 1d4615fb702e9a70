package dev.cutter.pin;

import java.nio.file.Path;
import java.util.Optional;

/** A pin that cannot be applied or reverted; the message says where and what to do. */
public final class PinException extends RuntimeException {
    private final transient Path file;

    public PinException(String message) {
        this(null, message, null);
    }

    private PinException(Path file, String message, Throwable cause) {
        super(message, cause);
        this.file = file;
    }

    /** The file, when known (set by {@link Pins}). */
    public Optional<Path> file() {
        return Optional.ofNullable(file);
    }

    /** The message without the file name. */
    public String problem() {
        return super.getMessage();
    }

    @Override
    public String getMessage() {
        return file == null ? super.getMessage() : file + ": " + super.getMessage();
    }

    PinException in(Path file) {
        return this.file != null ? this : new PinException(file, problem(), this);
    }
}
