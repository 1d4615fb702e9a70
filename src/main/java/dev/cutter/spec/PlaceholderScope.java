package dev.cutter.spec;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** The axes an entry's templates may name, each with the fields every one of its values has. */
public record PlaceholderScope(Map<String, Set<String>> axes, String at, boolean perIndex) {
    public PlaceholderScope(Map<String, Set<String>> axes, String at) {
        this(axes, at, false);
    }

    /** The scope of what names one multi-arch index: every axis but the platform. */
    public PlaceholderScope without(String axis) {
        Map<String, Set<String>> copy = new HashMap<>(axes);
        boolean removed = copy.remove(axis) != null;
        return new PlaceholderScope(copy, at, perIndex || (removed && axis.equals(MatrixSpec.PLATFORM)));
    }

    /** The scope of an entry with no matrix: only the release's own placeholders and vars. */
    public static PlaceholderScope none(String at) {
        return new PlaceholderScope(Map.of(), at);
    }
}
