package dev.cutter.kinds.archive;

import dev.cutter.archive.ArchiveEntry;
import dev.cutter.archive.ArchiveException;
import dev.cutter.archive.ArchiveFormat;
import dev.cutter.archive.ArchiveResult;
import dev.cutter.archive.ArchiveWriter;
import dev.cutter.archive.FileSelection;
import dev.cutter.plan.Action;
import dev.cutter.run.JobContext;
import dev.cutter.run.JobFailure;
import dev.cutter.run.ActionHandler;
import dev.cutter.run.JobOutcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import dev.cutter.run.jobs.DistFiles;

/** A reproducible tar.gz, tar.zst or zip of the selected files, written to {@code dist/}. */
public final class ArchiveJob implements ActionHandler<Action.Archive> {
    @Override
    public JobOutcome run(JobContext context, Action.Archive archive) throws Exception {
        List<ArchiveEntry> entries;
        try {
            List<List<ArchiveEntry>> selections = new ArrayList<>();
            for (Action.ArchiveFile file : archive.files()) {
                selections.add(FileSelection.select(context.projectDir(), file.src(), file.dst(), file.mode()));
            }
            entries = FileSelection.merge(selections);
        } catch (ArchiveException e) {
            throw JobFailure.failed(e.getMessage());
        }
        Path target = DistFiles.resolve(context, "archive", archive.name());
        Files.createDirectories(target.getParent());
        ArchiveResult result = ArchiveWriter.write(ArchiveFormat.of(archive.format()), entries,
                context.sourceDate().getEpochSecond(), target, DistFiles.staging(context));
        Path relative = context.projectDir().relativize(result.file());
        return JobOutcome.done(entries.size() + " files", List.of(context.artifact("archive", archive.name(), relative,
                result.digest(), result.size())), List.of());
    }
}
