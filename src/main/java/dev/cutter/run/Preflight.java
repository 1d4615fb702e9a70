package dev.cutter.run;

import dev.cutter.plan.Job;
import java.util.Optional;

/** A handler that can tell before a run starts that a job of its kind cannot run here. */
public interface Preflight {
    Optional<String> problem(Job job);

    /** As {@link #problem(Job)}, for a job whose inputs are files of {@code project} (a Dockerfile). */
    default Optional<String> problem(Job job, java.nio.file.Path project) {
        return problem(job);
    }
}
