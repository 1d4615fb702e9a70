package dev.cutter.repo.apt;

import java.util.List;

/**
 * What {@link AptRepository#verify} found: how many index and pool files it checked, and each
 * problem as one sentence naming the file (a missing file, a size or digest that differs from
 * what the Release or Packages file says).
 */
public record AptVerification(int indexFiles, int poolFiles, List<String> problems) {
    public AptVerification {
        problems = List.copyOf(problems);
    }

    public boolean ok() {
        return problems.isEmpty();
    }
}
