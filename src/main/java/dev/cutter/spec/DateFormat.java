package dev.cutter.spec;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code {date:FORMAT}}: the release's date (the day of {@code SOURCE_DATE_EPOCH}, else today, in
 * UTC — what {@code {date}} writes as {@code yyyyMMdd}) in a {@link DateTimeFormatter} pattern of
 * date fields, e.g. {@code {date:yyyy-MM-dd}} for CITATION.cff's {@code date-released}.
 */
public final class DateFormat {
    /** The placeholder's prefix before the pattern. */
    public static final String PREFIX = "date:";
    private static final DateTimeFormatter COMPACT = DateTimeFormatter.ofPattern("yyyyMMdd");

    private DateFormat() {}

    /** Why {@code pattern} is not a date format, or empty when it is. */
    public static Optional<String> problem(String pattern) {
        if (pattern.isBlank()) {
            return Optional.of("names no format; write e.g. {date:yyyy-MM-dd}");
        }
        try {
            DateTimeFormatter.ofPattern(pattern, Locale.ROOT).format(LocalDate.of(2024, 6, 14));
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.of("'" + pattern + "' is not a date format (" + e.getMessage() + "); write e.g. {date:yyyy-MM-dd}");
        } catch (java.time.DateTimeException e) {
            return Optional.of("'" + pattern + "' asks for more than a date (" + e.getMessage()
                    + "); only date fields are known, e.g. {date:yyyy-MM-dd}");
        }
    }

    /** {@code compact} ({@code yyyyMMdd}, as {@code {date}}) in {@code pattern}. */
    public static String format(String compact, String pattern) {
        return DateTimeFormatter.ofPattern(pattern, Locale.ROOT).format(LocalDate.parse(compact, COMPACT));
    }
}
