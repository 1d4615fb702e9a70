package dev.cutter.release.forge;

import java.util.Objects;

/**
 * How a forge is told who we are: one header and its value, and where the token came from so
 * messages can name what to set. The value never leaves the request: {@link #toString()} masks it.
 *
 * @param source the environment variable the token was read from, or a phrase for one given directly
 */
record Auth(String header, String value, String source) {
    Auth {
        Objects.requireNonNull(header, "header");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(source, "source");
    }

    @Override
    public String toString() {
        return "Auth[" + header + ": *** from " + source + "]";
    }
}
