package dev.cutter.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.cutter.content.Digest;
import dev.cutter.ledger.Artifact;
import dev.cutter.ledger.JobHold;
import dev.cutter.ledger.JobRecord;
import dev.cutter.ledger.JobState;
import dev.cutter.ledger.Ledger;
import dev.cutter.ledger.Run;
import dev.cutter.ledger.RunState;
import dev.cutter.plan.Job;
import dev.cutter.plan.Plan;
import dev.cutter.plan.PlanException;
import dev.cutter.run.Outcome.Status;
import dev.cutter.spec.Spec;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Runs one job of a run recorded in a shared ledger, as a CI job does ({@code cutter job run RUN
 * JOB}): the plan is the one the run recorded, never planned again (law 1); the job waits for
 * what it needs, is held so that it runs exactly once however many runners start it, takes the
 * outputs of the jobs before it from the {@link ArtifactStore}, runs like any job of a release
 * (retries, timeouts, logs and effects in the ledger), and leaves its own outputs there before
 * it is recorded done. The last job to end ends the run, after reading back every tag the run
 * decided ({@link ReadBack}), as a release on one machine does.
 *
 * <p>A runner renews its hold while the job runs; one killed stops renewing, and after
 * {@code staleAfter} another runner (a CI retry) takes the job over.
 */
public final class JobRunner {
    /**
     * How a job run ended, for the message and the exit code: {@code RELEASED} when the job did
     * its part of the release, {@code NOTHING_TO_DO} when it or its run was already done.
     */
    public record Outcome(Status status, String message) {}

    /**
     * @param staleAfter how long a runner that stopped renewing its hold keeps the job
     * @param patience how long to wait for the needed jobs and a place in the job's concurrency group
     */
    public record Options(Duration staleAfter, Duration patience) {
        public static Options defaults() {
            return new Options(Duration.ofSeconds(30), Duration.ofHours(6));
        }
    }

    private static final Duration POLL = Duration.ofMillis(500);

    private final Ledger ledger;
    private final Map<String, JobHandler> handlers;
    private final Map<String, String> environment;
    private final RunListener listener;
    private final Cancellation cancellation;
    private final Function<JsonNode, ArtifactStore> stores;
    private final String runner;
    private final ReadBack readBack;

