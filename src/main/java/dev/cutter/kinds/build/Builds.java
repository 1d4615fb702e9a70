package dev.cutter.kinds.build;

import dev.cutter.kinds.Capability;
import dev.cutter.plan.Action;
import dev.cutter.plan.ActionText;
import dev.cutter.plan.PlanText;
import dev.cutter.run.JobHandler;
import java.util.List;

/** Builds: {@code run:} commands whose outputs are hashed, cached by their declared inputs. */
public final class Builds {
    private Builds() {}

    public static final Capability CAPABILITY = new Capability("builds", List.of(BuildSection.SECTION),
            List.of(new BuildPlanning()),
            List.of(ActionText.of(Action.Build.class, b -> "run: " + PlanText.abbreviate(b.command()))),
            services -> List.of(JobHandler.of(Action.Build.class, new BuildJob(services.environment()))));
}
