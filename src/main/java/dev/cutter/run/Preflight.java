package dev.cutter.run;

import dev.cutter.plan.Job;
import java.util.Optional;

/** A handler that can tell before a run starts that a job of its kind cannot run here. */
public interface Preflight {
    Optional<String> problem(Job job);
}