    /**
     * @param stores the artifact store a run recorded ({@code artifacts} of its record) opened
     * @param readBack what the last job reads back before the run is recorded succeeded
     */
    public JobRunner(Ledger ledger, Map<String, JobHandler> handlers, Map<String, String> environment, RunListener listener,
            Cancellation cancellation, Function<JsonNode, ArtifactStore> stores, ReadBack readBack) {
        this.readBack = readBack;
        this.ledger = ledger;
        this.handlers = handlers;
        this.environment = environment;
        this.listener = listener;
        this.cancellation = cancellation;
        this.stores = stores;
        this.runner = Runs.hostName() + ":" + ProcessHandle.current().pid() + ":" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** The name this runner holds jobs under: host, pid and a random part. */
    public String runner() {
        return runner;
    }

    public Outcome run(Spec spec, String runId, String jobId, Options options) throws InterruptedException, IOException {
        Run run = ledger.run(runId).orElseThrow(() -> new PlanException("no run " + runId + " in the ledger " + ledger.location()
                + "; `cutter emit` records the run its pipeline runs"));
        if (run.state() != RunState.RUNNING) {
            return run.state() == RunState.SUCCEEDED
                    ? new Outcome(Status.NOTHING_TO_DO, "run " + runId + " already succeeded; nothing to do")
                    : new Outcome(Status.REFUSED, "run " + runId + " ended " + run.state().name().toLowerCase() + "; emit a new one");
        }
        RunRecord record;
        try {
            record = RunRecord.read(ledger.planJson(runId).orElseThrow());
        } catch (JsonProcessingException e) {
            throw new PlanException("the ledger's record of run " + runId + " is unreadable: " + e.getOriginalMessage());
        }
        Plan plan = record.plan();
        Job job = plan.job(jobId).orElseThrow(() -> new PlanException("run " + runId + " has no job " + jobId + "; its jobs: "
                + String.join(", ", plan.jobs().stream().map(Job::id).limit(20).toList()) + (plan.jobs().size() > 20 ? ", …" : "")));
        ArtifactStore store = stores.apply(record.artifacts());
        Instant deadline = Instant.now().plus(options.patience());
        Optional<Outcome> early = awaitHold(plan, runId, job, options, deadline);
        if (early.isPresent()) {
            return early.get();
        }
        ScheduledExecutorService renewal = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "cutter-hold");
            t.setDaemon(true);
            return t;
        });
        long every = Math.max(1000, options.staleAfter().toMillis() / 4);
        renewal.scheduleAtFixedRate(() -> {
            if (!ledger.renewHold(runId, jobId, runner)) {
                cancellation.cancel("another runner took over " + jobId + " after this one stopped renewing its hold");
            }
        }, every, every, TimeUnit.MILLISECONDS);
        try {
            return execute(spec, plan, runId, job, store);
        } finally {
            renewal.shutdownNow();
        }
    }

    /** Waits for the job's needs and its hold; an outcome when there is nothing to run. */
    private Optional<Outcome> awaitHold(Plan plan, String runId, Job job, Options options, Instant deadline)
            throws InterruptedException {
        List<String> group = job.group().map(g -> plan.jobs().stream().filter(j -> j.group().equals(job.group()))
                .map(Job::id).toList()).orElse(List.of());
        int limit = job.group().map(g -> plan.groups().getOrDefault(g, Integer.MAX_VALUE)).orElse(Integer.MAX_VALUE);
        boolean notification = dev.cutter.plan.Kind.traitsOf(job).notification();
        String waitingFor = "";
        while (true) {
            cancellation.throwIfCancelled();
            Map<String, JobRecord> jobs = new LinkedHashMap<>();
            ledger.jobs(runId).forEach(j -> jobs.put(j.jobId(), j));
            Optional<String> unfinished = job.needs().stream().filter(n -> !jobs.get(n).state().isFinal()).findFirst();
            Optional<String> failed = job.needs().stream().filter(n -> {
                var state = jobs.get(n).state();
                return state == JobState.FAILED || state == JobState.CANCELLED;
            }).findFirst();
            if (unfinished.isEmpty() && failed.isPresent() && !notification) {
                String detail = "not run: needs " + failed.get() + " which " + jobs.get(failed.get()).state().name().toLowerCase();
                if (!jobs.get(job.id()).state().isFinal()) {
                    ledger.jobFinished(runId, job.id(), JobState.CANCELLED, Optional.of(detail), List.of(), List.of());
                    finishIfDone(runId, plan, Optional.empty()); // a job cancelled: the run cannot succeed
                }
                return Optional.of(new Outcome(Status.CANCELLED, job.id() + " " + detail));
            }
            if (unfinished.isEmpty()) {
                JobHold hold = ledger.holdJob(runId, job.id(), runner, options.staleAfter(), group, limit);
                switch (hold.outcome()) {
                    case HELD -> {
                        return Optional.empty();
                    }
                    case DONE -> {
                        return Optional.of(new Outcome(Status.NOTHING_TO_DO, job.id() + " is already done"
                                + hold.holder().map(h -> " (by " + h + ")").orElse("") + "; nothing to do"));
                    }
                    case BUSY -> waitingFor = "its holder " + hold.holder().orElse("?") + " to finish or stop answering";
                    case GROUP_FULL -> waitingFor = "a place in concurrency group " + job.group().orElseThrow() + " (" + limit + " at a time)";
                }
            } else {
                waitingFor = unfinished.get();
            }
            if (Instant.now().isAfter(deadline)) {
                return Optional.of(new Outcome(Status.FAILED, job.id() + " waited " + options.patience() + " for " + waitingFor
                        + "; start it again once that is done"));
            }
            Thread.sleep(POLL.toMillis()); // polling the shared ledger: other machines write it
        }
    }

    private Outcome execute(Spec spec, Plan plan, String runId, Job job, ArtifactStore store) throws InterruptedException, IOException {
        // what every job before it made, present here as it was made there
        Artifacts artifacts = new Artifacts();
        Map<String, List<Artifact>> byJob = new LinkedHashMap<>();
        Set<String> before = ancestors(plan, job);
        Map<String, List<Artifact>> made = new LinkedHashMap<>();
        for (Artifact a : ledger.artifacts(runId)) {
            if (before.contains(a.jobId())) {
                made.computeIfAbsent(a.jobId(), k -> new ArrayList<>()).add(a);
                byJob.computeIfAbsent(a.jobId(), k -> new ArrayList<>()).add(a);
            }
        }
        for (var entry : made.entrySet()) {
            store.fetch(runId, entry.getKey(), entry.getValue());
        }
        byJob.forEach(artifacts::put);
        Map<String, JobResult> earlier = new LinkedHashMap<>();
        for (JobRecord other : ledger.jobs(runId)) {
            if (!other.jobId().equals(job.id())) {
                JobState state = switch (other.state()) {
                    case SUCCEEDED, FAILED, CANCELLED -> other.state();
                    default -> JobState.SKIPPED; // still to run, or running elsewhere: not this runner's
                };
                earlier.put(other.jobId(), new JobResult(other.jobId(), other.kind(), state, other.detail().orElse(""), Duration.ZERO,
                        Optional.empty()));
            }
        }
        JobHandler handler = handlers.get(job.kind());
        if (handler == null) {
            throw new PlanException(job.id() + ": Cutter cannot run jobs of kind '" + job.kind() + "'");
        }
        Map<String, JobHandler> shipping = Map.of(job.kind(), context -> {
            JobOutcome outcome = handler.run(context);
            store.put(runId, job.id(), outcome.outputs()); // before the ledger says done: whoever reads that can fetch it
            return outcome;
        });
        Masker masker = new Masker();
        Path project = spec.directory();
        Scheduler.Environment env = new Scheduler.Environment(runId, plan, project, project.resolve("dist"),
                new Secrets(environment, project, masker), Runs.sourceDate(environment, plan, project), cancellation);
        Scheduler scheduler = new Scheduler(env, shipping, new LedgerRecorder(ledger, runId, masker), listener,
                Scheduler.Options.of(1, true), artifacts);
        JobResult result = scheduler.execute(earlier, true).stream().filter(r -> r.jobId().equals(job.id())).findFirst().orElseThrow();
        String what = job.id() + " of run " + runId;
        Optional<String> moved = finishIfDone(runId, plan, Optional.of(new ReadBackFrom(project, env.secrets())));
        if (moved.isPresent()) {
            return new Outcome(Status.REFUSED, "done " + what + ", the run's last job; " + moved.get());
        }
        return switch (result.state()) {
            case SUCCEEDED -> new Outcome(Status.RELEASED, "done " + what + (result.detail().isEmpty() ? "" : ": " + result.detail()));
            case SKIPPED -> new Outcome(Status.RELEASED, "skipped " + what + ": " + result.detail());
            case CANCELLED -> new Outcome(Status.CANCELLED, "cancelled " + what + ": " + result.detail());
            case FAILED -> new Outcome(Status.of(result.failure().orElse(JobFailure.Kind.FAILED)), "failed " + what + ": " + result.detail());
            case PENDING, RUNNING -> throw new IllegalStateException(what + " has not finished: " + result.state());
        };
    }

    /** The jobs {@code job} needs, and those they need, all the way back. */
    private static Set<String> ancestors(Plan plan, Job job) {
        Set<String> seen = new HashSet<>();
        Deque<String> todo = new ArrayDeque<>(job.needs());
        while (!todo.isEmpty()) {
            String id = todo.removeFirst();
            if (seen.add(id)) {
                plan.job(id).ifPresent(j -> todo.addAll(j.needs()));
            }
        }
        return seen;
    }

    /**
     * Ends the run once every job has ended: succeeded unless a job failed or was cancelled, or a
     * tag it decided moved under it (then failed, and what moved is returned).
     */
    private record ReadBackFrom(Path project, Secrets secrets) {}

    private Optional<String> finishIfDone(String runId, Plan plan, Optional<ReadBackFrom> from) {
        List<JobRecord> jobs = ledger.jobs(runId);
        if (!jobs.stream().allMatch(j -> j.state().isFinal())) {
            return Optional.empty();
        }
        boolean ok = jobs.stream().allMatch(j -> j.state() == JobState.SUCCEEDED || j.state() == JobState.SKIPPED);
        Optional<String> moved = Optional.empty();
        if (ok && from.isPresent()) {
            ReadBack.Found found = readBack.check(plan, ledger.effects(runId), from.get().project(), from.get().secrets());
            if (!found.clean()) {
                List<String> lines = new ArrayList<>();
                found.moved().forEach(m -> lines.add("moved under this run: " + m));
                found.unread().forEach(u -> lines.add("could not be read back: " + u));
                ledger.log(runId, Runs.READ_BACK, "stderr", lines);
                moved = Optional.of("the run is not released: " + String.join("; ", lines));
                ok = false;
            }
        }
        ledger.finishRun(runId, ok ? RunState.SUCCEEDED : RunState.FAILED);
        return moved;
    }
}
