package dev.cutter.release.forge;

import java.util.Objects;
import java.util.Optional;

/**
 * How a forge is told who we are: one header and its value, and where the token came from so
 * messages can say what to change. The value never leaves the request: {@link #toString()} masks it.
 *
 * @param variable the environment variable the token was read from; empty when it was given directly
 */
record Auth(String header, String value, Optional<String> variable) {
    Auth {
        Objects.requireNonNull(header, "header");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(variable, "variable");
    }

    /** The token as messages name it: "the token in GITHUB_TOKEN". */
    String describe() {
        return variable.map(v -> "the token in " + v).orElse("the token given for the release");
    }

    @Override
    public String toString() {
        return "Auth[" + header + ": *** (" + describe() + ")]";
    }
}
