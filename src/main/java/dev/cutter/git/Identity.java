package dev.cutter.git;

import java.time.Instant;
import java.util.Objects;

/**
 * Who made a commit or tag, and when. Times are recorded in UTC; passing the same identity (with
 * a fixed time, e.g. from SOURCE_DATE_EPOCH) for the same change gives the same commit id.
 */
public record Identity(String name, String email, Instant time) {
    public Identity {
        Objects.requireNonNull(time, "time");
        check("name", name);
        check("email", email);
    }

    private static void check(String what, String value) {
        Objects.requireNonNull(value, what);
        if (value.isBlank() || value.chars().anyMatch(c -> c == '<' || c == '>' || c == '\n' || c == '\r' || c == 0)) {
            throw new IllegalArgumentException("git " + what + " must be non-blank without <, > or line breaks: " + value);
        }
    }
}
