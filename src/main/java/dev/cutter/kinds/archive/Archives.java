package dev.cutter.kinds.archive;

import dev.cutter.kinds.Capability;
import dev.cutter.plan.Action;
import dev.cutter.plan.ActionText;
import dev.cutter.run.JobHandler;
import java.util.List;

/** Archives: reproducible tar.gz / tar.zst / zip from globs, with an install order. */
public final class Archives {
    private Archives() {}

    public static final Capability CAPABILITY = new Capability("archives", List.of(ArchiveSection.SECTION),
            List.of(new ArchivePlanning()),
            List.of(ActionText.of(Action.Archive.class, a -> "→ " + a.name())),
            services -> List.of(JobHandler.of(Action.Archive.class, new ArchiveJob())));
}
