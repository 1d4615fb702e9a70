package dev.cutter.run;

import dev.cutter.ledger.Run;
import dev.cutter.ledger.RunKind;
import dev.cutter.ledger.RunState;
import dev.cutter.plan.Components;
import dev.cutter.plan.Plan;
import dev.cutter.plan.Planner;
import dev.cutter.plan.ReleaseContext;
import dev.cutter.plan.ReleaseRequest;
import dev.cutter.run.Outcome.Status;
import dev.cutter.spec.Spec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Releases a version: plans it, claims its publications in the ledger so no other run publishes
 * them at the same time and a released one never changes, runs the plan and records every job.
 */
public final class Releaser {
    private final Runs runs;

    public Releaser(Runs runs) {
        this.runs = runs;
    }

    /** Plans {@code request} against {@code spec} and runs it as a new run. */
    public Outcome release(Spec spec, ReleaseRequest request, RunOptions options) throws InterruptedException {
        Plan planned = runs.plan(spec, request);
        Plan plan = options.buildOnly() ? planned.buildOnly() : planned;
        runs.preflight(spec, plan);
        runs.secretsResolve(spec, plan);
        Optional<String> unreachable = runs.targetsAnswer(spec, plan);
        if (unreachable.isEmpty()) { // then the upstream releases it requires, waited for (requires:)
            unreachable = runs.requirementsMet(spec, plan);
        }
        if (unreachable.isPresent()) {
            return Outcome.early(Status.UNREACHABLE, null, unreachable.get(), plan);
        }
        List<String> missing = unreleasedNeeds(spec, plan);
        if (!missing.isEmpty()) {
            return Outcome.early(Status.REFUSED, null, "component " + plan.component().orElseThrow() + " " + plan.version()
                    + " needs these released at " + plan.version() + " first: " + String.join(", ", missing)
                    + "; release them (cutter release --all --version " + plan.version() + " does it in order)", plan);
        }
        if (!options.buildOnly()) {
            Optional<Outcome> promoted = new PromotedVersions(runs).published(spec, request, plan, options.staleAfter());
            if (promoted.isPresent()) {
                return promoted.get();
            }
        }
        return runs.start(spec, new RunRecord(Optional.of(request), plan, new RunRecord.Released()), options, RunKind.RELEASE);
    }

    /**
     * Every component of {@code spec} at {@code request}'s version in dependency order, one run
     * each, stopping at the first that does not end released (or already released): a component
     * is never tagged before what it needs. Then the project's own release, one run, on the commit
     * the pins made. Before the first, every target of every run is asked, and the upstream
     * releases they all require are waited for in one wait. {@code released} hears of each that did.
     *
     * @return the last run's outcome
     */
    public Outcome releaseAll(Spec spec, ReleaseRequest request, RunOptions options, Consumer<Outcome> released)
            throws InterruptedException {
        boolean digestsFirst = false; // a component pinning a digest of the project's image needs it published first
        List<Plan> plans = new ArrayList<>();
        for (ReleaseRequest each : wholeRelease(spec, request)) { // every target asked before the first tag
            Plan plan = runs.plan(spec, each);
            Optional<String> unreachable = runs.targetsAnswer(spec, plan);
            if (unreachable.isPresent()) {
                return Outcome.early(Status.UNREACHABLE, null, unreachable.get(), plan);
            }
            plans.add(plan);
            digestsFirst |= plan.component().isPresent() && plan.actions(dev.cutter.plan.Action.Pin.class)
                    .anyMatch(pin -> pin.digestOf().isPresent());
        }
        // then the upstream releases they require (requires:), all waited for at once: not one component's after another's
        Optional<String> missing = runs.requirementsMet(spec, plans);
        if (missing.isPresent()) {
            return Outcome.early(Status.UNREACHABLE, null, missing.get(), plans.get(0));
        }
        Outcome outcome = null;
        if (digestsFirst) {
            outcome = releaseProject(spec, request, options, released);
            if (!outcome.released()) {
                return outcome;
            }
        }
        for (String component : Components.order(spec)) {
            Outcome one = release(spec, request.withComponent(component), options);
            if (!one.released()) {
                return one;
            }
            released.accept(one);
        }
        return digestsFirst ? outcome : releaseProject(spec, request, options, released);
    }

    /** The project's own release in a whole one: on the pinned commit, at the same {sha}; nothing to do once released and tagged. */
    private Outcome releaseProject(Spec spec, ReleaseRequest request, RunOptions options, Consumer<Outcome> released)
            throws InterruptedException {
        Plan planned = runs.plan(spec, request);
        Optional<Run> done = this.runs.ledger.runsOf(planned.project(), planned.version()).stream()
                .filter(r -> r.state() == RunState.SUCCEEDED && r.tag().equals(planned.tag())).findFirst();
        if (done.isPresent() && checkoutTags(spec).contains(planned.tag())) { // released and tagged: HEAD has moved on since
            Outcome project = Outcome.early(Status.NOTHING_TO_DO, done.get().id(), planned.project() + " " + planned.version()
                    + " was already released by run " + done.get().id() + " and tagged " + planned.tag() + "; nothing to do", planned);
            released.accept(project);
            return project;
        }
        Outcome project = release(spec, request, options);
        if (project.released()) {
            released.accept(project);
        }
        return project;
    }

    /** The requests of a whole release: each component's, in order, then the project's. */
    private static List<ReleaseRequest> wholeRelease(Spec spec, ReleaseRequest request) {
        List<ReleaseRequest> all = new ArrayList<>();
        Components.order(spec).forEach(c -> all.add(request.withComponent(c)));
        all.add(request);
        return all;
    }

    /**
     * The module tags of the components {@code plan}'s component needs that are not released at
     * its version: neither a succeeded run in the ledger nor a tag in the checkout says so.
     */
    private List<String> unreleasedNeeds(Spec spec, Plan plan) {
        if (plan.component().isEmpty()) {
            return List.of();
        }
        Spec.ComponentSpec component = spec.components().stream().filter(c -> c.id().equals(plan.component().get())).findFirst()
                .orElseThrow();
        List<String> missing = new ArrayList<>();
        List<Run> runs = this.runs.ledger.runsOf(plan.project(), plan.version()).stream().filter(r -> r.kind().publishes()).toList();
        Set<String> tagged = checkoutTags(spec);
        for (String need : component.needs()) {
            Spec.ComponentSpec needed = spec.components().stream().filter(c -> c.id().equals(need)).findFirst().orElseThrow();
            String tag = dev.cutter.version.TagPattern.of(needed.tag()).format(need, ReleaseContext.resolve(spec,
                    dev.cutter.plan.ReleaseRequest.ofVersion(plan.version()).withComponent(need)).version());
            boolean released = runs.stream().anyMatch(r -> r.state() == RunState.SUCCEEDED && r.tag().equals(tag)) || tagged.contains(tag);
            if (!released) {
                missing.add(tag);
            }
        }
        return missing;
    }

    /** The tags the spec's checkout knows (fetched or made here); none outside a git checkout. */
    private static Set<String> checkoutTags(Spec spec) {
        try (dev.cutter.git.GitRepository git = dev.cutter.git.GitRepository.open(spec.directory())) {
            return git.tagNames();
        } catch (dev.cutter.git.GitException e) {
            return Set.of(); // not a checkout: only the ledger can say what was released
        }
    }

}
