package dev.cutter.run;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cutter.ledger.RunKind;
import dev.cutter.plan.Plan;
import dev.cutter.plan.Planner;
import dev.cutter.plan.ReleaseContext;
import dev.cutter.plan.ReleaseRequest;
import dev.cutter.run.Outcome.Status;
import dev.cutter.spec.Spec;
import java.time.Duration;
import java.util.Optional;

/**
 * Records a release for CI machines to execute job by job ({@code cutter emit}, then {@code
 * cutter job run} on each): planned and claimed as a release is, and recognised as promoted as a
 * release is. Nothing runs here.
 */
public final class Emitter {
    private final Runs runs;

    public Emitter(Runs runs) {
        this.runs = runs;
    }

    /**
     * Records a run of {@code request} holding its version for {@code lease} without a heartbeat,
     * with {@code artifacts} (where the jobs leave their outputs) in its record.
     *
     * @return {@code RELEASED} with the run's id and plan when recorded, else why not
     */
    public Outcome emit(Spec spec, ReleaseRequest request, Duration lease, JsonNode artifacts, RunOptions options) {
        return emit(spec, request, lease, artifacts, options, plan -> {});
    }

    /**
     * As {@link #emit(Spec, ReleaseRequest, Duration, JsonNode, RunOptions)}, the plan first given
     * to {@code fits}, which throws when the engine cannot take it: refused before the run is
     * recorded, so it holds nothing.
     */
    public Outcome emit(Spec spec, ReleaseRequest request, Duration lease, JsonNode artifacts, RunOptions options,
            java.util.function.Consumer<Plan> fits) {
        Plan plan = runs.plan(spec, request);
        fits.accept(plan);
        runs.preflight(spec, plan);
        Optional<Outcome> promoted = new PromotedVersions(runs).published(spec, request, plan, options.staleAfter());
        if (promoted.isPresent()) {
            return promoted.get(); // a pipeline of a promoted version's tag has nothing to run
        }
        Runs.Recorded recorded = runs.record(new RunRecord(Optional.of(request), plan, new RunRecord.Emitted(artifacts)), options,
                RunKind.RELEASE, Optional.of(lease));
        return recorded.refusal().orElseGet(() -> Outcome.early(Status.RELEASED, recorded.runId(), "recorded run " + recorded.runId()
                + " of " + plan.project() + " " + plan.version() + " (" + plan.jobs().size() + " jobs) for CI to run", plan));
    }
}
