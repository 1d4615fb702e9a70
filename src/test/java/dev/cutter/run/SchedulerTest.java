package dev.cutter.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutter.ledger.Artifact;
import dev.cutter.ledger.Effect;
import dev.cutter.ledger.JobState;
import dev.cutter.plan.Action;
import dev.cutter.plan.Job;
import dev.cutter.plan.Plan;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The scheduler over small DAGs of jobs whose handlers are plain lambdas. */
class SchedulerTest {
    /** Records what the scheduler tells the ledger, in memory. */
    static final class Recorded implements RunRecorder {
        final Map<String, JobState> states = new ConcurrentHashMap<>();
        final Map<String, String> details = new ConcurrentHashMap<>();
        final Map<String, Integer> starts = new ConcurrentHashMap<>();
        final List<String> logs = new CopyOnWriteArrayList<>();

        public void jobStarted(String jobId) {
            starts.merge(jobId, 1, Integer::sum);
        }

        public void jobFinished(String jobId, JobState state, Optional<String> detail, List<Artifact> outputs, List<Effect> effects) {
            states.put(jobId, state);
            detail.ifPresent(d -> details.put(jobId, d));
        }

        public void log(String jobId, String stream, List<String> lines) {
            lines.forEach(l -> logs.add(jobId + " " + l));
        }

        public void heartbeat() {}
    }

    static Job job(String id, String kind, String... needs) {
        return job(id, kind, Optional.empty(), needs);
    }

    static Job job(String id, String kind, Optional<String> group, String... needs) {
        Action action = kind.equals("notify") ? new Action.Notify("http://unused", "json", List.of("success", "failure"))
                : new Action.Build("true", Map.of(), "project", List.of(), List.of(), Optional.empty(), kind.equals("flaky") ? 2 : 0);
        return new Job(id, kind, id, List.of(needs), Map.of(), group, action);
    }

    static Plan plan(Map<String, Integer> groups, Job... jobs) {
        return new Plan(1, "demo", "1.0.0", "semver", "v1.0.0", "stable", false, Optional.empty(), Optional.empty(), List.of(jobs),
                List.of(), groups);
    }

    final Recorded recorded = new Recorded();
    final Masker masker = new Masker();
    final Cancellation cancellation = new Cancellation();

    List<JobResult> run(Plan plan, Map<String, JobHandler> handlers, int parallel, boolean failFast) throws InterruptedException {
        var env = new Scheduler.Environment("r1", plan, Path.of("."), Path.of("dist"), new Secrets(Map.of("TOKEN", "s3cr3t-value"),
                Path.of("."), masker), Instant.EPOCH, cancellation);
        var options = new Scheduler.Options(parallel, failFast, Duration.ofMillis(50));
        return new Scheduler(env, handlers, recorded, RunListener.NONE, options, new Artifacts()).execute(Set.of());
    }

    static JobHandler sleeping(AtomicInteger now, AtomicInteger peak, long millis) {
        return context -> {
            int n = now.incrementAndGet();
            peak.accumulateAndGet(n, Math::max);
            Thread.sleep(millis); // the work being scheduled
            now.decrementAndGet();
            return JobOutcome.done(List.of(), List.of());
        };
    }

    @Test
    void independentJobsRunInParallelUpToTheLimit() throws Exception {
        AtomicInteger now = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        List<Job> jobs = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            jobs.add(job("build/" + i, "build"));
        }
        run(plan(Map.of(), jobs.toArray(Job[]::new)), Map.of("build", sleeping(now, peak, 100)), 3, true);

