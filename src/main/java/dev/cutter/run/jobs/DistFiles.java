package dev.cutter.run.jobs;

import dev.cutter.content.Confined;
import dev.cutter.content.Staging;
import dev.cutter.run.JobContext;
import dev.cutter.run.JobFailure;
import java.nio.file.Path;

/** Where a job writes a file it publishes: inside {@code dist/}, whatever a template made of its name (law 10). */
public final class DistFiles {
    private DistFiles() {}

    /** {@code dist/<name>}; a name leading elsewhere (absolute, or through {@code ..}) fails the job, naming it. */
    public static Path resolve(JobContext context, String what, String name) {
        try {
            return Confined.resolve(context.distDir(), name);
        } catch (Confined.OutsideRootException e) {
            throw JobFailure.failed(what + " '" + name + "' is not a file name inside " + context.distDir()
                    + "; name it without '..' or a leading '/'");
        }
    }

    /** Where the run makes a file before moving it into place: its own staging, which the run removes when it ends. */
    public static Staging staging(JobContext context) {
        return Staging.forRun(context.projectDir(), context.runId());
    }
}
