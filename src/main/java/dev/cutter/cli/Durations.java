package dev.cutter.cli;

import dev.cutter.plan.PlanException;
import java.time.Duration;

/** Durations on the command line as the spec writes them: {@code 90} (seconds), {@code 30s}, {@code 5m}, {@code 6h}, {@code 1h30m}. */
final class Durations {
    private Durations() {}

    static Duration parse(String option, String text) {
        String t = text.strip().toLowerCase(java.util.Locale.ROOT);
        try {
            if (t.matches("\\d+")) {
                return Duration.ofSeconds(Long.parseLong(t));
            }
            if (t.matches("(\\d+h)?(\\d+m)?(\\d+s)?") && !t.isEmpty()) {
                return Duration.parse("PT" + t.toUpperCase(java.util.Locale.ROOT));
            }
        } catch (java.time.format.DateTimeParseException | ArithmeticException | NumberFormatException e) {
            // reported below
        }
        throw new PlanException(option + " " + text + " is not a duration; write e.g. 30s, 5m, 6h or 1h30m");
    }
}
