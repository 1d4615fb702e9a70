package dev.cutter.spec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Collects every fault found while loading one spec, so the user sees them all in one pass. */
final class Problems {
    private final Path file;
    private final List<SpecError> errors = new ArrayList<>();
    private final java.util.Map<String, Location> places = new java.util.HashMap<>();

    /** What the loader asks for, when a schema is being made from it; else null. */
    private final KeyRecorder recorder;

    Problems(Path file) {
        this(file, null);
    }

    Problems(Path file, KeyRecorder recorder) {
        this.file = file;
        this.recorder = recorder;
    }

    /** Records what the loader asks for, when a schema is being made; does nothing otherwise. */
    void record(java.util.function.Consumer<KeyRecorder> what) {
        if (recorder != null) {
            what.accept(recorder);
        }
    }

    Path file() {
        return file;
    }

    void add(Location location, String path, String message) {
        errors.add(new SpecError(file, location, path, message));
    }

    /** Remembers where {@code path} is, for checks made after loading on values that lost their place. */
    void remember(String path, Location location) {
        places.put(path, location);
    }

    Location where(String path) {
        return places.getOrDefault(path, Location.UNKNOWN);
    }

    boolean isEmpty() {
        return errors.isEmpty();
    }

    void throwIfAny() {
        if (!errors.isEmpty()) {
            List<SpecError> sorted = new ArrayList<>(errors);
            sorted.sort(Comparator.comparingInt((SpecError e) -> e.location().line())
                    .thenComparingInt(e -> e.location().column()));
            throw new SpecException(sorted);
        }
    }

    /** The closest of {@code candidates} to {@code word}, when close enough to be a likely typo. */
    static String suggestion(String word, Iterable<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            int d = distance(word.toLowerCase(), candidate.toLowerCase());
            if (d < bestDistance) {
                bestDistance = d;
                best = candidate;
            }
        }
        return best != null && bestDistance <= Math.max(2, word.length() / 3) ? best : null;
    }

    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
