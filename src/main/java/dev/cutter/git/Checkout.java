package dev.cutter.git;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Facts about the git checkout a spec lives in. */
public final class Checkout {
    private Checkout() {}

    /** The commit at HEAD of the checkout holding {@code directory}, or empty outside one. */
    public static Optional<String> headSha(Path directory) {
        try {
            Process process = new ProcessBuilder("git", "rev-parse", "--verify", "-q", "HEAD")
                    .directory(directory.toFile()).redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return Optional.empty();
            }
            return process.exitValue() == 0 && out.matches("[0-9a-f]{40,64}") ? Optional.of(out) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** When {@code commit} was committed, for reproducible file times when SOURCE_DATE_EPOCH is not set. */
    public static Optional<java.time.Instant> commitTime(Path directory, String commit) {
        try {
            Process process = new ProcessBuilder("git", "show", "-s", "--format=%ct", commit)
                    .directory(directory.toFile()).redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return Optional.empty();
            }
            return process.exitValue() == 0 && out.matches("\\d+")
                    ? Optional.of(java.time.Instant.ofEpochSecond(Long.parseLong(out))) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
