package dev.cutter.cli;

import dev.cutter.app.Services;
import dev.cutter.plan.Plan;
import dev.cutter.plan.PlanException;
import dev.cutter.plan.PlanJson;
import dev.cutter.plan.ReleaseContext;
import dev.cutter.plan.ReleaseRequest;
import dev.cutter.run.Outcome;
import dev.cutter.run.Releaser;
import dev.cutter.run.RunOptions;
import dev.cutter.spec.Spec;
import java.io.PrintWriter;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code cutter release}: plan, then execute exactly that plan, recording everything in the ledger. */
@Command(footer = {"%nExamples:", "  cutter release --tag v1.2.3", "  cutter release --version 1.3.0-rc1 --var REGISTRY=127.0.0.1:5000", "  cutter release --resume last", "  cutter release --build-only --version 0.0.0-pr.7"},
        name = "release",
        description = "Release a version: plan it, run the plan in parallel, record every effect in the ledger.")
final class ReleaseCommand extends ProjectCommand {
    @Mixin
    ReleaseOptions release;

    @Option(names = "--dry-run", description = "Print the plan and stop (the same as `cutter plan`).")
    boolean dryRun;

    @Option(names = "--all", description = "Release every component, each after those it needs (with --version).")
    boolean all;

    @Option(names = "--build-only", description = "What a pull request runs: make every build, image, archive, package and "
            + "signature; push, publish, tag and claim nothing (the run goes to a throwaway ledger).")
    boolean buildOnly;

    @Option(names = "--resume", paramLabel = "RUN", description = "Resume an interrupted run (its id, or `last`).")
    String resume;

    @Option(names = "--parallel", paramLabel = "N", description = "At most N jobs at once (default: execution.parallel, else the number of cores).")
    Integer parallel;

    @Option(names = "--fail-fast", negatable = true, description = "Start no new job after a failure (default: execution.fail-fast, else true).")
    Boolean failFast;

    @Option(names = "--force-floating", description = "Move floating tags (latest, 1, 1.7…) even when this is not the highest version of their line.")
    boolean forceFloating;

    @Mixin
    RunOutput output;

    @Override
    int call(Spec spec, PrintWriter out) throws Exception {
        if (dryRun) {
            Plan plan = project.services().planner().plan(spec, ReleaseContext.resolve(spec, release.request(project.services(), project.file(), spec)));
            out.print(output.json() ? PlanJson.write(plan) : project.services().planText().render(plan));
            out.flush();
            return ExitCode.OK;
        }
        if (all && (resume != null || release.component != null || !release.versionGiven())) {
            throw new PlanException("--all releases every component at one version: give --version, not --tag, --component or --resume");
        }
        if (all && spec.components().isEmpty()) {
            throw new PlanException("--all: " + project.file() + " declares no components");
        }
        if (buildOnly && resume != null) {
            throw new PlanException("--build-only runs are not recorded, so there is nothing to resume; run it again");
        }
        if (resume != null && release.selectsRelease()) {
            throw new PlanException("--resume takes the run's own tag, variables and filters; give only -f and --resume");
        }
        Services services = project.services();
        RunOptions opts = new RunOptions(parallel != null ? parallel : Runtime.getRuntime().availableProcessors(),
                Optional.ofNullable(failFast), RunOptions.defaults().staleAfter(), buildOnly);
        RunOutput.Ledgers<Outcome> ledgers = work -> buildOnly ? services.withThrowawayLedger(work)
                : services.withLedger(project.ledgerLocation(), work);
        return output.run(project, ledgers, (ledger, progress, cancellation) -> {
            if (resume != null) {
                return services.resumer(ledger, progress, cancellation, forceFloating).resume(spec, resume, opts);
            }
            Releaser releaser = services.releaser(ledger, progress, cancellation, forceFloating);
            ReleaseRequest request = release.request(services, project.file(), spec);
            if (!all) {
                Outcome one = releaser.release(spec, request, opts);
                return one.released() && one.plan() != null && one.plan().component().isPresent() && !buildOnly
                        ? after(one, dev.cutter.kinds.pin.AfterRelease.ofComponent(spec.directory(), one.plan()), services) : one;
            }
            Outcome whole = releaser.releaseAll(spec, request, opts, released -> {
                if (!output.json()) {
                    out.println(released.message());
                }
            });
            return whole.released() && !buildOnly ? afterRelease(services, spec, request, whole) : whole;
        }, (outcome, progress) -> {
            if (!buildOnly) {
                CliAudit.record(services, project.ledgerLocation(), resume != null ? "resume" : "release", spec.project() + " "
                        + (resume != null ? resume : outcome.plan() != null ? outcome.plan().version() : "?"), outcome);
            }
            output.print(out, outcome, progress, buildOnly ? null : new RunOutput.Recorded(project.file(), project.ledgerOption()));
            return ExitCode.of(outcome.status());
        });
    }

    /**
     * After a whole release: the project's version tag on the pinned commit, then the
     * {@code revert-after} pins restored (see {@link dev.cutter.kinds.pin.AfterRelease}).
     */
    private Outcome afterRelease(Services services, Spec spec, dev.cutter.plan.ReleaseRequest request, Outcome whole) {
        java.util.List<dev.cutter.plan.Plan> components = new java.util.ArrayList<>();
        for (String component : dev.cutter.plan.Components.order(spec)) {
            components.add(services.planner().plan(spec, ReleaseContext.resolve(spec, request.withComponent(component))));
        }
        return after(whole, dev.cutter.kinds.pin.AfterRelease.of(spec.directory(), whole.plan(), components), services);
    }

    private Outcome after(Outcome whole, dev.cutter.kinds.pin.AfterRelease after, Services services) {
        try {
            String done = after.run(services.environment(), services.secrets(project.spec().directory()), line -> {
                if (!output.json()) {
                    project.out().println(line);
                    project.out().flush();
                }
            }, new dev.cutter.run.Cancellation());
            if (!output.json()) {
                project.out().println(done);
            }
            return whole;
        } catch (dev.cutter.kinds.pin.AfterRelease.Problem e) {
            return new Outcome(e.refused() ? Outcome.Status.REFUSED : e.unreachable() ? Outcome.Status.UNREACHABLE : Outcome.Status.FAILED,
                    whole.runId(), e.getMessage(), whole.plan(),
                    java.util.List.of(), java.util.List.of());
        } catch (java.io.IOException | InterruptedException e) {
            return new Outcome(Outcome.Status.FAILED, whole.runId(), e.getMessage(), whole.plan(), java.util.List.of(), java.util.List.of());
        }
    }
}
