package dev.cutter.kinds.packages;

import dev.cutter.kinds.Capability;
import dev.cutter.plan.Action;
import dev.cutter.plan.ActionText;
import dev.cutter.run.JobHandler;
import java.util.List;

/** Packages: reproducible .deb / .rpm from build outputs and metadata. */
public final class Packages {
    private Packages() {}

    public static final Capability CAPABILITY = new Capability("packages", List.of(PackageSection.SECTION),
            List.of(new PackagePlanning()),
            List.of(ActionText.of(Action.Package.class, p -> "→ " + p.file())),
            services -> List.of(JobHandler.of(Action.Package.class, new PackageJob())));
}
