package dev.cutter.version;

import java.util.Objects;

/**
 * A shell-style wildcard pattern: {@code *} matches any run of characters (including none),
 * {@code ?} matches exactly one character, and every other character matches itself. There is no
 * escaping and no character class; the whole text must match.
 *
 * <p>Matching is iterative, remembering only the most recent {@code *}, so its cost is bounded by
 * pattern length × text length. Patterns come from configuration and are matched against versions
 * and branch names, so a pathological pattern must not be able to stall a release the way a
 * backtracking regular expression could.
 *
 * @param pattern the pattern text
 */
public record Glob(String pattern) {

    public Glob {
        Objects.requireNonNull(pattern, "pattern");
    }

    /** Whether the whole of {@code text} matches this pattern. */
    public boolean matches(String text) {
        Objects.requireNonNull(text, "text");
        int[] p = pattern.codePoints().toArray();
        int[] t = text.codePoints().toArray();
        int pi = 0;
        int ti = 0;
        int star = -1; // position of the last '*' seen in the pattern
        int resume = 0; // text position that '*' is currently assumed to extend to
        while (ti < t.length) {
            if (pi < p.length && p[pi] == '*') {
                star = pi++;
                resume = ti;
            } else if (pi < p.length && (p[pi] == '?' || p[pi] == t[ti])) {
                pi++;
                ti++;
            } else if (star >= 0) {
                // Let the last '*' swallow one more character and retry from there. Earlier stars
                // never need revisiting: whatever they could match, the last one can too.
                pi = star + 1;
                ti = ++resume;
            } else {
                return false;
            }
        }
        while (pi < p.length && p[pi] == '*') {
            pi++;
        }
        return pi == p.length;
    }

    /**
     * What this pattern's last {@code *} matched in {@code text} (the longest run it can take),
     * or empty when the pattern has no {@code *} or does not match. {@code releases/*}{@code /v*}
     * against {@code releases/km/v0.10} gives {@code 0.10}.
     */
    public java.util.Optional<String> lastStar(String text) {
        int last = pattern.lastIndexOf('*');
        if (last < 0 || !matches(text)) {
            return java.util.Optional.empty();
        }
        Glob head = new Glob(pattern.substring(0, last));
        int tail = pattern.substring(last + 1).codePointCount(0, pattern.length() - last - 1);
        int end = text.offsetByCodePoints(text.length(), -tail);
        for (int start = 0; start <= end; start = start < text.length() ? text.offsetByCodePoints(start, 1) : start + 1) {
            if (head.matches(text.substring(0, start))) {
                return java.util.Optional.of(text.substring(start, end));
            }
        }
        return java.util.Optional.empty();
    }

    @Override
    public String toString() {
        return pattern;
    }
}
