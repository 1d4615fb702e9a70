package dev.cutter.plan;

/**
 * A capability's part of planning: the jobs (and publications) its section makes, added to the
 * plan being made. Steps run in the order of the list of capabilities, so a step sees the jobs
 * of those before it (a release's assets, the builds a file comes from).
 */
@FunctionalInterface
public interface PlanStep {
    void plan(Planning planning);

    /**
     * Whether this step also plans a component's release ({@code --component}: its pins and module
     * tag); a component release runs only such steps, and they ask the context which release it is.
     */
    default boolean forComponents() {
        return false;
    }

    /** {@code step}, as a step that also plans a component's release ({@link #forComponents()}). */
    static PlanStep alsoForComponents(PlanStep step) {
        return new PlanStep() {
            @Override
            public void plan(Planning planning) {
                step.plan(planning);
            }

            @Override
            public boolean forComponents() {
                return true;
            }
        };
    }
}
