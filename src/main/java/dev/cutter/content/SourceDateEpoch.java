package dev.cutter.content;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@code SOURCE_DATE_EPOCH} (reproducible-builds.org): the time a build says it was made, in whole
 * seconds since 1970, which archives, packages, tags and dates take instead of the clock.
 */
public final class SourceDateEpoch {
    /** Whole seconds, up to twelve digits (the year 33658): more would not fit a time at all. */
    private static final Pattern SECONDS = Pattern.compile("[0-9]{1,12}");

    private SourceDateEpoch() {}

    /**
     * The time {@code SOURCE_DATE_EPOCH} names in {@code environment}; empty when it is unset or not
     * whole seconds (a sign, a fraction, spaces, a number beyond any time), so the caller's own
     * default applies, as it does when the variable is unset.
     */
    public static Optional<Instant> of(Map<String, String> environment) {
        String value = environment.get("SOURCE_DATE_EPOCH");
        return value != null && SECONDS.matcher(value).matches() ? Optional.of(Instant.ofEpochSecond(Long.parseLong(value)))
                : Optional.empty();
    }
}
