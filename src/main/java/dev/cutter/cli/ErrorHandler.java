package dev.cutter.cli;

import dev.cutter.plan.PlanException;
import dev.cutter.plan.PlanJson;
import dev.cutter.spec.SpecError;
import dev.cutter.spec.SpecException;
import dev.cutter.version.VersionException;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The one place where failures become messages and exit codes. Known failures print one
 * message each, never a stack trace; anything else is a bug and says so. Under {@code --json}
 * the failure is also one JSON object on standard output (docs/cli.md#errors-under---json).
 */
final class ErrorHandler implements IExecutionExceptionHandler, IParameterExceptionHandler {
    /** A failure as the user is told it: the exit code, the message, and a spec's faults when it was one. */
    record Failure(int code, String message, List<SpecError> faults) {
        Failure(int code, String message) {
            this(code, message, List.of());
        }
    }

    @Override
    public int handleExecutionException(Exception e, CommandLine cmd, ParseResult parsed) {
        PrintWriter err = cmd.getErr();
        Failure failure = failure(e);
        if (failure == null) {
            err.println("cutter: internal error (please report it with the command you ran): " + e);
            e.printStackTrace(err);
            failure = new Failure(ExitCode.JOB_FAILED, "internal error (please report it with the command you ran): " + e);
        } else if (failure.faults().isEmpty()) {
            failure.message().lines().forEach(line -> err.println("cutter: " + line));
        } else {
            failure.faults().forEach(err::println);
            err.println(failure.message());
        }
        err.flush();
        if (wantsJson(parsed)) {
            printJson(cmd.getOut(), failure, null);
        }
        return failure.code();
    }

    /** A command line picocli cannot parse: the message, picocli's suggestions ("Did you mean …"), where help is; exit 2. */
    @Override
    public int handleParseException(ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        PrintWriter err = cmd.getErr();
        err.println("cutter: " + e.getMessage());
        UnmatchedArgumentException.printSuggestions(e, err);
        err.println("Run '" + cmd.getCommandSpec().qualifiedName() + " --help' for usage.");
        err.flush();
        if (Arrays.asList(args).contains("--json")) {
            String option = e.getArgSpec() instanceof CommandLine.Model.OptionSpec o ? o.longestName()
                    : e.getArgSpec() instanceof CommandLine.Model.PositionalParamSpec p ? p.paramLabel() : null;
            printJson(cmd.getOut(), new Failure(ExitCode.BAD_INPUT, e.getMessage()), option);
        }
        return ExitCode.BAD_INPUT;
    }

    /** The exit code and message of a failure a user or a peer can cause; null for a bug. */
    static Failure failure(Exception e) {
        return switch (e) {
            case SpecException s -> new Failure(ExitCode.BAD_INPUT, s.errors().size() == 1 ? "1 error" : s.errors().size() + " errors",
                    s.errors());
            case PlanException p -> new Failure(ExitCode.BAD_INPUT, p.getMessage());
            case dev.cutter.release.ReleaseExistsException r -> new Failure(ExitCode.REFUSED, r.getMessage());
            // law 3: a published package version never changes
            case dev.cutter.pkg.PackageExistsException p -> new Failure(ExitCode.REFUSED, p.getMessage());
            // a file named on the command line that is not what it claims: a package, a layout, a blob
            case dev.cutter.content.ContentProblem c -> new Failure(ExitCode.BAD_INPUT, e.getMessage());
            case dev.cutter.release.InvalidReleaseException r -> new Failure(ExitCode.BAD_INPUT, r.getMessage());
            case dev.cutter.release.ReleaseException r -> new Failure(ExitCode.JOB_FAILED, r.getMessage());
            // with a cause the database failed us (unreachable, refused the login, locked); without one the location or run was wrong
            case dev.cutter.ledger.LedgerException l -> new Failure(l.getCause() != null ? ExitCode.UNREACHABLE : ExitCode.BAD_INPUT,
                    l.getMessage());
            // a login file (config.json, auth.json) that is not one
            case dev.cutter.oci.LoginFileException l -> new Failure(ExitCode.BAD_INPUT, l.getMessage());
            case VersionException v -> new Failure(ExitCode.BAD_INPUT, v.getMessage());
            // a registry that refused: law 3 for an immutable tag, unreachable or refusing our credentials, else a failed step
            case dev.cutter.oci.RegistryException r -> new Failure(r.immutableTag() ? ExitCode.REFUSED
                    : r.unreachable() ? ExitCode.UNREACHABLE : ExitCode.JOB_FAILED, r.getMessage());
            // a command's own refusal or failure, with its exit code
            case CommandFailure f -> new Failure(f.code(), f.getMessage());
            default -> null;
        };
    }

    /** Whether the command that failed was asked for {@code --json}. */
    private static boolean wantsJson(ParseResult parsed) {
        ParseResult last = parsed;
        while (last != null && last.subcommand() != null) {
            last = last.subcommand();
        }
        return last != null && last.hasMatchedOption("--json");
    }

    /**
     * {@code {"error":{"code":N,"message":…}}}, with {@code "option"} for a command-line fault and
     * {@code "errors"} (each with {@code "location"} FILE:LINE:COLUMN and {@code "field"}) for a spec's.
     */
    static void printJson(PrintWriter out, Failure failure, String option) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", failure.code());
        error.put("message", failure.message());
        if (option != null) {
            error.put("option", option);
        }
        if (!failure.faults().isEmpty()) {
            error.put("errors", failure.faults().stream().map(ErrorHandler::fault).toList());
        }
        try {
            out.println(PlanJson.mapper().writeValueAsString(Map.of("error", error)));
        } catch (java.io.IOException impossible) { // maps of strings and numbers always write (caught as IOException:
            // naming Jackson's own exception here loads it to verify this class, in every command)
            throw new IllegalStateException(impossible);
        }
        out.flush();
    }

    private static Map<String, Object> fault(SpecError error) {
        Map<String, Object> fault = new LinkedHashMap<>();
        String file = error.file() == null ? "<spec>" : error.file().toString();
        fault.put("location", error.location().line() > 0 ? file + ":" + error.location() : file);
        fault.put("field", error.path());
        fault.put("message", error.message());
        return fault;
    }
}
