package dev.cutter.run;

import dev.cutter.ledger.JobState;
import dev.cutter.ledger.Run;
import dev.cutter.ledger.RunKind;
import dev.cutter.plan.Action;
import dev.cutter.plan.Job;
import dev.cutter.plan.Plan;
import dev.cutter.plan.Planner;
import dev.cutter.plan.ReleaseContext;
import dev.cutter.plan.ReleaseRequest;
import dev.cutter.run.Outcome.Status;
import dev.cutter.spec.Spec;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Verifies a released version (law 4's "already there", checked later): the checks of its newest
 * succeeded release or promotion run again, as that run recorded its plan, against the targets as
 * they are now, recorded as a verification run whose outcome gates promotion. Without such a run
 * in this ledger (another machine released it), the spec's plan is checked against what its push
 * repositories hold under the immutable tags.
 */
public final class Verifier {
    private final Runs runs;

    public Verifier(Runs runs) {
        this.runs = runs;
    }

    /**
     * A verification's outcome and the checks it ran, without the released jobs it stood on.
     */
    public record Verification(Outcome outcome, List<JobResult> checks) {}

    public Verification verify(Spec spec, ReleaseRequest request, RunOptions options) throws InterruptedException {
        Plan planned = runs.plan(spec, request);
        Optional<Run> published = runs.newestRelease(planned);
        Plan plan;
        Artifacts artifacts = new Artifacts();
        // the sources reading indexes back, when the ledger does not know what was released
        Map<String, Action.Source> sources = new LinkedHashMap<>();
        if (published.isPresent()) {
            plan = runs.recordOf(published.get()).plan().verifying(sources);
            runs.outputs(published.get().id()).forEach(artifacts::put);
        } else {
            // the labels are not judged: the images may be a candidate's, promoted with the labels it was built with
            Promoter.sources(planned, planned, false).forEach((id, source) -> sources.put(id, new Action.Source(source.repository(),
                    source.tag(), source.access(), Map.of(), false)));
            plan = planned.verifying(sources);
        }
        Set<String> checks = new LinkedHashSet<>(sources.keySet());
        plan.jobs(Action.Validate.class).forEach(j -> checks.add(j.id()));
        if (!plan.has(Action.Validate.class)) {
            return new Verification(Outcome.early(Status.NOTHING_TO_DO, null, plan.project() + " " + plan.version()
                    + " publishes nothing to verify", plan), List.of());
        }
        Set<String> released = new HashSet<>();
        plan.jobs().stream().map(Job::id).filter(id -> !checks.contains(id)).forEach(released::add);
        String runId = runs.recordUnclaimed(new RunRecord(Optional.of(request), plan, new RunRecord.Verifying(published.map(Run::id))),
                RunKind.VERIFICATION, checks);
        Runs.Executed executed = runs.run(spec, plan, runId, artifacts, released, options);
        List<JobResult> ran = executed.results().stream().filter(r -> !released.contains(r.jobId())).toList();
        String verified = published.map(r -> "run " + r.id()).orElse("its push repositories");
        Outcome outcome = runs.outcome(executed, runId, summary(executed.status(), plan, runId, verified, ran), plan);
        return new Verification(outcome, ran.stream().filter(j -> j.kind().equals("validate") || j.kind().equals("source")).toList());
    }

    private static String summary(Status status, Plan plan, String runId, String verified, List<JobResult> checks) {
        String what = plan.project() + " " + plan.version();
        long checked = checks.stream().filter(r -> r.state() == JobState.SUCCEEDED).count();
        return switch (status) {
            case RELEASED, NOTHING_TO_DO -> "verified " + what + " as " + verified + " published it (run " + runId + "): " + checked
                    + " of " + checks.size() + " checks passed";
            case CANCELLED -> "cancelled the verification of " + what + " (run " + runId + ")";
            default -> "verification of " + what + " failed (run " + runId + "): " + Runs.counts(checks)
                    + "; `cutter runs show " + runId + "` says what is not as released";
        };
    }
}
