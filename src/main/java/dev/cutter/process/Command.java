package dev.cutter.process;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A program to run and how.
 *
 * @param argv the program and its arguments
 * @param dir the working directory; empty: Cutter's own
 * @param env variables set on top of the inherited environment (or of none, with {@code clearEnv})
 * @param clearEnv start from an empty environment instead of Cutter's
 * @param stdin what the program reads; it sees end of input after it, or at once when empty
 * @param mergeErr standard error goes into {@link Result#out}, interleaved as the program wrote it
 * @param timeout how long it may run before it is killed
 */
public record Command(List<String> argv, Optional<Path> dir, Map<String, String> env, boolean clearEnv, Optional<String> stdin,
        boolean mergeErr, Duration timeout) {
    public Command {
        argv = List.copyOf(argv);
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("a command names a program");
        }
        Objects.requireNonNull(dir, "dir");
        env = Map.copyOf(env);
        Objects.requireNonNull(stdin, "stdin");
        Objects.requireNonNull(timeout, "timeout");
    }

    /** {@code argv} in Cutter's directory and environment, no input, separate error output. */
    public static Command of(List<String> argv, Duration timeout) {
        return new Command(argv, Optional.empty(), Map.of(), false, Optional.empty(), false, timeout);
    }

    public Command in(Path directory) {
        return new Command(argv, Optional.of(directory), env, clearEnv, stdin, mergeErr, timeout);
    }

    /** The same command with {@code variables} set as well. */
    public Command with(Map<String, String> variables) {
        Map<String, String> all = new LinkedHashMap<>(env);
        all.putAll(variables);
        return new Command(argv, dir, all, clearEnv, stdin, mergeErr, timeout);
    }

    public Command input(String text) {
        return new Command(argv, dir, env, clearEnv, Optional.of(text), mergeErr, timeout);
    }

    public Command mergingErr() {
        return new Command(argv, dir, env, clearEnv, stdin, true, timeout);
    }

    /** The program's name, for messages. */
    public String program() {
        return argv.getFirst();
    }

    /** The command without its variables' values (tokens and passwords go to commands that way). */
    @Override
    public String toString() {
        return "Command[argv=" + argv + ", dir=" + dir + ", env=" + new java.util.TreeSet<>(env.keySet()) + ", clearEnv=" + clearEnv
                + ", stdin=" + stdin.map(s -> "<" + s.length() + " characters>").orElse("none") + ", mergeErr=" + mergeErr
                + ", timeout=" + timeout + "]";
    }
}
