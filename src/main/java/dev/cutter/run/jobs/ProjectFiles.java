package dev.cutter.run.jobs;

import dev.cutter.content.ProjectPaths;
import dev.cutter.run.JobContext;
import dev.cutter.run.JobFailure;
import java.nio.file.Path;

/**
 * A file an image or package job reads from the project, by the rule archives follow too
 * ({@link ProjectPaths}): checked again here because a build made it after validation.
 */
public final class ProjectFiles {
    private ProjectFiles() {}

    public static Path source(JobContext context, String file) {
        try {
            return ProjectPaths.resolve(context.projectDir(), file);
        } catch (ProjectPaths.OutsideProjectException e) {
            throw JobFailure.failed(e.getMessage());
        }
    }
}
