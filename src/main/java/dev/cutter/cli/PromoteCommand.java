package dev.cutter.cli;

import dev.cutter.app.Services;
import dev.cutter.plan.PlanException;
import dev.cutter.plan.ReleaseRequest;
import dev.cutter.run.Outcome;
import dev.cutter.run.RunOptions;
import dev.cutter.spec.Spec;
import java.io.PrintWriter;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code cutter promote --from RC --to VERSION}: a release candidate's images published as the release, never rebuilt. */
@Command(footer = {"%nExamples:", "  cutter promote --from 1.7.8-rc1 --to 1.7.8", "  cutter promote --from 1.7.8-rc1 --version 1.7.8 --tag"},
        name = "promote",
        description = "Publish a validated release candidate's image digests as another version: no rebuild, the tag laws apply.")
final class PromoteCommand extends ProjectCommand {
    @Option(names = "--from", required = true, paramLabel = "VERSION", description = "The candidate's version, e.g. 1.7.8-rc1.")
    String from;

    @Option(names = {"--to", "--version"}, required = true, paramLabel = "VERSION",
            description = "The version to publish it as, e.g. 1.7.8.")
    String to;

    @Option(names = "--force", description = "Promote a candidate whose release or validation did not succeed (recorded in the ledger).")
    boolean force;

    @Option(names = "--tag", negatable = true, description = "Make the version's git tag on the candidate's commit and push it "
            + "to origin (or the remote the spec's git: names) once everything is published (default: the spec's version.tag-on-promote, else no).")
    Boolean tag;

    @Option(names = "--var", paramLabel = "NAME=VALUE", description = "Override a variable for both versions (repeatable).")
    java.util.List<String> vars = new java.util.ArrayList<>();

    @Mixin
    RunOutput output;

    @Override
    int call(Spec spec, PrintWriter out) throws Exception {
        Services services = project.services();
        ReleaseOptions candidate = new ReleaseOptions();
        candidate.vars = vars;
        ReleaseRequest base = candidate.request(services, project.file());
        ReleaseRequest fromRequest = new ReleaseRequest(Optional.empty(), Optional.of(from), base.vars(), base.only(), Optional.empty(),
                base.sha(), base.date());
        ReleaseRequest toRequest = new ReleaseRequest(Optional.empty(), Optional.of(to), base.vars(), base.only(), Optional.empty(),
                base.sha(), base.date());
        try {
            return output.run(project, services, (ledger, progress, cancellation) -> services.promoter(ledger, progress, cancellation)
                    .promote(spec, fromRequest, toRequest, force, tag != null ? tag : spec.version().tagOnPromote(), RunOptions.defaults()),
                    (promotion, progress) -> {
                        Outcome outcome = promotion.outcome();
                        CliAudit.record(services, project.ledgerLocation(), "promote", spec.project() + " " + from + " -> " + to
                                + (force ? " (forced)" : ""), outcome);
                        output.print(out, new Outcome(outcome.status(), outcome.runId(), promotion.message(), outcome.plan(), outcome.jobs(),
                                outcome.effects()), progress,
                                new RunOutput.Recorded(project.file(), project.ledgerOption()));
                        return ExitCode.of(outcome.status());
                    });
        } catch (IllegalArgumentException e) {
            throw new PlanException(e.getMessage());
        }
    }
}
