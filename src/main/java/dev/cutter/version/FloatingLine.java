package dev.cutter.version;

import java.util.Objects;

/**
 * Which versions compete for a floating tag: a tag like {@code latest} follows the highest
 * version of all, {@code 1} (from {@code {major}}) the highest of its major version, and {@code
 * 1.7} (from {@code {major}.{minor}}) the highest of its minor version.
 */
public enum FloatingLine {
    /** Every version competes, as for {@code latest}. */
    ALL,
    /** Versions with the same major number compete, as for {@code 1}. */
    MAJOR,
    /** Versions with the same major and minor numbers compete, as for {@code 1.7}. */
    MINOR;

    /** Whether {@code other} competes with {@code candidate} for this line's tag. */
    public boolean contains(Version candidate, Version other) {
        Objects.requireNonNull(candidate, "candidate");
        Objects.requireNonNull(other, "other");
        return switch (this) {
            case ALL -> true;
            case MAJOR -> other.major() == candidate.major();
            case MINOR -> other.major() == candidate.major() && other.minor() == candidate.minor();
        };
    }

    /** How to name the line of {@code candidate} in a message: {@code all}, {@code line 1.x} or {@code line 1.7.x}. */
    public String describe(Version candidate) {
        return switch (this) {
            case ALL -> "all";
            case MAJOR -> "line " + candidate.major() + ".x";
            case MINOR -> "line " + candidate.major() + "." + candidate.minor() + ".x";
        };
    }
}
