package dev.cutter.version;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A <a href="https://semver.org/spec/v2.0.0.html">Semantic Versioning 2.0.0</a> version.
 *
 * <p>The prerelease is held as its list of identifiers ({@code rc.1} is {@code [rc, 1]}) because
 * precedence compares them one by one; {@link #prerelease()} gives the joined text. The
 * component is not called {@code prerelease} because {@link Version#prerelease()} already names
 * the joined, optional form shared by every scheme.
 *
 * <p>Only canonical text is accepted (no leading zeros, no "v" prefix), so {@code
 * parse(text).text()} always returns {@code text} and a tag built from a parsed version is the
 * tag it was read from. Build metadata is kept, and takes part in {@code equals}, but not in
 * {@linkplain Version precedence}.
 *
 * @param prereleaseIdentifiers dot-separated prerelease identifiers; empty for a stable version
 * @param build dot-separated build metadata identifiers; empty for none
 */
public record SemVer(long major, long minor, long patch, List<String> prereleaseIdentifiers,
                     List<String> build) implements Version {

    private static final String[] NUMBER_NAMES = {"major", "minor", "patch"};

    public SemVer {
        prereleaseIdentifiers = List.copyOf(prereleaseIdentifiers);
        build = List.copyOf(build);
        String text = render(major, minor, patch, prereleaseIdentifiers, build);
        long[] numbers = {major, minor, patch};
        for (int i = 0; i < numbers.length; i++) {
            if (numbers[i] < 0) {
                throw invalid(text, "the " + NUMBER_NAMES[i] + " version " + numbers[i] + " is negative");
            }
        }
        checkIdentifiers(text, "prerelease", prereleaseIdentifiers, "1.2.3-rc.1");
        checkIdentifiers(text, "build metadata", build, "1.2.3+build.5");
    }

    /** A stable version without build metadata. */
    public static SemVer of(long major, long minor, long patch) {
        return new SemVer(major, minor, patch, List.of(), List.of());
    }

    /**
     * Parses canonical semver text such as {@code 1.2.3}, {@code 1.0.0-rc.1} or {@code
     * 1.0.0+build.5}.
     *
     * @throws VersionException naming the problem and, where there is an obvious fix, the text to
     *     write instead
     */
    public static SemVer parse(String text) {
        Objects.requireNonNull(text, "text");
        if (text.isEmpty()) {
            throw invalid(text, "it is empty; expected MAJOR.MINOR.PATCH, such as 1.2.3");
        }
        Optional<String> problem = VersionSyntax.characterProblem(text, ".+", "ASCII letters, digits, '.', '-' and '+'");
        if (problem.isPresent()) {
            throw invalid(text, problem.get());
        }

        int plus = text.indexOf('+');
        String beforeBuild = plus < 0 ? text : text.substring(0, plus);
        List<String> build = List.of();
        if (plus >= 0) {
            String metadata = text.substring(plus + 1);
            if (metadata.indexOf('+') >= 0) {
                throw invalid(text, "it contains more than one '+'; build metadata starts after the first '+'"
                        + " and may not contain another");
            }
            if (metadata.isEmpty()) {
                throw invalid(text, "the build metadata after '+' is empty; remove the '+' or add identifiers,"
                        + " as in 1.2.3+build.5");
            }
            build = VersionSyntax.splitDots(metadata);
        }

        int dash = beforeBuild.indexOf('-');
        String core = dash < 0 ? beforeBuild : beforeBuild.substring(0, dash);
        List<String> prerelease = List.of();
        if (dash >= 0) {
            String identifiers = beforeBuild.substring(dash + 1);
            if (identifiers.isEmpty()) {
                throw invalid(text, "the prerelease after '-' is empty; remove the '-' or add identifiers,"
                        + " as in 1.2.3-rc.1");
            }
            prerelease = VersionSyntax.splitDots(identifiers);
        }

        List<String> parts = VersionSyntax.splitDots(core);
        long[] numbers = new long[3];
        int offset = 0;
        for (int i = 0; i < Math.min(parts.size(), 3); i++) {
            numbers[i] = parseNumber(text, i, parts.get(i), offset);
            offset += parts.get(i).length() + 1;
        }
        if (parts.size() < 3) {
            String padded = core + ".0".repeat(3 - parts.size()) + text.substring(core.length());
            throw invalid(text, "it has " + parts.size() + " of the three numbers MAJOR.MINOR.PATCH; write "
                    + padded);
        }
        if (parts.size() > 3) {
            boolean allNumbers = parts.stream().allMatch(VersionSyntax::isDigits);
            throw invalid(text, allNumbers
                    ? "it has " + parts.size() + " numbers, but a semantic version has exactly three"
                            + " (MAJOR.MINOR.PATCH); use the loose version scheme for versions like 1.2.3.4"
                    : "it has " + parts.size() + " dot-separated parts before the prerelease, but a semantic"
                            + " version has exactly three (MAJOR.MINOR.PATCH); a prerelease follows a '-',"
                            + " as in 1.2.3-beta");
        }
        return new SemVer(numbers[0], numbers[1], numbers[2], prerelease, build);
    }

    @Override
    public String text() {
        return render(major, minor, patch, prereleaseIdentifiers, build);
    }

    @Override
    public List<Long> numbers() {
        return List.of(major, minor, patch);
    }

    @Override
    public Optional<String> prerelease() {
        return prereleaseIdentifiers.isEmpty()
                ? Optional.empty()
                : Optional.of(String.join(".", prereleaseIdentifiers));
    }

    /** The build metadata joined with dots, e.g. {@code build.5}; empty when there is none. */
    public Optional<String> buildMetadata() {
        return build.isEmpty() ? Optional.empty() : Optional.of(String.join(".", build));
    }

    /** The {@linkplain #text() canonical text}, so that versions read naturally in messages. */
    @Override
    public String toString() {
        return text();
    }

    /** Parses the core number at {@code index}, which starts at {@code offset} in {@code text}. */
    private static long parseNumber(String text, int index, String part, int offset) {
        String name = NUMBER_NAMES[index];
        if (part.isEmpty()) {
            throw invalid(text, "the " + name + " version is empty");
        }
        if (!VersionSyntax.isDigits(part)) {
            String problem = "the " + name + " version \"" + part + "\" is not a number";
            int digits = 0;
            while (digits < part.length() && VersionSyntax.isDigit(part.charAt(digits))) {
                digits++;
            }
            if (index == 2 && digits > 0) {
                // "1.2.3beta" almost certainly means "1.2.3-beta".
                int at = offset + digits;
                problem += "; a prerelease follows a '-', as in " + text.substring(0, at) + "-" + text.substring(at);
            }
            throw invalid(text, problem);
        }
        if (VersionSyntax.hasLeadingZero(part)) {
            throw invalid(text, leadingZero(text, part));
        }
        try {
            return Long.parseLong(part);
        } catch (NumberFormatException e) {
            throw invalid(text, "the " + name + " version " + part + " is too large; the maximum is "
                    + Long.MAX_VALUE);
        }
    }

    private static void checkIdentifiers(String text, String kind, List<String> identifiers, String example) {
        for (String identifier : identifiers) {
            if (identifier.isEmpty()) {
                throw invalid(text, "the " + kind + " has an empty identifier; identifiers are separated by"
                        + " single dots, as in " + example);
            }
            int bad = VersionSyntax.firstInvalidChar(identifier, "");
            if (bad >= 0) {
                throw invalid(text, "the " + kind + " identifier \"" + identifier + "\" contains "
                        + VersionSyntax.describeCharAt(identifier, bad)
                        + "; identifiers may contain only ASCII letters, digits and '-'");
            }
            if (kind.equals("prerelease") && VersionSyntax.isDigits(identifier)
                    && VersionSyntax.hasLeadingZero(identifier)) {
                throw invalid(text, leadingZero(text, identifier));
            }
        }
    }

    private static String leadingZero(String text, String identifier) {
        return "numeric identifier \"" + identifier + "\" has a leading zero; write " + withoutLeadingZeros(text);
    }

    /** The text with leading zeros removed wherever semver forbids them (not in build metadata). */
    private static String withoutLeadingZeros(String text) {
        int plus = text.indexOf('+');
        String beforeBuild = plus < 0 ? text : text.substring(0, plus);
        String build = plus < 0 ? "" : text.substring(plus);
        int dash = beforeBuild.indexOf('-');
        String core = dash < 0 ? beforeBuild : beforeBuild.substring(0, dash);
        StringBuilder fixed = new StringBuilder(stripEach(core));
        if (dash >= 0) {
            fixed.append('-').append(stripEach(beforeBuild.substring(dash + 1)));
        }
        return fixed.append(build).toString();
    }

    private static String stripEach(String dotted) {
        return String.join(".", VersionSyntax.splitDots(dotted).stream()
                .map(part -> VersionSyntax.isDigits(part) ? VersionSyntax.stripLeadingZeros(part) : part)
                .toList());
    }

    private static String render(long major, long minor, long patch, List<String> prerelease, List<String> build) {
        StringBuilder text = new StringBuilder().append(major).append('.').append(minor).append('.').append(patch);
        if (!prerelease.isEmpty()) {
            text.append('-').append(String.join(".", prerelease));
        }
        if (!build.isEmpty()) {
            text.append('+').append(String.join(".", build));
        }
        return text.toString();
    }

    private static VersionException invalid(String text, String problem) {
        return new VersionException("\"" + text + "\" is not a semantic version: " + problem);
    }
}
