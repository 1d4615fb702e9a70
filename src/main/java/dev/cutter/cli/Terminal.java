package dev.cutter.cli;

import java.io.File;
import dev.cutter.process.Command;
import dev.cutter.process.ProcessRunner;
import dev.cutter.process.Result;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** How wide the terminal is: what live progress is clipped to and help is wrapped at. */
final class Terminal {
    /** The width assumed where none is known (a pipe, a log). */
    static final int DEFAULT_COLUMNS = 80;

    private Terminal() {}

    /** {@code COLUMNS} when set, else what the controlling terminal says ({@code stty size}), else {@value #DEFAULT_COLUMNS}. */
    static int columns(Map<String, String> environment) {
        String columns = environment.get("COLUMNS");
        if (columns != null) {
            try {
                int n = Integer.parseInt(columns.strip());
                if (n > 0) {
                    return n;
                }
            } catch (NumberFormatException ignored) { // a COLUMNS that is no number says nothing
            }
        }
        return ttyColumns().orElse(DEFAULT_COLUMNS);
    }

    /** What {@code stty} says of the controlling terminal (GNU's {@code -F} names it, so no input need be one). */
    private static java.util.OptionalInt ttyColumns() {
        if (System.console() == null || !new File("/dev/tty").canRead()) {
            return java.util.OptionalInt.empty();
        }
        try {
            Result size = ProcessRunner.local().run(Command.of(List.of("stty", "-F", "/dev/tty", "size"), Duration.ofSeconds(2)));
            String[] rowsColumns = size.out().strip().split("\\s+");
            return size.exit() == 0 && rowsColumns.length == 2 ? java.util.OptionalInt.of(Integer.parseInt(rowsColumns[1]))
                    : java.util.OptionalInt.empty();
        } catch (java.io.IOException | NumberFormatException e) {
            return java.util.OptionalInt.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return java.util.OptionalInt.empty();
        }
    }
}
