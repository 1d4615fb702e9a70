package dev.cutter.kinds;

import dev.cutter.process.Command;
import dev.cutter.process.ProcessRunner;
import dev.cutter.process.Result;
import dev.cutter.run.jobs.Shell;
import dev.cutter.spec.MatrixGenerator;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a matrix's {@code generate:} command with {@code /bin/sh -c} in the spec's directory,
 * confined as a build's command is: it sees only the base of Cutter's environment
 * ({@link Shell#BASE}: a path, a home, a locale), no input, and is stopped after {@code timeout}.
 * A failure is told with the command's status and the last lines it printed.
 */
public record GenerateCommands(ProcessRunner processes, Map<String, String> environment, Duration timeout)
        implements MatrixGenerator {
    /** How many of the last lines of a failed command's output are told. */
    static final int TAIL = 15;

    public GenerateCommands {
        environment = Map.copyOf(environment);
    }

    @Override
    public void generate(String command, Path directory) throws Failure {
        Map<String, String> env = new LinkedHashMap<>();
        for (String name : Shell.BASE) {
            if (environment.containsKey(name)) {
                env.put(name, environment.get(name));
            }
        }
        env.putIfAbsent("PATH", "/usr/local/bin:/usr/bin:/bin");
        env.put("CUTTER_PROJECT_DIR", directory.toString());
        Command run = new Command(List.of("/bin/sh", "-c", command), java.util.Optional.of(directory), env, true,
                java.util.Optional.empty(), true, timeout);
        Result result;
        try {
            result = processes.run(run);
        } catch (ProcessRunner.TimedOut e) {
            throw new Failure("the command did not finish within " + timeout.toSeconds() + " s and was stopped");
        } catch (IOException e) {
            throw new Failure("the command cannot be started: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failure("interrupted while the command ran");
        }
        if (!result.ok()) {
            throw new Failure("the command exited with status " + result.exit() + tail(result.out())
                    + "; fix what it reports, then run cutter again");
        }
    }

    /** The last {@link #TAIL} lines of {@code output}, each indented, or a note that it printed nothing. */
    static String tail(String output) {
        List<String> lines = output.lines().toList();
        if (lines.isEmpty()) {
            return " and printed nothing";
        }
        List<String> last = lines.subList(Math.max(0, lines.size() - TAIL), lines.size());
        return (lines.size() > TAIL ? "; its last " + TAIL + " lines:" : "; it printed:") + "\n    "
                + String.join("\n    ", last) + "\n ";
    }

    /** The runner and the time limit; of the environment, only its size (it holds the run's secrets). */
    @Override
    public String toString() {
        return "GenerateCommands[processes=" + processes + ", environment=<" + environment.size() + " variables>, timeout=" + timeout + "]";
    }
}
