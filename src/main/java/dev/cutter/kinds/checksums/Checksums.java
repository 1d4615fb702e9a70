package dev.cutter.kinds.checksums;

import dev.cutter.kinds.Capability;
import dev.cutter.plan.Action;
import dev.cutter.plan.ActionText;
import dev.cutter.plan.Planning.Needs;
import dev.cutter.run.JobHandler;
import dev.cutter.spec.Cell;
import java.util.List;
import java.util.Optional;

/** Checksums: one SHA256SUMS (or SHA512SUMS) file over the release's archives and packages. */
public final class Checksums {
    private Checksums() {}

    public static final Capability CAPABILITY = new Capability("checksums", List.of(ChecksumSection.SECTION),
            List.of(planning -> ChecksumSection.SECTION.of(planning.spec()).ifPresent(c -> {
                Needs needs = new Needs();
                planning.jobs().stream().filter(j -> j.kind().equals("archive") || j.kind().equals("package"))
                        .forEach(j -> needs.add(j.id()));
                if (needs.isEmpty()) {
                    return; // nothing to list
                }
                planning.add("checksums", "checksums", Cell.EMPTY, List.of(), needs, Optional.empty(),
                        new Action.Checksums(planning.render(c.name(), Cell.EMPTY), c.algorithm()));
            })),
            List.of(ActionText.of(Action.Checksums.class, c -> "→ " + c.name())),
            services -> List.of(JobHandler.of(Action.Checksums.class, new ChecksumsJob())));
}
