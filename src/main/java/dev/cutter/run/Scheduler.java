package dev.cutter.run;

import dev.cutter.content.ContentProblem;
import dev.cutter.ledger.Artifact;
import dev.cutter.ledger.Effect;
import dev.cutter.ledger.JobState;
import dev.cutter.plan.Action;
import dev.cutter.plan.Job;
import dev.cutter.plan.Kind;
import dev.cutter.plan.Plan;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Runs a plan's DAG: a job starts when every job it needs has succeeded or been skipped, within
 * the global parallelism limit and its concurrency group's limit. Independent jobs run in
 * parallel because the DAG says so, not because a job spawns threads.
 *
 * <p>A failed job cancels what depends on it; with fail-fast no new job starts after a failure
 * (running ones finish, so no effect is left half-made). Notifications run once their needs
 * are final, whatever the outcome. Retryable failures are tried again with exponential backoff.
 */
public final class Scheduler {
    /** Kinds whose effects cross a network: retried by default. */
    private static final int DEFAULT_NETWORK_RETRIES = 3;

    public record Options(int parallel, boolean failFast, Duration maxBackoff) {
        public static Options of(int parallel, boolean failFast) {
            return new Options(parallel, failFast, Duration.ofSeconds(30));
        }
    }

    /** Everything a job context needs that does not change from job to job. */
    public record Environment(String runId, Plan plan, Path projectDir, Path distDir, Secrets secrets,
            Instant sourceDate, Cancellation cancellation) {}

    private final Environment env;
    private final Map<String, JobHandler> handlers;
    private final RunRecorder recorder;
    private final RunListener listener;
    private final Options options;
    private final Artifacts artifacts;
    private final Instant started = Instant.now();
    /** Every job's result as it ends, for notifications to report (appended by the scheduling thread, read by jobs). */
    private final java.util.Queue<JobResult> ended = new java.util.concurrent.ConcurrentLinkedQueue<>();

    public Scheduler(Environment env, Map<String, JobHandler> handlers, RunRecorder recorder, RunListener listener,
            Options options, Artifacts artifacts) {
        this.env = env;
        this.handlers = handlers;
        this.recorder = recorder;
        this.listener = listener;
        this.options = options;
        this.artifacts = artifacts;
    }

    private record Finished(Job job, JobState state, String detail, Duration elapsed, Optional<JobFailure.Kind> failure) {}

    /**
     * Runs every job not in {@code done} (jobs a previous attempt of this run finished; their
     * outputs must already be in the artifact set) and returns how each ended.
     */
    public List<JobResult> execute(Set<String> done) throws InterruptedException {
        Map<String, JobResult> earlier = new LinkedHashMap<>();
        for (Job job : env.plan().jobs()) {
            if (done.contains(job.id())) {
                earlier.put(job.id(), new JobResult(job.id(), job.kind(), JobState.SKIPPED, "done in an earlier attempt of this run",
                        Duration.ZERO, Optional.empty()));
            }
        }
        return execute(earlier, false);
    }

