package dev.cutter.run;

import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Replaces every secret value resolved during a run with {@code ***} (law 6). Everything that
 * leaves a job — log lines, error messages, ledger details, JSON output — passes through here.
 */
public final class Masker {
    public static final String MASK = "***";
    private final List<String> secrets = new CopyOnWriteArrayList<>();

    /** Remembers {@code value} as secret; values shorter than 3 characters would mask noise, not secrets. */
    public void add(String value) {
        if (value != null && value.length() >= 3 && !secrets.contains(value)) {
            secrets.add(value);
            secrets.sort(Comparator.comparingInt(String::length).reversed());
            String trimmed = value.strip();
            if (!trimmed.equals(value)) {
                add(trimmed); // a file secret often ends with a newline the log will not show
            }
            for (String line : value.split("\\R")) {
                if (line.length() >= 8 && !line.equals(value)) {
                    add(line); // a multi-line key appears in logs one line at a time
                }
            }
        }
    }

    public String mask(String text) {
        if (text == null || secrets.isEmpty()) {
            return text;
        }
        String out = text;
        for (String secret : secrets) {
            if (out.contains(secret)) {
                out = out.replace(secret, MASK);
            }
        }
        return out;
    }
}
