package dev.cutter.cli;

import dev.cutter.app.Services;
import dev.cutter.spec.Spec;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;

/**
 * What every command takes from the command line it runs in: the services its root was built
 * with (so a test chooses the environment and working directory), and where it prints.
 */
@picocli.CommandLine.Command // a mixin with no options of its own must say it is one
class Wiring {
    @picocli.CommandLine.Spec(picocli.CommandLine.Spec.Target.MIXEE)
    CommandSpec mixee;

    Services services() {
        return mixee.root().userObject() instanceof Cutter root ? root.services() : Services.ofThisProcess();
    }

    /** Standard input: the process's, or what the command line was given in its place. */
    java.io.InputStream in() {
        return mixee.root().userObject() instanceof Cutter root ? root.in() : System.in;
    }

    PrintWriter out() {
        return mixee.commandLine().getOut();
    }

    PrintWriter err() {
        return mixee.commandLine().getErr();
    }

    /** The spec {@code file} names, against the working directory. */
    Spec spec(Path file) {
        return services().specLoader().load(services().resolve(file));
    }

    /** Where the ledger of {@code file}'s spec is, as {@code options} and the environment say. */
    String ledger(LedgerOptions options, Path file) {
        return services().ledgerLocation(options.ledger, file);
    }

    /** A staging of this process in the working directory, for files made before they move into a tree; removed when closed. */
    dev.cutter.content.Staging staging() throws java.io.IOException {
        return dev.cutter.content.Staging.forProcess(services().workingDirectory().toAbsolutePath());
    }

    /** Progress on standard output; none when {@code quiet} (the outcome is printed as JSON), live on a terminal. */
    Progress progress(boolean quiet, boolean verbose) {
        boolean live = !quiet && services().interactive();
        return new Progress(quiet ? new PrintWriter(OutputStream.nullOutputStream()) : out(), live, verbose,
                live ? Terminal.columns(services().environment()) : Terminal.DEFAULT_COLUMNS);
    }
}
