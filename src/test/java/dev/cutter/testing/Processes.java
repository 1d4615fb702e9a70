package dev.cutter.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Looks for processes by command line, as pgrep does. */
public final class Processes {
    private Processes() {}

    /**
     * Waits up to five seconds for no process to match {@code pattern} (a process sent TERM takes a
     * moment to go); returns what still matches then, empty when none does. The pattern is matched
     * against every process of the machine: make it unique to the test (e.g. {@code sleep 30.4711}).
     */
    public static String awaitNone(String pattern) throws IOException, InterruptedException {
        String found = "";
        for (int i = 0; i < 50; i++) {
            found = matching(pattern);
            if (found.isEmpty()) {
                return found;
            }
            Thread.sleep(100); // the process is exiting
        }
        return found;
    }

    /**
     * Waits up to five seconds for at least {@code count} processes to match {@code pattern} (a
     * command that is starting them); returns how many match when it stops waiting.
     */
    public static long awaitAtLeast(String pattern, long count) throws IOException, InterruptedException {
        long found = matching(pattern).lines().count();
        for (int i = 0; i < 200 && found < count; i++) {
            Thread.sleep(25); // the command is starting them
            found = matching(pattern).lines().count();
        }
        return found;
    }

    /** The ids of the processes whose command line matches {@code pattern} now, a line each; empty when none does. */
    public static String matching(String pattern) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("pgrep", "-f", pattern).start();
        String found = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        p.waitFor();
        return found;
    }
}
