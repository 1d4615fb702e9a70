package dev.cutter.run;

import dev.cutter.plan.Action;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A kind's handler that can tell before a run starts that a job of its kind cannot run here,
 * given the job's action typed (it implements {@code ActionHandler<A>} for the same {@code A}).
 */
public interface Preflight<A extends Action> {
    Optional<String> problem(A action);

    /** As {@link #problem(Action)}, for a job whose inputs are files of {@code project} (a Dockerfile). */
    default Optional<String> problem(A action, Path project) {
        return problem(action);
    }
}
