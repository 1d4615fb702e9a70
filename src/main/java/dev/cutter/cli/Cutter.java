package dev.cutter.cli;

import java.io.PrintWriter;
import picocli.CommandLine;

/**
 * The command line: one class per subcommand, each parsing, calling one service and printing. The
 * top command's own model is written out ({@link #model}) rather than read from annotations: an
 * annotation instance is a proxy class the JVM generates at run time, which no class-data archive
 * holds, and generating the top command's six was a third of {@code cutter --version}'s start.
 */
public final class Cutter extends CommandGroup {
    /** What every subcommand builds its services from ({@link Wiring} finds it here). */
    private final dev.cutter.app.Services services;

    /** What a subcommand reads as its standard input ({@code login --password-stdin}, {@code copy --batch -}). */
    private final java.io.InputStream in;

    private Cutter(dev.cutter.app.Services services, java.io.InputStream in) {
        this.services = services;
        this.in = in;
    }

    dev.cutter.app.Services services() {
        return services;
    }

    java.io.InputStream in() {
        return in;
    }

    /** The subcommands' names, in help order; each is built only when it is the one asked for (or help is). */
    private static final java.util.List<String> COMMANDS = java.util.List.of("init", "validate", "plan", "release", "promote",
            "verify", "rebuild", "trigger", "emit", "job", "runs", "serve", "token", "ledger", "releases", "repo", "copy", "inspect",
            "login", "logout", "schema", "completion", "help");

    /**
     * The subcommand named {@code name}. A switch rather than a map of constructor references: each
     * reference is a call site the JVM links at start, and the map linked all 23 of them (and loaded
     * every command's class) for a command that builds one.
     */
    private static Object command(String name) {
        return switch (name) {
            case "init" -> new InitCommand();
            case "validate" -> new ValidateCommand();
            case "plan" -> new PlanCommand();
            case "release" -> new ReleaseCommand();
            case "promote" -> new PromoteCommand();
            case "verify" -> new VerifyCommand();
            case "rebuild" -> new RebuildCommand();
            case "trigger" -> new TriggerCommand();
            case "emit" -> new EmitCommand();
            case "job" -> new JobCommand();
            case "runs" -> new RunsCommand();
            case "serve" -> new ServeCommand();
            case "token" -> new TokenCommand();
            case "ledger" -> new LedgerCommand();
            case "releases" -> new ReleasesCommand();
            case "repo" -> new RepoCommand();
            case "copy" -> new CopyCommand();
            case "inspect" -> new InspectCommand();
            case "login" -> new LoginCommand();
            case "logout" -> new LogoutCommand();
            case "schema" -> new SchemaCommand();
            case "completion" -> new CompletionCommand();
            case "help" -> new CommandLine.HelpCommand();
            default -> throw new IllegalArgumentException("no command " + name);
        };
    }

    public static void main(String[] args) {
        // picocli looks for Groovy's Closure class when it first builds a command: a class no jar
        // here has, so the look-up opened and searched the whole jar on every start
        System.setProperty("picocli.disable.closures", "true");
        int status = commandLine(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args).execute(args);
        if (status != 0 || othersRunning()) {
            System.exit(status);
        }
        // A command that succeeded and left no thread running ends as any program whose main returns:
        // Runtime.exit first looks for a System.Logger provider in every jar on the class path (to log
        // the exit), a look-up that cost a short command such as the version a sixth of its start.
    }

