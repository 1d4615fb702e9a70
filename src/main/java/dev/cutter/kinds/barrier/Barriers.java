package dev.cutter.kinds.barrier;

import dev.cutter.kinds.Capability;
import dev.cutter.plan.Action;
import dev.cutter.plan.ActionText;
import dev.cutter.run.JobHandler;
import java.util.List;

/**
 * The barrier between making and publishing (DESIGN: nothing is half-published): once every image,
 * archive, package, checksum and signature is made, every target the plan publishes to is read,
 * and a conflict anywhere refuses the whole release before the first push, replica or release.
 * Its step comes last, so it sees every publishing job the other steps planned.
 */
public final class Barriers {
    private Barriers() {}

    /**
     * The publishing kinds whose targets the barrier reads. A module tag refuses one that exists
     * elsewhere in its own job before it writes: the commit it tags (the pins') is made there.
     */
    static final java.util.Set<String> READ = java.util.Set.of("push", "replicate", "release", "repository");

    public static final Capability CAPABILITY = new Capability("barrier", List.of(),
            List.of(planning -> planning.gate("barrier", "publication", job -> READ.contains(job.kind()), Action.Barrier::new)),
            List.of(ActionText.of(Action.Barrier.class, b -> "every target read before the first publication ("
                    + b.publications().size() + (b.publications().size() == 1 ? " publication)" : " publications)"))),
            services -> List.of(JobHandler.of(Action.Barrier.class, new BarrierJob(services))));
}
