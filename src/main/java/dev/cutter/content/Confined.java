package dev.cutter.content;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * A path computed from names that came from outside — a package's metadata, a spec's template, a
 * state file — resolved inside its root or refused (law 10). Callers check the name's grammar
 * first, for a message about the name; this is the second wall, for whatever slips past.
 */
public final class Confined {
    private Confined() {}

    /**
     * {@code root/relative}, normalized, when it lies strictly below {@code root}.
     *
     * @throws OutsideRootException when {@code relative} is absolute, empty, not a path, or leads to
     *     {@code root} itself or outside it (through {@code ..})
     */
    public static Path resolve(Path root, String relative) throws OutsideRootException {
        Path base = root.toAbsolutePath().normalize();
        Path path;
        try {
            Path given = Path.of(relative);
            if (relative.isEmpty() || given.isAbsolute()) {
                throw new OutsideRootException(base, relative);
            }
            path = base.resolve(given).normalize();
        } catch (InvalidPathException e) {
            throw new OutsideRootException(base, relative);
        }
        if (!path.startsWith(base) || path.equals(base)) {
            throw new OutsideRootException(base, relative);
        }
        return path;
    }

    /** A relative path that would leave its root. */
    public static final class OutsideRootException extends java.io.IOException {
        private final String relative;

        OutsideRootException(Path root, String relative) {
            super("'" + relative + "' is not a path inside " + root);
            this.relative = relative;
        }

        /** The path as it was given. */
        public String relative() {
            return relative;
        }
    }
}
