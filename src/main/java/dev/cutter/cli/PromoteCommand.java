package dev.cutter.cli;

import dev.cutter.ledger.Ledger;
import dev.cutter.plan.PlanException;
import dev.cutter.plan.ReleaseRequest;
import dev.cutter.run.Releaser;
import dev.cutter.run.jobs.Jobs;
import dev.cutter.spec.Spec;
import dev.cutter.spec.SpecLoader;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec.Target;

/** {@code cutter promote --from RC --to VERSION}: a release candidate's images published as the release, never rebuilt. */
@Command(name = "promote", mixinStandardHelpOptions = true,
        description = "Publish a validated release candidate's image digests as another version: no rebuild, the tag laws apply.")
final class PromoteCommand implements Callable<Integer> {
    @Mixin
    SpecOptions options;

    @Mixin
    LedgerOptions ledgerOptions;

    @Option(names = "--from", required = true, paramLabel = "VERSION", description = "The candidate's version, e.g. 1.7.8-rc1.")
    String from;

    @Option(names = "--to", required = true, paramLabel = "VERSION", description = "The version to publish it as, e.g. 1.7.8.")
    String to;

    @Option(names = "--force", description = "Promote a candidate whose release or validation did not succeed (recorded in the ledger).")
    boolean force;

    @Option(names = "--var", paramLabel = "NAME=VALUE", description = "Override a variable for both versions (repeatable).")
    java.util.List<String> vars = new java.util.ArrayList<>();

    @Option(names = {"-v", "--verbose"}, description = "Show every job's output as it runs.")
    boolean verbose;

    @picocli.CommandLine.Spec(Target.SELF)
    picocli.CommandLine.Model.CommandSpec command;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = command.commandLine().getOut();
        Spec spec = SpecLoader.load(options.file);
        ReleaseOptions candidate = new ReleaseOptions();
        candidate.vars = vars;
        ReleaseRequest base = candidate.request(options.file);
        ReleaseRequest fromRequest = new ReleaseRequest(Optional.empty(), Optional.of(from), base.vars(), base.only(), Optional.empty(),
                base.sha(), base.date());
        ReleaseRequest toRequest = new ReleaseRequest(Optional.empty(), Optional.of(to), base.vars(), base.only(), Optional.empty(),
                base.sha(), base.date());
        boolean live = System.console() != null && System.getenv("CI") == null;
        try (Interruption interruption = Interruption.install(); Ledger ledger = Ledger.open(ledgerOptions.location(options.file)); Progress progress = new Progress(out, live, verbose)) {
            Releaser releaser = new Releaser(ledger, Jobs.handlers(System.getenv()), System.getenv(), progress, interruption.cancellation());
            Releaser.Outcome outcome = releaser.promote(spec, fromRequest, toRequest, force, Releaser.Options.defaults());
            progress.close();
            out.println();
            if (outcome.runId() != null && outcome.status() == Releaser.Status.RELEASED) {
                out.println("published:");
                for (var e : ledger.effects(outcome.runId())) {
                    out.println("  " + e.target() + "  " + e.after() + e.before().map(b -> " (was " + b + ")").orElse(""));
                }
            }
            out.println(outcome.message().replaceFirst("^released ", "promoted " + from + " to "));
            out.flush();
            return ExitCode.of(outcome.status());
        } catch (IllegalArgumentException e) {
            throw new PlanException(e.getMessage());
        }
    }
}
