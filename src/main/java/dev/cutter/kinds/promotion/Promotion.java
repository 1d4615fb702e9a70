package dev.cutter.kinds.promotion;

import dev.cutter.kinds.Capability;
import dev.cutter.plan.Action;
import dev.cutter.plan.ActionText;
import dev.cutter.run.JobHandler;
import java.util.List;

/**
 * Promotion's own kind: a candidate's archive or package taken as it was published, by digest,
 * in place of making it again. It has no section and no step: a promotion puts it in the plan.
 */
public final class Promotion {
    private Promotion() {}

    public static final Capability CAPABILITY = new Capability("promotion", List.of(), List.of(),
            List.of(ActionText.of(Action.Fetch.class, f -> "→ " + f.name() + " as the candidate made it (" + f.digest() + ")")),
            services -> List.of(JobHandler.of(Action.Fetch.class, new FetchJob(services.environment(), services.http()))));
}
