package dev.cutter.version;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A version of the {@code loose} scheme: one or more dot-separated numbers with an optional
 * {@code -label}, e.g. {@code 2}, {@code 1.2.3.4}, {@code 0.9-beta} or {@code 0.10-daily}.
 *
 * <p>It exists for projects whose history predates semver or never followed it. A labelled
 * version is a prerelease: it ranks below the unlabelled version with the same numbers, and
 * labels compare like semver prerelease identifiers after splitting on '.'. Numbers must not have
 * leading zeros, so that {@code parse(text).text()} returns {@code text} and tags round-trip.
 *
 * @param numbers the release numbers; at least one, none negative
 * @param label the text after the first '-', made of ASCII letters, digits, '.' and '-'
 */
public record LooseVersion(List<Long> numbers, Optional<String> label) implements Version {

    public LooseVersion {
        numbers = List.copyOf(numbers);
        Objects.requireNonNull(label, "label");
        String text = render(numbers, label);
        if (numbers.isEmpty()) {
            throw invalid(text, "it has no numbers; a loose version starts with a number, as in 0.9-beta");
        }
        for (long number : numbers) {
            if (number < 0) {
                throw invalid(text, "the number " + number + " is negative");
            }
        }
        if (label.isPresent()) {
            String value = label.get();
            if (value.isEmpty()) {
                throw invalid(text, "the label after '-' is empty; remove the '-' or add a label, as in 0.9-beta");
            }
            int bad = VersionSyntax.firstInvalidChar(value, ".");
            if (bad >= 0) {
                throw invalid(text, "the label \"" + value + "\" contains " + VersionSyntax.describeCharAt(value, bad)
                        + "; a label may contain only ASCII letters, digits, '.' and '-'");
            }
        }
    }

    /** A version without a label. */
    public static LooseVersion of(long... numbers) {
        List<Long> list = new ArrayList<>(numbers.length);
        for (long number : numbers) {
            list.add(number);
        }
        return new LooseVersion(list, Optional.empty());
    }

    /**
     * Parses loose text such as {@code 0.10-daily} or {@code 1.2.3.4}.
     *
     * @throws VersionException naming the problem and, where there is an obvious fix, the text to
     *     write instead
     */
    public static LooseVersion parse(String text) {
        Objects.requireNonNull(text, "text");
        if (text.isEmpty()) {
            throw invalid(text, "it is empty; expected dot-separated numbers with an optional -label,"
                    + " such as 2, 1.2.3.4 or 0.10-daily");
        }
        Optional<String> problem = VersionSyntax.characterProblem(text, ".", "ASCII letters, digits, '.' and '-'");
        if (problem.isPresent()) {
            throw invalid(text, problem.get());
        }
        int dash = text.indexOf('-');
        String numberText = dash < 0 ? text : text.substring(0, dash);
        Optional<String> label = dash < 0 ? Optional.empty() : Optional.of(text.substring(dash + 1));
        if (numberText.isEmpty()) {
            throw invalid(text, "it does not start with a number; a label follows the numbers, as in 0.9-beta");
        }
        List<Long> numbers = new ArrayList<>();
        int offset = 0;
        for (String part : VersionSyntax.splitDots(numberText)) {
            numbers.add(parseNumber(text, part, offset, numberText));
            offset += part.length() + 1;
        }
        return new LooseVersion(numbers, label);
    }

    @Override
    public String text() {
        return render(numbers, label);
    }

    /** The {@linkplain #label() label}. */
    @Override
    public Optional<String> prerelease() {
        return label;
    }

    /** The label split on '.', e.g. {@code [beta, 2]} for {@code 1.0-beta.2}. */
    @Override
    public List<String> prereleaseIdentifiers() {
        return label.map(VersionSyntax::splitDots).map(List::copyOf).orElse(List.of());
    }

    /** The {@linkplain #text() canonical text}, so that versions read naturally in messages. */
    @Override
    public String toString() {
        return text();
    }

    /** Parses the number {@code part}, which starts at {@code offset} in {@code text}. */
    private static long parseNumber(String text, String part, int offset, String numberText) {
        if (part.isEmpty()) {
            throw invalid(text, "it has an empty number; numbers are separated by single dots, as in 1.2.3");
        }
        if (!VersionSyntax.isDigits(part)) {
            String problem = "\"" + part + "\" is not a number";
            int digits = 0;
            while (digits < part.length() && VersionSyntax.isDigit(part.charAt(digits))) {
                digits++;
            }
            if (digits > 0) {
                // "0.9beta" almost certainly means "0.9-beta".
                int at = offset + digits;
                problem += "; a label follows a '-', as in " + text.substring(0, at) + "-" + text.substring(at);
            }
            throw invalid(text, problem);
        }
        if (VersionSyntax.hasLeadingZero(part)) {
            String fixed = String.join(".", VersionSyntax.splitDots(numberText).stream()
                    .map(n -> VersionSyntax.isDigits(n) ? VersionSyntax.stripLeadingZeros(n) : n)
                    .toList()) + text.substring(numberText.length());
            throw invalid(text, "number \"" + part + "\" has a leading zero; write " + fixed);
        }
        try {
            return Long.parseLong(part);
        } catch (NumberFormatException e) {
            throw invalid(text, "the number " + part + " is too large; the maximum is " + Long.MAX_VALUE);
        }
    }

    private static String render(List<Long> numbers, Optional<String> label) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < numbers.size(); i++) {
            text.append(i == 0 ? "" : ".").append(numbers.get(i));
        }
        label.ifPresent(value -> text.append('-').append(value));
        return text.toString();
    }

    private static VersionException invalid(String text, String problem) {
        return new VersionException("\"" + text + "\" is not a loose version: " + problem);
    }
}
