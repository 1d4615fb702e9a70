package dev.cutter.kinds;

import dev.cutter.plan.ActionText;
import dev.cutter.plan.PlanStep;
import dev.cutter.run.JobHandler;
import dev.cutter.run.jobs.JobServices;
import dev.cutter.spec.Section;
import java.util.List;
import java.util.function.Function;

/**
 * One capability of Cutter, whole: the spec sections it reads and checks, its planning step, the
 * line each of its kinds of job shows in a plan, and their handlers. Each lives in a package of its
 * own under {@code dev.cutter.kinds}; {@link Capabilities#ALL} lists them.
 *
 * @param name what it is called in messages and docs
 * @param sections its sections of {@code cutter.yaml}, in the order they are read (none for promotion's)
 * @param steps its planning steps (none for kinds only a promotion or verification makes)
 * @param texts one line per kind of job it makes
 * @param handlers its handlers, made for one run from the run's shared services
 */
public record Capability(String name, List<Section<?>> sections, List<PlanStep> steps, List<ActionText.Typed<?>> texts,
        Function<JobServices, List<JobHandler.Typed<?>>> handlers) {
    public Capability {
        sections = List.copyOf(sections);
        steps = List.copyOf(steps);
        texts = List.copyOf(texts);
    }
}
