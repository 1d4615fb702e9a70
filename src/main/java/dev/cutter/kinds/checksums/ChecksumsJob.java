package dev.cutter.kinds.checksums;

import dev.cutter.archive.Checksums;
import dev.cutter.plan.Action;
import dev.cutter.run.JobContext;
import dev.cutter.run.ActionHandler;
import dev.cutter.run.JobOutcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import dev.cutter.run.jobs.DistFiles;

/** {@code SHA256SUMS} over the archives and packages of the jobs it needs, in the format {@code sha256sum -c} reads. */
public final class ChecksumsJob implements ActionHandler<Action.Checksums> {
    private static final Set<String> SUMMED = Set.of("archive", "package");

    @Override
    public JobOutcome run(JobContext context, Action.Checksums checksums) throws Exception {
        List<Path> files = context.artifacts().ofJobs(context.job().needs()).stream()
                .filter(o -> SUMMED.contains(o.kind())).map(o -> context.projectDir().resolve(o.path())).toList();
        Path target = DistFiles.resolve(context, "checksums file", checksums.name());
        Files.createDirectories(target.getParent());
        var result = Checksums.write(target, checksums.algorithm(), files, DistFiles.staging(context));
        return JobOutcome.done(files.size() + " files", List.of(context.artifact("checksums", checksums.name(),
                context.projectDir().relativize(target), result.digest(), result.size())), List.of());
    }
}
