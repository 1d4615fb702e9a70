package dev.cutter.run.jobs;

import dev.cutter.run.JobContext;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Commands of builds and checks: {@code /bin/sh -c}, output to the job log, stopped with their children. */
final class Shell {
    private Shell() {}

    /** Runs {@code command} in {@code workdir} and returns its exit status; throws if the job was cancelled. */
    static int run(JobContext context, String command, Map<String, String> env, Path workdir,
            Map<String, String> inherited) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", command).directory(workdir.toFile());
        pb.environment().clear();
        pb.environment().putAll(inherited);
        pb.environment().put("CUTTER_PROJECT_DIR", context.projectDir().toString());
        pb.environment().put("CUTTER_VERSION", context.plan().version());
        pb.environment().put("CUTTER_TAG", context.plan().tag());
        pb.environment().put("CUTTER_RUN", context.runId());
        pb.environment().putAll(env);
        Process process = pb.start();
        process.getOutputStream().close();
        context.cancellation().onCancel(() -> stop(process));
        Thread out = Thread.ofVirtual().start(() -> pump(process.getInputStream(), "stdout", context));
        Thread err = Thread.ofVirtual().start(() -> pump(process.getErrorStream(), "stderr", context));
        int status = process.waitFor();
        out.join();
        err.join();
        context.cancellation().throwIfCancelled();
        return status;
    }

    /** Stops the command and everything it started: TERM first, KILL after five seconds. */
    static void stop(Process process) {
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        tree.add(process.toHandle());
        tree.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        try {
            for (ProcessHandle p : tree) { // every one of them, not just the shell: children outlive it
                long left = deadline - System.nanoTime();
                if (left > 0) {
                    p.onExit().get(left, TimeUnit.NANOSECONDS);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            // what did not stop on TERM is killed below
        }
        tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
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
