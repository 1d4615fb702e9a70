package dev.cutter.git;

import dev.cutter.process.Command;
import dev.cutter.process.ProcessRunner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs the git program, for what only it does the way users configured it: credential helpers and
 * ssh (ssh-agent, ~/.ssh/config, core.sshCommand, GIT_SSH_COMMAND). Never prompts on a terminal.
 */
final class GitCli {
    record Result(int exit, String out, String err) {
        boolean ok() {
            return exit == 0;
        }
    }

    /** Fail instead of waiting for a password nobody types; output in the C locale. */
    private static final Map<String, String> ENVIRONMENT = Map.of("GIT_TERMINAL_PROMPT", "0", "GCM_INTERACTIVE", "never",
            "LC_ALL", "C");

    private final Path dir;
    private final ProcessRunner processes;

    GitCli(Path dir) {
        this(dir, ProcessRunner.local());
    }

    GitCli(Path dir, ProcessRunner processes) {
        this.dir = dir;
        this.processes = processes;
    }

    Result run(Duration timeout, String stdin, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add("git");
        command.addAll(args);
        try {
            dev.cutter.process.Result result = processes.run(Command.of(command, timeout).in(dir).with(ENVIRONMENT).input(stdin));
            return new Result(result.exit(), result.out(), result.err());
        } catch (ProcessRunner.CannotStart e) {
            throw new GitException("cannot run git (" + e.getMessage() + "); install it (apt-get install -y git):"
                    + " Cutter uses it for credential helpers and ssh remotes", e);
        } catch (ProcessRunner.TimedOut e) {
            throw new GitException("git " + args.getFirst() + " did not finish within " + timeout.toSeconds()
                    + " s in " + dir + "; check the network and the remote");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GitException("interrupted while running git " + args.getFirst() + " in " + dir, e);
        }
    }
}
