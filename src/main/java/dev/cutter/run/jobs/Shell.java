package dev.cutter.run.jobs;

import dev.cutter.run.JobContext;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Runs the commands of builds and checks with {@code /bin/sh -c}. Their output goes to the job
 * log, and when the job is stopped, so is everything the command started ({@link ProcessTree}).
 * It starts its process itself, not through {@code dev.cutter.process}: it streams output line by
 * line while the job runs and hands the live process to cancellation, which a run-to-end port cannot.
 */
public final class Shell {
    private Shell() {}

    /**
     * What a command sees of the environment Cutter was started with, besides what it declares:
     * enough for tools to find themselves, a home, a locale and a temporary directory. The rest
     * (tokens, webhook secrets, a server's credentials) stays out unless the spec names it under
     * {@code execution.inherit-env}.
     */
    public static final List<String> BASE = List.of("PATH", "HOME", "USER", "LOGNAME", "LANG", "LC_ALL", "LC_CTYPE", "TZ",
            "TMPDIR", "SOURCE_DATE_EPOCH");

    /** Runs {@code command} in {@code workdir} and returns its exit status; throws if the job was cancelled. */
    public static int run(JobContext context, String command, Map<String, String> env, Path workdir,
            Map<String, String> inherited, List<String> inheritNames) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", command).directory(workdir.toFile());
        pb.environment().clear();
        for (String name : BASE) {
            if (inherited.containsKey(name)) {
                pb.environment().put(name, inherited.get(name));
            }
        }
        for (String name : inheritNames) {
            if (inherited.containsKey(name)) {
                pb.environment().put(name, inherited.get(name));
            }
        }
        pb.environment().putIfAbsent("PATH", "/usr/local/bin:/usr/bin:/bin");
        pb.environment().put("CUTTER_PROJECT_DIR", context.projectDir().toString());
        pb.environment().put("CUTTER_VERSION", context.plan().version());
        pb.environment().put("CUTTER_TAG", context.plan().tag());
        pb.environment().put("CUTTER_RUN", context.runId());
        pb.environment().putAll(env);
        String mark = ProcessTree.newMark();
        pb.environment().put(ProcessTree.MARK_VARIABLE, mark);
        Process process = pb.start();
        process.getOutputStream().close();
        context.cancellation().onCancel(() -> {
            if (process.isAlive()) {
                ProcessTree.stop(process, mark);
            }
        });
        Thread out = Thread.ofVirtual().start(() -> pump(process.getInputStream(), "stdout", context));
        Thread err = Thread.ofVirtual().start(() -> pump(process.getErrorStream(), "stderr", context));
        int status = process.waitFor();
        if (context.cancellation().isCancelled()) {
            // Stopped: whatever still holds the output (a process that escaped, or one the
            // kernel has not reaped yet) is not waited for beyond a few seconds.
            out.join(java.time.Duration.ofSeconds(5));
            err.join(java.time.Duration.ofSeconds(5));
            context.cancellation().throwIfCancelled();
        }
        out.join();
        err.join();
        context.cancellation().throwIfCancelled();
        return status;
    }

    private static void pump(InputStream stream, String name, JobContext context) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
            for (String line; (line = reader.readLine()) != null; ) {
                context.log().line(name, line);
            }
        } catch (IOException ignored) {
            // the process went away; its status tells what happened
        }
    }
}
