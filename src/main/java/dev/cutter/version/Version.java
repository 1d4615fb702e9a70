package dev.cutter.version;

import java.util.List;
import java.util.Optional;

/**
 * A release version in one of the supported {@linkplain VersionScheme schemes}.
 *
 * <h2>Precedence</h2>
 * All versions, whatever their scheme, are ordered by one rule so that a repository whose history
 * mixes schemes still has a single "highest" version:
 * <ol>
 *   <li>the {@linkplain #numbers() release numbers} are compared component by component, a
 *       missing component counting as 0 (so loose {@code 1.2} ranks with semver {@code 1.2.0});
 *   <li>if they are equal, a version without a prerelease ranks above one with a prerelease;
 *   <li>two prereleases are compared identifier by identifier as in Semantic Versioning 2.0.0
 *       §11.4: identifiers made only of digits compare numerically and rank below alphanumeric
 *       ones, alphanumeric identifiers compare in ASCII order, and when all shared identifiers
 *       are equal the longer list ranks higher.
 * </ol>
 * Build metadata is ignored, as semver requires.
 *
 * <p>Consequently {@code compareTo} is <em>not</em> consistent with {@code equals}: {@code
 * 1.0.0+a} and {@code 1.0.0+b}, or loose {@code 1.2} and semver {@code 1.2.0}, compare as 0 but
 * are different values (records compare all their components). Sorted collections keyed by
 * precedence will therefore keep only one of them.
 */
public sealed interface Version extends Comparable<Version> permits SemVer, LooseVersion {

    /** The version in canonical form, without any tag prefix, e.g. {@code 1.2.3-rc.1}. */
    String text();

    /** The release numbers, e.g. {@code [1, 2, 3]}; never empty. */
    List<Long> numbers();

    /** The first release number. */
    default long major() {
        return numberAt(0);
    }

    /** The second release number, 0 when the version has fewer numbers. */
    default long minor() {
        return numberAt(1);
    }

    /** The third release number, 0 when the version has fewer numbers. */
    default long patch() {
        return numberAt(2);
    }

    /** The semver prerelease or loose label, e.g. {@code rc.1}; empty for a stable version. */
    Optional<String> prerelease();

    /** The prerelease split into its dot-separated identifiers; empty for a stable version. */
    List<String> prereleaseIdentifiers();

    /** Whether this is a prerelease, which ranks below the stable version with equal numbers. */
    default boolean isPrerelease() {
        return !prereleaseIdentifiers().isEmpty();
    }

    /** Compares by precedence as described in the {@linkplain Version type documentation}. */
    @Override
    default int compareTo(Version other) {
        int byNumbers = compareNumbers(numbers(), other.numbers());
        if (byNumbers != 0) {
            return byNumbers;
        }
        return comparePrereleases(prereleaseIdentifiers(), other.prereleaseIdentifiers());
    }

    private long numberAt(int index) {
        List<Long> numbers = numbers();
        return index < numbers.size() ? numbers.get(index) : 0L;
    }

    private static int compareNumbers(List<Long> left, List<Long> right) {
        int length = Math.max(left.size(), right.size());
        for (int i = 0; i < length; i++) {
            long l = i < left.size() ? left.get(i) : 0L;
            long r = i < right.size() ? right.get(i) : 0L;
            if (l != r) {
                return Long.compare(l, r);
            }
        }
        return 0;
    }

    private static int comparePrereleases(List<String> left, List<String> right) {
        if (left.isEmpty() || right.isEmpty()) {
            // A stable version ranks above any prerelease with the same numbers.
            return Boolean.compare(left.isEmpty(), right.isEmpty());
        }
        int shared = Math.min(left.size(), right.size());
        for (int i = 0; i < shared; i++) {
            int byIdentifier = compareIdentifiers(left.get(i), right.get(i));
            if (byIdentifier != 0) {
                return byIdentifier;
            }
        }
        return Integer.compare(left.size(), right.size());
    }

    private static int compareIdentifiers(String left, String right) {
        boolean leftNumeric = VersionSyntax.isDigits(left);
        boolean rightNumeric = VersionSyntax.isDigits(right);
        if (leftNumeric && rightNumeric) {
            return compareDigits(left, right);
        }
        if (leftNumeric != rightNumeric) {
            return leftNumeric ? -1 : 1;
        }
        return left.compareTo(right);
    }

    /** Numeric comparison of digit strings of any length, so large identifiers cannot overflow. */
    private static int compareDigits(String left, String right) {
        String l = VersionSyntax.stripLeadingZeros(left);
        String r = VersionSyntax.stripLeadingZeros(right);
        if (l.length() != r.length()) {
            return Integer.compare(l.length(), r.length());
        }
        return l.compareTo(r);
    }
}
