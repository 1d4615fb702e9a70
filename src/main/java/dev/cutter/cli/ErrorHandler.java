package dev.cutter.cli;

import dev.cutter.plan.PlanException;
import dev.cutter.spec.SpecException;
import dev.cutter.version.VersionException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * The one place where failures become messages and exit codes. Known failures print one
 * message each, never a stack trace; anything else is a bug and says so.
 */
final class ErrorHandler implements IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(Exception e, CommandLine cmd, ParseResult parsed) {
        PrintWriter err = cmd.getErr();
        int code = switch (e) {
            case SpecException s -> {
                s.errors().forEach(error -> err.println(error));
                err.println(s.errors().size() == 1 ? "1 error" : s.errors().size() + " errors");
                yield ExitCode.BAD_INPUT;
            }
            case PlanException p -> {
                err.println("cutter: " + p.getMessage());
                yield ExitCode.BAD_INPUT;
            }
            case dev.cutter.release.ReleaseExistsException r -> {
                err.println("cutter: " + r.getMessage());
                yield ExitCode.REFUSED;
            }
            case dev.cutter.pkg.PackageExistsException p -> { // law 3: a published package version never changes
                err.println("cutter: " + p.getMessage());
                yield ExitCode.REFUSED;
            }
            case dev.cutter.pkg.InvalidPackageException p -> { // a package that is not what its format allows
                err.println("cutter: " + p.getMessage());
                yield ExitCode.BAD_INPUT;
            }
            case dev.cutter.release.InvalidReleaseException r -> {
                err.println("cutter: " + r.getMessage());
                yield ExitCode.BAD_INPUT;
            }
            case dev.cutter.release.ReleaseException r -> {
                err.println("cutter: " + r.getMessage());
                yield ExitCode.JOB_FAILED;
            }
            case dev.cutter.ledger.LedgerException l -> {
                // with a cause the database failed us (unreachable, refused the login, locked); without one the location or run was wrong
                err.println("cutter: " + l.getMessage());
                yield l.getCause() != null ? ExitCode.UNREACHABLE : ExitCode.BAD_INPUT;
            }
            case dev.cutter.oci.LoginFileException l -> { // a login file (config.json, auth.json) that is not one
                err.println("cutter: " + l.getMessage());
                yield ExitCode.BAD_INPUT;
            }
            case VersionException v -> {
                err.println("cutter: " + v.getMessage());
                yield ExitCode.BAD_INPUT;
            }
            default -> {
                err.println("cutter: internal error (please report it with the command you ran): " + e);
                e.printStackTrace(err);
                yield ExitCode.JOB_FAILED;
            }
        };
        err.flush();
        return code;
    }
}
