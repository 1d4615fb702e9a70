package dev.cutter.pkg.deb;

import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a real program for a test: its exit code and both outputs, C locale, stdin from /dev/null. */
public final class Run {
    public record Result(List<String> command, int exit, String out, String err) {
        public String all() {
            return String.join(" ", command) + " exited " + exit + "\n" + out + err;
        }

        public Result ok() {
            if (exit != 0) {
                fail(all());
            }
            return this;
        }
    }

    private Run() {}

    public static Result run(List<String> command) {
        return run(command, Map.of(), null);
    }

    public static Result run(List<String> command, Map<String, String> env, Path dir) {
        try {
            Path out = Files.createTempFile("cutter-run-", ".out");
            Path err = Files.createTempFile("cutter-run-", ".err");
            try {
                ProcessBuilder builder = new ProcessBuilder(command)
                        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                        .redirectOutput(out.toFile()).redirectError(err.toFile());
                if (dir != null) {
                    builder.directory(dir.toFile());
                }
                builder.environment().put("LC_ALL", "C.UTF-8");
                builder.environment().put("TZ", "UTC");
                builder.environment().putAll(env);
                Process process = builder.start();
                if (!process.waitFor(120, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    fail(String.join(" ", command) + " did not finish within 120 s");
                }
                return new Result(command, process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                        Files.readString(err, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
