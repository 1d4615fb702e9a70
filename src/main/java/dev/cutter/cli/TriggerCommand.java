package dev.cutter.cli;

import dev.cutter.app.BranchRelease;
import dev.cutter.plan.PlanException;
import dev.cutter.spec.Spec;
import dev.cutter.trigger.Triggers;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code cutter trigger --ref REF}: what a CI job (or the server) calls on a git event. The spec's
 * triggers decide; the decision is printed as the {@code cutter release} it amounts to, then run.
 */
@Command(footer = {"%nExamples:", "  cutter trigger --ref refs/tags/v1.2.3", "  cutter trigger --ref refs/pull/45/merge --event pull_request --base main --dry-run"},
        name = "trigger",
        description = "Decide from the spec's triggers what a pushed tag or branch, or a pull request, starts — and run it.")
final class TriggerCommand extends ProjectCommand {
    @Option(names = "--ref", required = true, paramLabel = "REF",
            description = "The ref of the event: refs/tags/v1.2.3, refs/heads/main, refs/pull/45/merge.")
    String ref;

    @Option(names = "--event", paramLabel = "push|pull_request", defaultValue = "push", description = "The kind of event (default: ${DEFAULT-VALUE}).")
    String event;

    @Option(names = "--base", paramLabel = "BRANCH", description = "For a pull request: the branch it targets (matched by pull-request: globs).")
    String base;

    @Option(names = "--since", paramLabel = "REV", description = "For a branch trigger with paths: compare with this commit"
            + " (e.g. the push's previous commit) instead of the newest version tag; empty or all zeros (a new branch) counts as not given.")
    String since;

    @Option(names = "--var", paramLabel = "NAME=VALUE", description = "Passed on to the release (repeatable).")
    List<String> vars = new ArrayList<>();

    @Option(names = "--dry-run", description = "Print the decision and the plan; run nothing.")
    boolean dryRun;

    @Mixin
    RunOutput output;

    @Override
    int call(Spec spec, PrintWriter out) throws Exception {
        Triggers.Decision decision;
        try {
            decision = Triggers.decide(spec.triggers(), new Triggers.Event(event, ref, Optional.ofNullable(base)));
        } catch (IllegalArgumentException e) {
            throw new PlanException(e.getMessage());
        }
        if (decision.action().equals("nothing")) {
            if (output.json()) {
                JsonOption.print(out, java.util.Map.of("status", "nothing_to_do", "message", decision.why() + "; nothing to do"));
            } else {
                out.println("trigger: " + decision.why() + "; nothing to do");
                out.flush();
            }
            return ExitCode.OK;
        }
        Optional<String> branchVersion = Optional.empty();
        if (decision.branch().isPresent()) {
            BranchRelease branch = BranchRelease.of(spec, decision.branch().get(),
                    // a push that created the branch has no previous commit: CI passes "" or forty zeros
                    Optional.ofNullable(since).filter(s -> !s.isBlank() && !s.matches("0+")), project.services().date());
            if (branch.unchanged().isPresent()) {
                String said = decision.why() + ", but " + branch.unchanged().get() + "; nothing to do";
                if (output.json()) {
                    JsonOption.print(out, java.util.Map.of("status", "nothing_to_do", "message", said));
                } else {
                    out.println("trigger: " + said);
                    out.flush();
                }
                return ExitCode.OK;
            }
            branchVersion = branch.version();
        }
        List<String> args = new ArrayList<>(List.of("release", "-f", project.file().toString()));
        if (branchVersion.isPresent()) {
            args.addAll(List.of("--version", branchVersion.get()));
        } else if (decision.tag().isPresent()) {
            args.addAll(List.of("--tag", decision.tag().get()));
        } else {
            String version = decision.version().or(() -> ReleaseOptions.versionTagAtHead(spec, Optional.empty())).orElseThrow(() -> new PlanException(
                    "trigger: " + decision.why() + ", but it names no version and HEAD carries no tag matching "
                            + spec.version().tag() + "; tag the commit, or give the trigger version: \"...\""));
            args.addAll(decision.version().isPresent() ? List.of("--version", version) : List.of("--tag", version));
        }
        if (decision.action().equals("build")) {
            args.add("--build-only");
        }
        vars.forEach(v -> args.addAll(List.of("--var", v)));
        if (project.ledgerOption() != null) {
            args.addAll(List.of("--ledger", project.ledgerOption()));
        }
        if (output.verbose) {
            args.add("-v");
        }
        if (output.json()) {
            args.add("--json");
        }
        if (dryRun) {
            args.add("--dry-run");
        }
        PrintWriter told = output.json() ? project.err() : out; // under --json standard output is the release's JSON alone
        told.println("trigger: " + decision.why() + " → cutter " + String.join(" ", args));
        told.flush();
        String[] release = args.toArray(String[]::new);
        return Cutter.commandLine(project.in(), out, project.err(), project.services(), release).execute(release);
    }
}
