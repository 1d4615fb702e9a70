package dev.cutter.spec;

import java.nio.file.Path;

/**
 * One fault in a spec: where it is, which field, what is wrong and what to write instead.
 * Printed as {@code FILE:LINE:COLUMN: field.path: message}, the form editors and CI logs link.
 */
public record SpecError(Path file, Location location, String path, String message) {
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder(file == null ? "<spec>" : file.toString());
        if (location.line() > 0) {
            out.append(':').append(location.line()).append(':').append(location.column());
        }
        out.append(": ");
        if (!path.isEmpty()) {
            out.append(path).append(": ");
        }
        return out.append(message).toString();
    }
}