    /** True when a thread that keeps the JVM alive runs besides this one. */
    private static boolean othersRunning() {
        Thread self = Thread.currentThread();
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t != self && t.isAlive() && !t.isDaemon());
    }

    /** A configured command line writing to {@code out} and {@code err}, in this process's environment and directory. */
    public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        return commandLine(out, err, new String[0]);
    }

    /**
     * A configured command line writing to {@code out} and {@code err} that sees {@code services}'
     * environment, clock and working directory: tests run it in-process as if it were a process
     * started there.
     */
    public static CommandLine commandLine(PrintWriter out, PrintWriter err, dev.cutter.app.Services services) {
        return commandLine(System.in, out, err, services, new String[0]);
    }

    /** As {@link #commandLine(PrintWriter, PrintWriter, dev.cutter.app.Services)}, reading {@code in} as its standard input. */
    public static CommandLine commandLine(java.io.InputStream in, PrintWriter out, PrintWriter err, dev.cutter.app.Services services) {
        return commandLine(in, out, err, services, new String[0]);
    }

    static CommandLine commandLine(PrintWriter out, PrintWriter err, String[] args) {
        return commandLine(System.in, out, err, dev.cutter.app.Services.ofThisProcess(), args);
    }

    /**
     * As {@link #commandLine(PrintWriter, PrintWriter, dev.cutter.app.Services)}, with only the subcommand {@code args} name
     * when they start with one, and none for {@code --version}: picocli reflects over every command
     * it is given, and building all of them costs a short command (a copy, a repository change, the
     * version) a good part of its start.
     */
    static CommandLine commandLine(java.io.InputStream in, PrintWriter out, PrintWriter err, dev.cutter.app.Services services,
            String[] args) {
        CommandLine cli = new CommandLine(model(new Cutter(services, in)));
        if (args.length > 0 && COMMANDS.contains(args[0]) && !args[0].equals("help")) {
            cli.addSubcommand(args[0], command(args[0]));
        } else if (args.length == 1 && (args[0].equals("-V") || args[0].equals("--version"))) {
            // the version alone needs no subcommand: building them all was most of its start
        } else {
            for (String name : COMMANDS) {
                cli.addSubcommand(name, command(name));
            }
        }
        helpOnEverySubcommand(cli);
        cli.setColorScheme(CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF)); // plain text, so help wraps by what is seen
        HelpLayout.install(cli, () -> Terminal.columns(services.environment()));
        cli.setOut(out);
        cli.setErr(err);
        ErrorHandler errors = new ErrorHandler();
        cli.setExecutionExceptionHandler(errors);
        cli.setParameterExceptionHandler(errors);
        return cli;
    }

    /**
     * {@code -h, --help} on every subcommand, and nothing else of picocli's standard options:
     * {@code -V, --version} is the top command's only, so a subcommand's own {@code --version}
     * (the version to release, verify, remove) never collides with it and its help always works.
     */
    static void helpOnEverySubcommand(CommandLine command) {
        for (CommandLine sub : command.getSubcommands().values()) {
            CommandLine.Model.CommandSpec spec = sub.getCommandSpec();
            if (!spec.optionsMap().containsKey("--help")) {
                spec.addOption(CommandLine.Model.OptionSpec.builder("-h", "--help").usageHelp(true)
                        .description("Show this help and exit.").build());
            }
            helpOnEverySubcommand(sub);
        }
    }

    /**
     * The top command: its name, description, version and two options, {@code -h, --help} and
     * {@code -V, --version} (the top command's only, never a subcommand's).
     */
    private static CommandLine.Model.CommandSpec model(Cutter cutter) {
        CommandLine.Model.CommandSpec spec = CommandLine.Model.CommandSpec.wrapWithoutInspection(cutter).name("cutter")
                .versionProvider(new Version());
        spec.usageMessage().description(
                "Plans, executes, records, resumes, promotes and verifies releases described in cutter.yaml.");
        spec.addOption(CommandLine.Model.OptionSpec.builder("-h", "--help").usageHelp(true)
                .description("Show this help and exit.").build());
        spec.addOption(CommandLine.Model.OptionSpec.builder("-V", "--version").versionHelp(true)
                .description("Print Cutter's version and exit.").build());
        cutter.command = spec; // what CommandGroup's run prints the usage of; picocli injects it only into annotated commands
        return spec;
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
