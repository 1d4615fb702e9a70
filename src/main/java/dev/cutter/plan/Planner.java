package dev.cutter.plan;

import dev.cutter.spec.Cell;
import dev.cutter.spec.Spec;
import java.util.List;
import java.util.Optional;

/**
 * Turns a spec and a release context into a {@link Plan} through the capabilities' steps, in the
 * order of their list. A pure function: no I/O, no clock, no randomness; the same inputs give the
 * same plan, byte for byte.
 */
public final class Planner {
    private final List<PlanStep> steps;

    /** A planner running {@code steps}, the capabilities' steps in the order of their list. */
    public Planner(List<PlanStep> steps) {
        this.steps = List.copyOf(steps);
    }

    public Plan plan(Spec spec, ReleaseContext context) {
        Planning planning = new Planning(spec, context);
        planning.splitFilters();
        boolean component = context.component().isPresent(); // a component release: pins and its module tag only
        for (PlanStep step : steps) {
            if (!component || step.forComponents()) {
                step.plan(planning);
            }
        }
        return planning.plan();
    }

    /**
     * Where the jobs of a run spread over CI machines leave their outputs ({@code execution.artifacts}),
     * rendered for {@code context}: the repository and how to reach its registry.
     */
    public static Optional<Action.Published> artifactRepository(Spec spec, ReleaseContext context) {
        Planning planning = new Planning(spec, context);
        return spec.execution().artifacts().map(ref -> new Action.Published(planning.repository(ref, Cell.EMPTY), "",
                planning.access(ref.registry())));
    }
}
