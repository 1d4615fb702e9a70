package dev.cutter.spec;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/** Bad input in a spec or its data files: one or more {@link SpecError}s, all reported at once. */
public final class SpecException extends RuntimeException {
    private final List<SpecError> errors;

    public SpecException(List<SpecError> errors) {
        super(errors.stream().map(SpecError::toString).collect(Collectors.joining("\n")));
        this.errors = List.copyOf(errors);
    }

    public static SpecException of(Path file, Location location, String path, String message) {
        return new SpecException(List.of(new SpecError(file, location, path, message)));
    }

    public List<SpecError> errors() {
        return errors;
    }
}
