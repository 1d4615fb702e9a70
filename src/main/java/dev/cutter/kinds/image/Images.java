package dev.cutter.kinds.image;

import dev.cutter.kinds.Capability;
import dev.cutter.plan.Action;
import dev.cutter.plan.ActionText;
import dev.cutter.run.JobHandler;
import java.util.List;

/**
 * Images: one per platform (file layers, config and manifest, no daemon), the multi-arch index,
 * the push into the target with the tag laws applied, and replicas digest for digest; in a
 * promotion, the candidate's index fetched instead of built.
 */
public final class Images {
    private Images() {}

    public static final Capability CAPABILITY = new Capability("images",
            List.of(ImageSection.SECTION, ReplicateSection.SECTION), List.of(new ImagePlanning()),
            List.of(ActionText.of(Action.Image.class, i -> i.platform() + i.build().map(b -> " built from " + b.dockerfile()
                            + b.target().map(t -> " (stage " + t + ")").orElse("")).orElse(" from " + i.from())),
                    ActionText.of(Action.Index.class, i -> "index of " + String.join(", ", i.platforms())),
                    ActionText.of(Action.Source.class, s -> "the index " + s.repository() + ":" + s.tag()
                            + " points at (promoted, not rebuilt)"),
                    ActionText.of(Action.Push.class, p -> "→ " + p.repository() + " " + p.tags()),
                    ActionText.of(Action.Replicate.class, r -> "→ " + r.repository())),
            services -> {
                RegistryProbe probe = new RegistryProbe(services.http());
                ImageJobs.Publish publish = new ImageJobs.Publish(services.forceFloating(), services.registries(), services.locks());
                DockerfileBuild builds = new DockerfileBuild(new dev.cutter.build.Builders(dev.cutter.process.ProcessRunner.local(),
                        java.time.Duration.ofHours(2)), dev.cutter.build.Emulation.here(), services.environment());
                return List.of(JobHandler.of(Action.Image.class, new ImageJobs.Image(services.registries(), builds), probe::base),
                        JobHandler.of(Action.Index.class, new ImageJobs.Index()),
                        JobHandler.of(Action.Source.class, new ImageJobs.Source(services.registries())),
                        JobHandler.of(Action.Push.class, publish::push, probe::push),
                        JobHandler.of(Action.Replicate.class, publish::replicate, probe::replicate));
            });
}
