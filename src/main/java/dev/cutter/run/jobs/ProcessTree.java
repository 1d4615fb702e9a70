package dev.cutter.run.jobs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * Everything a job's command started, and how to stop all of it.
 *
 * <p>A job's processes are the command's descendants plus every process that carries its
 * {@link #MARK_VARIABLE} in its environment. The mark finds the processes that a double fork
 * ({@code (server &)}) handed to init, where no parent links them to the command any more. This
 * is how CI runners find what a step left behind. Stopping works in four steps:
 * <ol>
 *   <li>freeze the tree from the top down with SIGSTOP, sweeping again until no new process
 *       appears (a stopped process cannot start another one, so nothing slips in between two
 *       sweeps);</li>
 *   <li>send SIGTERM (it stays pending while the process is stopped);</li>
 *   <li>send SIGCONT, so each process can handle its TERM;</li>
 *   <li>after five seconds, SIGKILL what is left.</li>
 * </ol>
 * Marking a process costs nothing while the command runs. The signals and the scan of
 * {@code /proc} happen only when a job is stopped. Its {@code kill} calls go straight to
 * {@link ProcessBuilder}, not through {@code dev.cutter.process}: they run while a tree is frozen,
 * output discarded, and must not wait on anything the port might.
 */
public final class ProcessTree {
    /** The environment variable whose value marks a job's processes. */
    public static final String MARK_VARIABLE = "CUTTER_JOB_PROCESS";

    private static final Path PROC = Path.of("/proc");
    private static final int MAX_SWEEPS = 20;

    private ProcessTree() {}

    /** A fresh value for {@link #MARK_VARIABLE}, unique to one command. */
    public static String newMark() {
        return UUID.randomUUID().toString();
    }

    /** Stops {@code process}, everything it started and every process carrying {@code mark}: TERM, then KILL after five seconds. */
    public static void stop(Process process, String mark) {
        ProcessHandle root = process.toHandle();
        List<ProcessHandle> frozen = freeze(root, mark);
        if (frozen.isEmpty()) {
            return;
        }
        frozen.forEach(ProcessHandle::destroy);
        signal("CONT", frozen);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        try {
            for (ProcessHandle p : frozen) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                p.onExit().get(left, TimeUnit.NANOSECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // what did not stop on TERM is killed below
        }
        frozen.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }

    /** SIGSTOPs the root, then whatever it and the marked processes started, sweep after sweep until nothing new appears; returns them all. */
    public static List<ProcessHandle> freeze(ProcessHandle root, String mark) {
        Set<ProcessHandle> frozen = new LinkedHashSet<>();
        List<ProcessHandle> next = root.isAlive() ? List.of(root) : List.of();
        next = union(next, marked(mark));
        for (int sweep = 0; sweep < MAX_SWEEPS && !next.isEmpty(); sweep++) {
            signal("STOP", next);
            frozen.addAll(next);
            List<ProcessHandle> found = new ArrayList<>();
            for (ProcessHandle p : frozen) {
                p.descendants().filter(d -> !frozen.contains(d)).forEach(found::add);
            }
            next = union(found, marked(mark)).stream().filter(p -> !frozen.contains(p)).toList();
        }
        return new ArrayList<>(frozen);
    }

    /** The live processes whose environment holds {@code MARK_VARIABLE=mark}; none where there is no {@code /proc}. */
    public static List<ProcessHandle> marked(String mark) {
        byte[] needle = (MARK_VARIABLE + "=" + mark).getBytes(StandardCharsets.UTF_8);
        long self = ProcessHandle.current().pid();
        List<ProcessHandle> found = new ArrayList<>();
        if (!Files.isDirectory(PROC)) {
            return found;
        }
        try (Stream<Path> entries = Files.list(PROC)) {
            entries.map(p -> p.getFileName().toString()).filter(ProcessTree::isPid).mapToLong(Long::parseLong)
                    .filter(pid -> pid != self)
                    .filter(pid -> holds(PROC.resolve(Long.toString(pid)).resolve("environ"), needle))
                    .forEach(pid -> ProcessHandle.of(pid).filter(ProcessHandle::isAlive).ifPresent(found::add));
        } catch (IOException | java.io.UncheckedIOException e) {
            // /proc went away under us: the descendants are all we know
        }
        return found;
    }

    private static boolean isPid(String name) {
        return !name.isEmpty() && name.chars().allMatch(Character::isDigit);
    }

    /** Whether the NUL-separated environment file holds exactly the entry {@code needle}; false for processes not ours or gone. */
    private static boolean holds(Path environ, byte[] needle) {
        byte[] env;
        try {
            env = Files.readAllBytes(environ); // a few KiB, read only when a job is stopped
        } catch (IOException | SecurityException e) {
            return false;
        }
        int start = 0;
        for (int i = 0; i <= env.length; i++) {
            if (i == env.length || env[i] == 0) {
                if (i - start == needle.length && java.util.Arrays.equals(env, start, i, needle, 0, needle.length)) {
                    return true;
                }
                start = i + 1;
            }
        }
        return false;
    }

    private static List<ProcessHandle> union(List<ProcessHandle> a, List<ProcessHandle> b) {
        Set<ProcessHandle> all = new LinkedHashSet<>(a);
        all.addAll(b);
        return new ArrayList<>(all);
    }

    /** Sends SIGNAL to the processes with the shell's kill (Java can send only TERM and KILL); errors for processes already gone are ignored. */
    private static void signal(String signal, List<ProcessHandle> processes) {
        List<String> command = new ArrayList<>(List.of("/bin/sh", "-c", "kill -s " + signal + " \"$@\" 2>/dev/null; exit 0", "kill"));
        processes.forEach(p -> command.add(Long.toString(p.pid())));
        try {
            Process kill = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!kill.waitFor(5, TimeUnit.SECONDS)) {
                kill.destroyForcibly();
            }
        } catch (IOException e) {
            // no shell to signal with: TERM and KILL still come through ProcessHandle
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