        assertThat(peak.get()).isEqualTo(3);
        assertThat(recorded.states.values()).hasSize(8).containsOnly(JobState.SUCCEEDED);
    }

    @Test
    void aConcurrencyGroupLimitsItsJobsBelowTheGlobalLimit() throws Exception {
        AtomicInteger now = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        Optional<String> group = Optional.of("replicate/app");
        Job[] jobs = new Job[6];
        for (int i = 0; i < 6; i++) {
            jobs[i] = job("replicate/" + i, "replicate", group);
        }
        run(plan(Map.of("replicate/app", 2), jobs), Map.of("replicate", sleeping(now, peak, 100)), 8, true);

        assertThat(peak.get()).isEqualTo(2);
    }

    @Test
    void aPlanOf100000JobsIsScheduledInTimeProportionalToItsJobsAndNeeds() throws Exception {
        // Looking at every waiting job whenever one ended made this plan 10^10 looks (minutes); now each
        // job is looked at when one of its needs ends: 150,000 looks.
        List<Job> jobs = new ArrayList<>();
        for (int i = 0; i < 50_000; i++) {
            jobs.add(job("build/" + i, "build"));
        }
        for (int i = 0; i < 50_000; i++) {
            jobs.add(job("check/" + i, "build", "build/0", "build/" + i));
        }
        JobHandler noop = context -> JobOutcome.done("", List.of(), List.of());
        long start = System.nanoTime();

        List<JobResult> results = run(plan(Map.of(), jobs.toArray(Job[]::new)), Map.of("build", noop), 2, true);

        assertThat(results).hasSize(100_000).allMatch(r -> r.state() == JobState.SUCCEEDED);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(120));
        assertThat(cancellation.hooks()).as("an ended job leaves no hook on the run's cancellation").isZero();
    }

    @Test
    void aJobStartsOnlyAfterEverythingItNeeds() throws Exception {
        List<String> order = Collections.synchronizedList(new ArrayList<>());
        JobHandler handler = context -> {
            order.add("start " + context.job().id());
            Thread.sleep(30); // let a wrongly started dependent overtake
            order.add("end " + context.job().id());
            return JobOutcome.done(List.of(), List.of());
        };
        run(plan(Map.of(), job("a", "build"), job("b", "build"), job("c", "build", "a", "b")), Map.of("build", handler), 4, true);

        assertThat(order.indexOf("start c")).isGreaterThan(order.indexOf("end a")).isGreaterThan(order.indexOf("end b"));
    }

    @Test
    void aFailureCancelsWhatNeedsItAndFailFastStartsNothingNew() throws Exception {
        Map<String, JobHandler> handlers = Map.of("build", context -> {
            if (context.job().id().equals("a")) {
                throw JobFailure.failed("compile error");
            }
            Thread.sleep(50); // b runs while a fails
            return JobOutcome.done(List.of(), List.of());
        });
        List<JobResult> results = run(plan(Map.of(), job("a", "build"), job("b", "build"), job("c", "build", "a"),
                job("d", "build", "b")), handlers, 2, true);

        assertThat(recorded.states).containsEntry("a", JobState.FAILED).containsEntry("b", JobState.SUCCEEDED)
                .containsEntry("c", JobState.CANCELLED).containsEntry("d", JobState.CANCELLED);
        assertThat(recorded.details.get("c")).isEqualTo("not run: needs a which failed");
        assertThat(recorded.details.get("d")).contains("fail-fast");
        assertThat(results).extracting(JobResult::jobId).containsExactly("a", "b", "c", "d");
    }

    @Test
    void withoutFailFastIndependentBranchesGoOn() throws Exception {
        Map<String, JobHandler> handlers = Map.of("build", context -> {
            if (context.job().id().equals("a")) {
                throw JobFailure.failed("compile error");
            }
            return JobOutcome.done(List.of(), List.of());
        });
        run(plan(Map.of(), job("a", "build"), job("b", "build"), job("c", "build", "a"), job("d", "build", "b")), handlers, 1, false);

        assertThat(recorded.states).containsEntry("c", JobState.CANCELLED).containsEntry("d", JobState.SUCCEEDED);
    }

    @Test
    void notificationsRunAfterAFailureAndKnowTheRunFailed() throws Exception {
        Map<String, Boolean> seen = new ConcurrentHashMap<>();
        Map<String, JobHandler> handlers = Map.of(
                "build", context -> {
                    throw JobFailure.failed("boom");
                },
                "notify", context -> {
                    seen.put("succeeded", context.runSucceeded());
                    return JobOutcome.done(List.of(), List.of());
                });
        run(plan(Map.of(), job("a", "build"), job("b", "build", "a"), job("n", "notify", "a", "b")), handlers, 2, true);

        assertThat(recorded.states).containsEntry("n", JobState.SUCCEEDED).containsEntry("b", JobState.CANCELLED);
        assertThat(seen).containsEntry("succeeded", false);
    }

    @Test
    void retryableFailuresAreTriedAgainUntilTheyPass() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        Map<String, JobHandler> handlers = Map.of("flaky", context -> {
            if (calls.incrementAndGet() < 3) {
                throw JobFailure.retryable("503 Service Unavailable", null);
            }
            return JobOutcome.done(List.of(), List.of());
        });
        run(plan(Map.of(), job("f", "flaky")), handlers, 1, true);

        assertThat(calls.get()).isEqualTo(3);
        assertThat(recorded.starts).containsEntry("f", 3);
        assertThat(recorded.states).containsEntry("f", JobState.SUCCEEDED);
    }

    @Test
    void aFailureThatIsNotRetryableIsNotRetried() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        Map<String, JobHandler> handlers = Map.of("flaky", context -> {
            calls.incrementAndGet();
            throw JobFailure.refused("tag 1.0.0 exists with another digest");
        });
        List<JobResult> results = run(plan(Map.of(), job("f", "flaky")), handlers, 1, true);

        assertThat(calls.get()).isEqualTo(1);
        assertThat(results.get(0).failure()).contains(JobFailure.Kind.REFUSED);
    }

    @Test
    void aJobPastItsTimeoutFailsAndIsStopped() throws Exception {
        Job slow = new Job("slow", "build", "slow", List.of(), Map.of(), Optional.empty(),
                new Action.Build("sleep 10", Map.of(), "project", List.of(), List.of(), Optional.of(1L), 0));
        Map<String, JobHandler> handlers = Map.of("build", context -> {
            for (int i = 0; i < 100; i++) {
                context.cancellation().throwIfCancelled();
                Thread.sleep(50); // a long build that checks for cancellation
            }
            return JobOutcome.done(List.of(), List.of());
        });
        long start = System.nanoTime();
        run(plan(Map.of(), slow), handlers, 1, true);

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
        assertThat(recorded.states).containsEntry("slow", JobState.FAILED);
        assertThat(recorded.details.get("slow")).isEqualTo("timed out after 1s");
    }

    @Test
    void cancellingTheRunCancelsRunningAndPendingJobs() throws Exception {
        Map<String, JobHandler> handlers = Map.of("build", context -> {
            cancellation.cancel("interrupted");
            context.cancellation().throwIfCancelled();
            return JobOutcome.done(List.of(), List.of());
        });
        run(plan(Map.of(), job("a", "build"), job("b", "build", "a")), handlers, 1, true);

        assertThat(recorded.states).containsEntry("a", JobState.CANCELLED).containsEntry("b", JobState.CANCELLED);
        assertThat(recorded.details.get("b")).isEqualTo("cancelled: interrupted");
    }

    @Test
    void resolvedSecretsAreMaskedInLogsAndErrors() throws Exception {
        Map<String, JobHandler> handlers = Map.of("build", context -> {
            String token = context.secrets().resolve("${env:TOKEN}");
            context.log().info("using token " + token);
            throw JobFailure.failed("registry refused token " + token);
        });
        run(plan(Map.of(), job("a", "build")), handlers, 1, true);

        assertThat(recorded.logs).containsExactly("a using token ***");
        assertThat(recorded.details.get("a")).isEqualTo("registry refused token ***");
    }

    @Test
    void jobsAlreadyDoneAreNotRunAgain() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        Map<String, JobHandler> handlers = Map.of("build", context -> {
            calls.incrementAndGet();
            return JobOutcome.done(List.of(), List.of());
        });
        var env = new Scheduler.Environment("r1", plan(Map.of(), job("a", "build"), job("b", "build", "a")), Path.of("."),
                Path.of("dist"), new Secrets(Map.of(), Path.of("."), masker), Instant.EPOCH, cancellation);
        List<JobResult> results = new Scheduler(env, handlers, recorded, RunListener.NONE, Scheduler.Options.of(2, true),
                new Artifacts()).execute(Set.of("a"));

        assertThat(calls.get()).isEqualTo(1);
        assertThat(recorded.states).doesNotContainKey("a").containsEntry("b", JobState.SUCCEEDED);
        assertThat(results).extracting(JobResult::state).containsExactly(JobState.SKIPPED, JobState.SUCCEEDED);
    }

    /**
     * A layer, a blob or a package that is not what it claims is the input's fault, named in the
     * message, not Cutter's: the job fails with that message, never as an internal error. A bug
     * (here a null dereference) still says it is one, so it gets reported.
     */
    @Test
    void contentThatIsNotWhatItClaimsFailsTheJobWithItsOwnMessageNotAsAnInternalError() throws Exception {
        Map<String, JobHandler> handlers = Map.of(
                "layer", context -> {
                    throw new dev.cutter.oci.OciLayoutException(Path.of("blobs/sha256/ab"), "entry .. names no file");
                },
                "blob", context -> {
                    throw new dev.cutter.oci.DigestMismatchException("the blob served as sha256:aa",
                            dev.cutter.content.Digest.parse("sha256:" + "a".repeat(64)),
                            dev.cutter.content.Digest.parse("sha256:" + "b".repeat(64)));
                },
                "package", context -> {
                    throw new dev.cutter.pkg.InvalidPackageException("x.deb: Package 'a/b' has a '/'");
                },
                "bug", context -> {
                    throw new NullPointerException("plan.job");
                });
        List<JobResult> results = run(plan(Map.of(), job("l", "layer"), job("b", "blob"), job("p", "package"), job("n", "bug")),
                handlers, 1, false);

        assertThat(results).extracting(JobResult::state).containsOnly(JobState.FAILED);
        assertThat(recorded.details.get("l")).isEqualTo("blobs/sha256/ab: entry .. names no file");
        assertThat(recorded.details.get("b")).startsWith("the blob served as sha256:aa has digest sha256:bbb");
        assertThat(recorded.details.get("p")).isEqualTo("x.deb: Package 'a/b' has a '/'");
        assertThat(recorded.details.get("n")).startsWith("internal error: java.lang.NullPointerException");
    }

    @Test
    void aJobOfAKindWithoutHandlerFailsClearly() throws Exception {
        run(plan(Map.of(), job("x", "teleport")), new LinkedHashMap<>(), 1, true);

        assertThat(recorded.details.get("x")).isEqualTo("Cutter cannot run jobs of kind 'teleport' yet");
    }
}
