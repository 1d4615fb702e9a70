package dev.cutter.kinds.archive;

import dev.cutter.plan.Action;
import dev.cutter.plan.Action.ArchiveFile;
import dev.cutter.plan.PlanStep;
import dev.cutter.plan.Planning;
import dev.cutter.plan.Planning.Needs;
import dev.cutter.spec.Cell;
import dev.cutter.spec.Spec.FileSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** One archive job per matrix cell, after the builds whose outputs its files select. */
final class ArchivePlanning implements PlanStep {
    @Override
    public void plan(Planning planning) {
        for (ArchiveSpec archive : planning.spec().sections().get(ArchiveSection.SECTION)) {
            if (!planning.selected("archive", archive.id())) {
                continue;
            }
            for (Cell cell : planning.cells(archive.matrix())) {
                Needs needs = planning.buildsNamed(archive.needs());
                List<ArchiveFile> entries = new ArrayList<>();
                for (FileSpec file : archive.files()) {
                    String src = planning.path(file.src(), cell);
                    planning.producers(src, needs);
                    entries.add(new ArchiveFile(src, file.dst().map(d -> planning.path(d, cell)), file.mode()));
                }
                String name = planning.path(archive.name(), cell);
                planning.add("archive", archive.id(), cell, List.of(), needs, Optional.empty(),
                        new Action.Archive(archive.format(), name, List.copyOf(entries), archive.installOrder()));
            }
        }
    }
}