    /**
     * Runs every job that has no result in {@code earlier} (jobs that ended before: in an earlier
     * attempt of the run, or on another machine) and returns how each ended. With
     * {@code reported}, the earlier results count as this run's: a failed one is a failure of the
     * run for notifications, and {@link JobContext#ended} lists them.
     */
    public List<JobResult> execute(Map<String, JobResult> earlier, boolean reported) throws InterruptedException {
        Plan plan = env.plan();
        Map<String, JobState> states = new LinkedHashMap<>();
        Map<String, JobResult> results = new LinkedHashMap<>();
        boolean failedBefore = false;
        for (Job job : plan.jobs()) {
            JobResult result = earlier.get(job.id());
            if (result != null) {
                states.put(job.id(), result.state());
                results.put(job.id(), result);
                if (reported) {
                    ended.add(result);
                    failedBefore |= result.state() == JobState.FAILED;
                }
            }
        }
        Map<String, Semaphore> groups = new HashMap<>();
        plan.groups().forEach((name, limit) -> groups.put(name, new Semaphore(limit, true)));
        Semaphore global = new Semaphore(Math.max(1, options.parallel()), true);
        BlockingQueue<Finished> finished = new LinkedBlockingQueue<>();
        Waiting waiting = new Waiting(plan.jobs(), states);
        boolean stopLaunching = false;
        boolean anyFailed = failedBefore;
        int running = 0;
        ScheduledExecutorService heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "cutter-heartbeat");
            t.setDaemon(true);
            return t;
        });
        heartbeat.scheduleAtFixedRate(this::beat, 5, 5, TimeUnit.SECONDS);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            while (true) {
                if (env.cancellation().isCancelled()) {
                    stopLaunching = true;
                }
                // only the jobs a state changed for can have become ready or blocked: each is looked at
                // then, in plan order, so a plan of n jobs is scheduled in time proportional to n and its needs
                for (Job job = waiting.nextChanged(); job != null; job = waiting.nextChanged()) {
                    Readiness readiness = readiness(job, states);
                    if (readiness == Readiness.BLOCKED) {
                        waiting.remove(job);
                        String need = job.needs().stream().filter(n -> !isDone(states.get(n))).findFirst().orElse("?");
                        cancel(job, env.cancellation().isCancelled() ? "cancelled: " + env.cancellation().reason()
                                : "not run: needs " + need + " which " + (states.get(need) == JobState.FAILED ? "failed" : "did not run"),
                                states, results);
                        waiting.ended(job);
                    } else if (readiness == Readiness.READY) {
                        waiting.ready(job);
                    }
                }
                if (stopLaunching) { // nothing new starts; notifications still report the outcome
                    for (Job job : waiting.pending()) {
                        if (!isNotification(job)) {
                            waiting.remove(job);
                            cancel(job, env.cancellation().isCancelled() ? "cancelled: " + env.cancellation().reason()
                                    : "not started: an earlier job failed (fail-fast)", states, results);
                            waiting.ended(job);
                        }
                    }
                    for (Job job = waiting.nextChanged(); job != null; job = waiting.nextChanged()) {
                        if (readiness(job, states) == Readiness.READY) { // a notification: never blocked
                            waiting.ready(job);
                        }
                    }
                }
                for (Job job : waiting.takeReady()) {
                    running++;
                    boolean succeededSoFar = !anyFailed;
                    pool.submit(() -> {
                        try {
                            finished.add(run(job, global, job.group().map(groups::get), succeededSoFar));
                        } catch (Throwable t) { // e.g. the ledger failed: the job must still end
                            finished.add(new Finished(job, JobState.FAILED, "internal error: " + t, Duration.ZERO,
                                    Optional.of(JobFailure.Kind.FAILED)));
                        }
                    });
                }
                if (running == 0) {
                    // nothing runs and nothing can start: whatever is left waits on jobs that will never finish
                    for (Job job : waiting.pending()) {
                        cancel(job, "not run: what it needs did not run", states, results);
                    }
                    break;
                }
                Finished f = finished.poll(200, TimeUnit.MILLISECONDS);
                if (f == null) {
                    continue;
                }
                running--;
                states.put(f.job().id(), f.state());
                waiting.ended(f.job());
                results.put(f.job().id(), new JobResult(f.job().id(), f.job().kind(), f.state(), f.detail(), f.elapsed(), f.failure()));
                ended.add(results.get(f.job().id()));
                if (f.state() == JobState.FAILED || f.state() == JobState.CANCELLED) {
                    anyFailed = true;
                    if (options.failFast()) {
                        stopLaunching = true;
                    }
                }
            }
        } finally {
            heartbeat.shutdownNow();
        }
        List<JobResult> ordered = new ArrayList<>();
        for (Job job : plan.jobs()) {
            if (results.containsKey(job.id())) {
                ordered.add(results.get(job.id()));
            }
        }
        return ordered;
    }

    /**
     * The jobs not started yet, in plan order, and which of them may have become ready or blocked:
     * a job is looked at first, then again only when one of its needs ends. Replaces a look at
     * every waiting job after every job that ended, which made a plan of n jobs cost n² looks.
     */
    private static final class Waiting {
        private final List<Job> jobs;
        private final Map<String, Integer> index = new HashMap<>();
        private final Map<String, List<Integer>> dependents = new HashMap<>();
        private final java.util.BitSet pending = new java.util.BitSet();
        private final java.util.BitSet changed = new java.util.BitSet();
        private final java.util.BitSet ready = new java.util.BitSet();

        Waiting(List<Job> jobs, Map<String, JobState> states) {
            this.jobs = jobs;
            for (int i = 0; i < jobs.size(); i++) {
                Job job = jobs.get(i);
                index.putIfAbsent(job.id(), i);
                for (String need : job.needs()) {
                    dependents.computeIfAbsent(need, k -> new ArrayList<>()).add(i);
                }
                if (!states.containsKey(job.id())) {
                    pending.set(i);
                    changed.set(i);
                }
            }
        }

        /** The next waiting job, in plan order, whose needs changed since it was last looked at; null when none. */
        Job nextChanged() {
            int i = changed.nextSetBit(0);
            if (i < 0) {
                return null;
            }
            changed.clear(i);
            return jobs.get(i);
        }

        /** {@code job} has a state now: what needs it is looked at again. */
        void ended(Job job) {
            for (int i : dependents.getOrDefault(job.id(), List.of())) {
                if (pending.get(i)) {
                    changed.set(i);
                }
            }
        }

        void ready(Job job) {
            ready.set(index.get(job.id()));
        }

        void remove(Job job) {
            int i = index.get(job.id());
            pending.clear(i);
            ready.clear(i);
            changed.clear(i);
        }

        /** The ready jobs in plan order, no longer waiting. */
        List<Job> takeReady() {
            List<Job> out = new ArrayList<>();
            for (int i = ready.nextSetBit(0); i >= 0; i = ready.nextSetBit(i + 1)) {
                out.add(jobs.get(i));
                pending.clear(i);
            }
            ready.clear();
            return out;
        }

        /** The waiting jobs in plan order (a copy: the caller may remove them). */
        List<Job> pending() {
            List<Job> out = new ArrayList<>();
            for (int i = pending.nextSetBit(0); i >= 0; i = pending.nextSetBit(i + 1)) {
                out.add(jobs.get(i));
            }
            return out;
        }
    }

    private void cancel(Job job, String detail, Map<String, JobState> states, Map<String, JobResult> results) {
        states.put(job.id(), JobState.CANCELLED);
        recorder.jobFinished(job.id(), JobState.CANCELLED, Optional.of(detail), List.of(), List.of());
        listener.jobFinished(job, JobState.CANCELLED, detail, Duration.ZERO);
        results.put(job.id(), new JobResult(job.id(), job.kind(), JobState.CANCELLED, detail, Duration.ZERO, Optional.empty()));
        ended.add(results.get(job.id()));
    }

    private void beat() {
        try {
            recorder.heartbeat();
        } catch (RuntimeException ignored) {
            // a missed heartbeat only makes the run look stale sooner
        }
    }

    private enum Readiness { READY, WAITING, BLOCKED }

    private Readiness readiness(Job job, Map<String, JobState> states) {
        boolean notification = isNotification(job);
        for (String need : job.needs()) {
            JobState state = states.get(need);
            if (state == null) {
                return Readiness.WAITING;
            }
            if (!isDone(state) && !notification) {
                return Readiness.BLOCKED;
            }
        }
        return Readiness.READY;
    }

    private static boolean isDone(JobState state) {
        return state == JobState.SUCCEEDED || state == JobState.SKIPPED;
    }

    private boolean isNotification(Job job) {
        return Kind.traitsOf(job).notification();
    }

    private Finished run(Job job, Semaphore global, Optional<Semaphore> group, boolean succeededSoFar) {
        Instant start = Instant.now(); // replaced once the job holds its slots: its time is its own, not the queue's
        boolean groupHeld = false;
        boolean globalHeld = false;
        try {
            if (group.isPresent()) {
                group.get().acquire();
                groupHeld = true;
            }
            global.acquire();
            globalHeld = true;
            return attempts(job, Instant.now(), succeededSoFar);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return finish(job, JobState.CANCELLED, "interrupted", start, List.of(), List.of(), Optional.empty());
        } finally {
            if (globalHeld) {
                global.release();
            }
            if (groupHeld) {
                group.get().release();
            }
        }
    }

    private Finished attempts(Job job, Instant start, boolean succeededSoFar) throws InterruptedException {
        JobHandler handler = handlers.get(job.kind());
        if (handler == null) {
            return finish(job, JobState.FAILED, "Cutter cannot run jobs of kind '" + job.kind() + "' yet", start,
                    List.of(), List.of(), Optional.of(JobFailure.Kind.FAILED));
        }
        int retries = retries(job);
        Masker masker = env.secrets().masker();
        for (int attempt = 1; ; attempt++) {
            if (env.cancellation().isCancelled()) {
                return finish(job, JobState.CANCELLED, "cancelled: " + env.cancellation().reason(), start, List.of(), List.of(),
                        Optional.empty());
            }
            recorder.jobStarted(job.id());
            listener.jobStarted(job, attempt);
            Cancellation jobCancellation = new Cancellation();
            Runnable forget = env.cancellation().onCancel(() -> jobCancellation.cancel(env.cancellation().reason()));
            Optional<Duration> timeout = timeout(job);
            ScheduledExecutorService timer = null;
            if (timeout.isPresent()) {
                timer = Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().factory());
                Duration limit = timeout.get();
                timer.schedule(() -> jobCancellation.cancel("timed out after " + format(limit)), limit.toMillis(), TimeUnit.MILLISECONDS);
            }
            Context context = new Context(job, jobCancellation, succeededSoFar);
            try {
                JobOutcome outcome = handler.run(context);
                context.flush();
                artifacts.put(job.id(), outcome.outputs());
                JobState state = outcome.skipped() ? JobState.SKIPPED : JobState.SUCCEEDED;
                return finish(job, state, masker.mask(outcome.detail()), start, outcome.outputs(), outcome.effects(), Optional.empty());
            } catch (JobFailure failure) {
                context.flush();
                String message = masker.mask(failure.getMessage());
                if (failure.retryable() && attempt <= retries && !jobCancellation.isCancelled()) {
                    Duration delay = backoff(attempt, failure.retryAfter());
                    context.log().line("info", "attempt " + attempt + " failed: " + message + "; retrying in " + format(delay));
                    context.flush();
                    listener.retrying(job, attempt, delay, message);
                    Thread.sleep(delay.toMillis()); // backoff between attempts is the point here
                    continue;
                }
                return finish(job, JobState.FAILED, message, start, List.of(), List.of(), Optional.of(failure.kind()));
            } catch (Cancellation.CancelledException e) {
                context.flush();
                boolean timedOut = jobCancellation.isCancelled() && !env.cancellation().isCancelled();
                return timedOut
                        ? finish(job, JobState.FAILED, masker.mask(e.getMessage()), start, List.of(), List.of(), Optional.of(JobFailure.Kind.FAILED))
                        : finish(job, JobState.CANCELLED, "cancelled: " + e.getMessage(), start, List.of(), List.of(), Optional.empty());
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                context.flush();
                String message = masker.mask(e instanceof ContentProblem ? e.getMessage() : "internal error: " + e);
                return finish(job, JobState.FAILED, message, start, List.of(), List.of(), Optional.of(JobFailure.Kind.FAILED));
            } finally {
                forget.run();
                if (timer != null) {
                    timer.shutdownNow();
                }
            }
        }
    }

    private Finished finish(Job job, JobState state, String detail, Instant start, List<Artifact> outputs, List<Effect> effects,
            Optional<JobFailure.Kind> failure) {
        Duration elapsed = Duration.between(start, Instant.now());
        recorder.jobFinished(job.id(), state, detail.isEmpty() ? Optional.empty() : Optional.of(detail), outputs, effects);
        listener.jobFinished(job, state, detail, elapsed);
        return new Finished(job, state, detail, elapsed, failure);
    }

    private int retries(Job job) {
        if (job.action() instanceof Action.Build b) {
            return b.retries();
        }
        return Kind.traitsOf(job).network() ? DEFAULT_NETWORK_RETRIES : 0;
    }

    private static Optional<Duration> timeout(Job job) {
        return switch (job.action()) {
            case Action.Build b -> b.timeoutSeconds().map(Duration::ofSeconds);
            case Action.Validate v -> v.timeoutSeconds().map(Duration::ofSeconds);
            default -> Optional.empty();
        };
    }

    /** 1 s, 2 s, 4 s… capped, with ±20 % jitter so retries of many jobs do not march in step; never before Retry-After. */
    private Duration backoff(int attempt, Optional<Duration> retryAfter) {
        long base = Math.min(options.maxBackoff().toMillis(), 1000L << Math.min(attempt - 1, 20));
        long jittered = (long) (base * (0.8 + 0.4 * ThreadLocalRandom.current().nextDouble()));
        long wait = Math.max(jittered, retryAfter.map(Duration::toMillis).orElse(0L));
        return Duration.ofMillis(Math.min(wait, Math.max(options.maxBackoff().toMillis(), retryAfter.map(Duration::toMillis).orElse(0L))));
    }

    static String format(Duration d) {
        long s = d.toSeconds();
        return s >= 60 ? (s / 60) + "m" + (s % 60 > 0 ? (s % 60) + "s" : "") : s > 0 ? s + "s" : d.toMillis() + "ms";
    }

    /** The context of one attempt of one job; log lines are masked and buffered to the recorder. */
    private final class Context implements JobContext {
        private final Job job;
        private final Cancellation cancellation;
        private final boolean succeededSoFar;
        private final List<String[]> buffer = new ArrayList<>();

        Context(Job job, Cancellation cancellation, boolean succeededSoFar) {
            this.job = job;
            this.cancellation = cancellation;
            this.succeededSoFar = succeededSoFar;
        }

        public String runId() {
            return env.runId();
        }

        public Plan plan() {
            return env.plan();
        }

        public Job job() {
            return job;
        }

        public Path projectDir() {
            return env.projectDir();
        }

        public Path distDir() {
            return env.distDir();
        }

        public Artifacts artifacts() {
            return artifacts;
        }

        public Secrets secrets() {
            return env.secrets();
        }

        public Cancellation cancellation() {
            return cancellation;
        }

        public Instant sourceDate() {
            return env.sourceDate();
        }

        @Override
        public Instant runStarted() {
            return started;
        }

        public boolean runSucceeded() {
            return succeededSoFar;
        }

        public List<JobResult> ended() {
            return List.copyOf(ended);
        }

        public JobLog log() {
            return (stream, text) -> {
                String masked = env.secrets().masker().mask(text);
                listener.log(job, stream, masked);
                synchronized (buffer) {
                    buffer.add(new String[] {stream, masked});
                    if (buffer.size() >= 200) {
                        flushLocked();
                    }
                }
            };
        }

        void flush() {
            synchronized (buffer) {
                flushLocked();
            }
        }

        private void flushLocked() {
            if (buffer.isEmpty()) {
                return;
            }
            Map<String, List<String>> byStream = new LinkedHashMap<>();
            for (String[] line : buffer) {
                byStream.computeIfAbsent(line[0], k -> new ArrayList<>()).add(line[1]);
            }
            buffer.clear();
            byStream.forEach((stream, lines) -> recorder.log(job.id(), stream, lines));
        }
    }
}
