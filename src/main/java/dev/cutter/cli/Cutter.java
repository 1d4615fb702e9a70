package dev.cutter.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The command line: one class per subcommand, each parsing, calling one service and printing. */
@Command(name = "cutter", mixinStandardHelpOptions = true, versionProvider = Cutter.Version.class,
        description = "Plans, executes, records, resumes, promotes and verifies releases described in cutter.yaml.",
        subcommands = {ValidateCommand.class, PlanCommand.class, ReleaseCommand.class, RunsCommand.class, ReleasesCommand.class, RepoCommand.class,
                CopyCommand.class, InspectCommand.class, CommandLine.HelpCommand.class})
public final class Cutter implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec command;

    public static void main(String[] args) {
        System.exit(commandLine(new PrintWriter(System.out, true), new PrintWriter(System.err, true)).execute(args));
    }

    /** A configured command line writing to {@code out} and {@code err}: tests run it in-process. */
    public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new Cutter());
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler(new ErrorHandler());
        cli.setParameterExceptionHandler((e, args) -> {
            e.getCommandLine().getErr().println("cutter: " + e.getMessage());
            e.getCommandLine().getErr().println("Run '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help' for usage.");
            return ExitCode.BAD_INPUT;
        });
        return cli;
    }

    @Override
    public void run() {
        command.commandLine().usage(command.commandLine().getOut());
    }

    /** The version from the jar's manifest, or "development" when run from classes. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Cutter.class.getPackage().getImplementationVersion();
            return new String[] {"cutter " + (v == null ? "development" : v), "Java " + Runtime.version()};
        }
    }
}
