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

    @Override
    public String toString() {
        return pattern;
    }
}
