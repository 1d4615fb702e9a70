package dev.cutter.run;

import dev.cutter.plan.Action;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * What a kind asks its target before a release's first job: whether the target answers, and
 * accepts the release's credentials with the rights the job will need (a registry's push, a
 * forge's write to releases, an sftp server's host key and login, a git remote). A wrong address
 * or a refused login is then told in seconds, before the builds, instead of after them and a
 * minute of retries. Asking never changes what the target holds.
 */
@FunctionalInterface
public interface TargetProbe<A extends Action> {
    /** The question for a job's target; empty when the target is local, or there is nothing to ask. */
    Optional<Question> question(A action, Context context);

    /** A kind that asks nothing. */
    static <A extends Action> TargetProbe<A> none() {
        return (action, context) -> Optional.empty();
    }

    /**
     * One target to ask.
     *
     * @param target the target as people read it; jobs with the same target are asked once
     * @param ask    asks it
     */
    record Question(String target, Ask ask) {}

    /** Asks a target: why it cannot take the job's work, or empty when it can. */
    @FunctionalInterface
    interface Ask {
        Optional<String> ask() throws Exception;
    }

    /**
     * What a question may use.
     *
     * @param secrets     the release's secrets, resolved as its jobs will resolve them
     * @param projectDir  the spec's directory
     * @param environment the environment the release runs in (tokens, API addresses)
     * @param jobs        every job of the plan (what the release will ask of a target in all, such as its requests to a registry)
     * @param notes       takes what a target said that stops nothing but is worth telling, for that target
     */
    record Context(Secrets secrets, Path projectDir, Map<String, String> environment, java.util.List<dev.cutter.plan.Job> jobs,
            java.util.function.BiConsumer<String, String> notes) {
        public Context(Secrets secrets, Path projectDir, Map<String, String> environment) {
            this(secrets, projectDir, environment, java.util.List.of(), (target, note) -> { });
        }

        /** The project and its jobs; of the environment, only its size. */
        @Override
        public String toString() {
            return "Context[projectDir=" + projectDir + ", environment=<" + environment.size() + " variables>, jobs=" + jobs.size() + "]";
        }
    }
}
