package dev.cutter.cli;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;

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

    private static java.util.OptionalInt ttyColumns() {
        File tty = new File("/dev/tty");
        if (System.console() == null || !tty.canRead()) {
            return java.util.OptionalInt.empty();
        }
        try {
            Process stty = new ProcessBuilder("stty", "size").redirectInput(tty).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String size = new String(stty.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!stty.waitFor(2, TimeUnit.SECONDS) || stty.exitValue() != 0) {
                return java.util.OptionalInt.empty();
            }
            String[] rowsColumns = size.split("\\s+");
            return rowsColumns.length == 2 ? java.util.OptionalInt.of(Integer.parseInt(rowsColumns[1])) : java.util.OptionalInt.empty();
        } catch (java.io.IOException | NumberFormatException e) {
            return java.util.OptionalInt.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return java.util.OptionalInt.empty();
        }
    }
}
