package dev.cutter.e2e;

import dev.cutter.app.Services;
import dev.cutter.cli.Cutter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Cutter as a real process (the same JVM binary and class path as the tests), so tests can kill
 * it with SIGKILL, signal it, run two at once, and read what it printed; or run in this JVM
 * ({@link #inProcess}) when no process boundary is under test.
 */
final class CutterProcess {
    record Result(int exit, String out, String err) {}

    private CutterProcess() {}

    static ProcessBuilder builder(Path dir, Map<String, String> env, String... args) {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), "dev.cutter.cli.Cutter"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
        pb.environment().putAll(env);
        pb.environment().put("CI", "true");
        return pb;
    }

    static Process start(Path dir, Map<String, String> env, Path log, String... args) throws IOException {
        return builder(dir, env, args).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /**
     * As {@link #start}, with SIGINT at its default disposition, so the test can send Ctrl-C's
     * signal. A process started in the background by a non-interactive shell (`nohup … &`, as
     * some CI wrappers do) ignores SIGINT; that disposition is inherited, and the JVM then installs
     * no handler for it. GNU env's {@code --default-signal} undoes that for the child alone.
     */
    static Process startInterruptible(Path dir, Map<String, String> env, Path log, String... args) throws IOException {
        ProcessBuilder pb = builder(dir, env, args);
        List<String> command = new ArrayList<>(List.of("env", "--default-signal=INT"));
        command.addAll(pb.command());
        return pb.command(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    static Result run(Path dir, Map<String, String> env, String... args) throws IOException, InterruptedException {
        Path out = Files.createTempFile("cutter-out", ".txt");
        Path err = Files.createTempFile("cutter-err", ".txt");
        try {
            Process p = builder(dir, env, args).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(3, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new AssertionError("cutter " + String.join(" ", args) + " did not finish in 3 minutes");
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /**
     * Cutter run in this JVM as {@link #run} runs it in a process of its own: the same environment
     * (this one's, with {@code env} and {@code CI=true} over it) and {@code dir} as its working
     * directory. For tests where no process boundary is under test.
     */
    static Result inProcess(Path dir, Map<String, String> env, String... args) {
        return inProcessWithInput(dir, env, "", args);
    }

    /** As {@link #inProcess}, with {@code stdin} as its standard input ({@code login --password-stdin}). */
    static Result inProcessWithInput(Path dir, Map<String, String> env, String stdin, String... args) {
        Map<String, String> environment = new java.util.HashMap<>(Services.ofThisProcess().environment());
        environment.putAll(env);
        environment.put("CI", "true");
        java.io.StringWriter out = new java.io.StringWriter();
        java.io.StringWriter err = new java.io.StringWriter();
        int exit = Cutter.commandLine(new java.io.ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new java.io.PrintWriter(out, true), new java.io.PrintWriter(err, true),
                new Services(environment, java.time.Clock.systemUTC(), dir)).execute(args);
        return new Result(exit, out.toString(), err.toString());
    }

    /** Copies a directory tree (an example project) so a test can release it without touching the repository. */
    static void copyTree(Path from, Path to) throws IOException {
        try (var walk = Files.walk(from)) {
            for (Path source : walk.toList()) {
                Path relative = from.relativize(source);
                if (relative.startsWith(".cutter") || relative.startsWith("dist")) {
                    continue;
                }
                Path target = to.resolve(relative.toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }
}
