package dev.cutter.run;

import dev.cutter.plan.Action;
import java.util.Optional;

/**
 * Runs one kind of job. A handler first looks at the target: when the effect is already there
 * with the same digest it returns {@link JobOutcome#skipped}, so re-running and resuming are
 * safe (law 4). Failures are {@link JobFailure}s; anything else is a bug, reported as one.
 *
 * <p>The engine runs jobs by their context; a kind's handler is an {@link ActionHandler} that
 * receives its action typed, joined to its action's class by {@link #of}.
 */
@FunctionalInterface
public interface JobHandler {
    JobOutcome run(JobContext context) throws Exception;

    /**
     * Why {@code job}, whose inputs are files of {@code project}, cannot run here, told before the
     * run starts ({@link Preflight}); empty when it can, or when the handler cannot tell.
     */
    default Optional<String> problem(dev.cutter.plan.Job job, java.nio.file.Path project) {
        return Optional.empty();
    }

    /** What {@code job} needs to be there before the release's first job ({@link Awaiting}); empty when nothing, or when the handler waits for nothing. */
    default Optional<dev.cutter.run.requires.Requirement> requirement(dev.cutter.plan.Job job, TargetProbe.Context context) {
        return Optional.empty();
    }

    /** What to ask the target of {@code job} before the release's first job (see {@link TargetProbe}). */
    default Optional<TargetProbe.Question> question(dev.cutter.plan.Job job, TargetProbe.Context context) {
        return Optional.empty();
    }

    /** The handler of the kind whose action is {@code type}: the one place a job's action is narrowed to its type. */
    static <A extends Action> Typed<A> of(Class<A> type, ActionHandler<A> handler) {
        return new Typed<>(type, handler, TargetProbe.none());
    }

    /** As {@link #of(Class, ActionHandler)}, with what to ask a job's target before the release starts. */
    static <A extends Action> Typed<A> of(Class<A> type, ActionHandler<A> handler, TargetProbe<A> probe) {
        return new Typed<>(type, handler, probe);
    }

    /** A kind's handler joined to its action's class, with what it asks its targets first. */
    record Typed<A extends Action>(Class<A> type, ActionHandler<A> handler, TargetProbe<A> probe) implements JobHandler {
        @Override
        public JobOutcome run(JobContext context) throws Exception {
            return handler.run(context, type.cast(context.job().action()));
        }

        @Override
        public Optional<TargetProbe.Question> question(dev.cutter.plan.Job job, TargetProbe.Context context) {
            return probe.question(type.cast(job.action()), context);
        }

        @Override
        @SuppressWarnings("unchecked") // a handler is the Preflight of the action it handles, as it says by implementing both for A
        public Optional<String> problem(dev.cutter.plan.Job job, java.nio.file.Path project) {
            return handler instanceof Preflight<?> p ? ((Preflight<A>) p).problem(type.cast(job.action()), project) : Optional.empty();
        }

        @Override
        @SuppressWarnings("unchecked") // as above: the handler awaits for the action it handles
        public Optional<dev.cutter.run.requires.Requirement> requirement(dev.cutter.plan.Job job, TargetProbe.Context context) {
            return handler instanceof Awaiting<?> a ? ((Awaiting<A>) a).requirement(type.cast(job.action()), context) : Optional.empty();
        }
    }
}
