package dev.cutter.run.jobs;

import dev.cutter.plan.Action;
import dev.cutter.plan.Job;
import dev.cutter.plan.Plan;
import dev.cutter.run.Artifacts;
import dev.cutter.run.Cancellation;
import dev.cutter.run.JobContext;
import dev.cutter.run.Masker;
import dev.cutter.run.Secrets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/** A job context over a real project directory, for running one handler at a time. */
public final class Contexts {
    private Contexts() {}

    public static final class Recording implements JobContext {
        public final Path project;
        public final Job job;
        public final Plan plan;
        public final Artifacts artifacts = new Artifacts();
        public final Masker masker = new Masker();
        public final Secrets secrets;
        public final Cancellation cancellation = new Cancellation();
        public final List<String> lines = new CopyOnWriteArrayList<>();
        public boolean succeeded = true;
        public List<dev.cutter.run.JobResult> ended = List.of();

        public Recording(Path project, Job job, Map<String, String> env, Job... others) {
            this.project = project;
            this.job = job;
            List<Job> jobs = new java.util.ArrayList<>(List.of(others));
            jobs.add(job);
            this.plan = new Plan(1, "demo", "1.2.3", "semver", "v1.2.3", "stable", false, Optional.empty(),
                    Optional.of("0123456789abcdef0123456789abcdef01234567"), jobs, List.of(), Map.of());
            this.secrets = new Secrets(env, project, masker);
        }

        public String runId() {
            return "r1";
        }

        public Plan plan() {
            return plan;
        }

        public Job job() {
            return job;
        }

        public Path projectDir() {
            return project;
        }

        public Path distDir() {
            return project.resolve("dist");
        }

        public Artifacts artifacts() {
            return artifacts;
        }

        public Secrets secrets() {
            return secrets;
        }

        public JobLog log() {
            return (stream, text) -> lines.add(stream + ": " + masker.mask(text));
        }

        public Cancellation cancellation() {
            return cancellation;
        }

        public Instant sourceDate() {
            return Instant.parse("2026-01-02T03:04:05Z");
        }

        public boolean runSucceeded() {
            return succeeded;
        }

        public List<dev.cutter.run.JobResult> ended() {
            return ended;
        }
    }

    public static Job build(String id, String command, Map<String, String> env, List<String> inputs, List<String> outputs, String dir) {
        return new Job(id, "build", id, List.of(), Map.of(), Optional.empty(),
                new Action.Build(command, env, dir, inputs, outputs, Optional.empty(), 0));
    }

    /** Runs {@code handler} on the job of {@code context}, as the engine does through {@code JobHandler.of}. */
    @SuppressWarnings("unchecked")
    public static <A extends dev.cutter.plan.Action> dev.cutter.run.JobOutcome run(dev.cutter.run.ActionHandler<A> handler,
            dev.cutter.run.JobContext context) throws Exception {
        return handler.run(context, (A) context.job().action());
    }
}
