package dev.cutter.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** What a ledger does, on every database it can live in: see {@link SqliteLedgerTest} and {@link PostgresLedgerTest}. */
abstract class LedgerTest {
    static final Instant T0 = Instant.parse("2026-11-23T09:35:12.345Z");

    final TestClock clock = new TestClock(T0);

    /** An empty store for each test. */
    abstract LedgerStore store();

    Ledger open() {
        return Ledger.open(store().location(), clock);
    }

    static Artifact artifact(String runId, String jobId, String name) {
        return new Artifact(runId, jobId, name, java.nio.file.Path.of("dist/" + name), dev.cutter.content.Digest.parse("sha256:" + "0f".repeat(32)), 1234,
                "binary");
    }

    @Test
    void aJobIsHeldByOneRunnerAtATimeAndTakenOverOnlyWhenItsRunnerStopsRenewing() {
        try (Ledger ledger = open()) {
            Run run = ledger.startRun(Runs.of("app", "1.2.3", "build", "push"));
            Duration stale = Duration.ofSeconds(30);

            assertThat(ledger.holdJob(run.id(), "build", "ci-1", stale, List.of(), 0).outcome()).isEqualTo(JobHold.Outcome.HELD);
            JobHold second = ledger.holdJob(run.id(), "build", "ci-2", stale, List.of(), 0);
            assertThat(second.outcome()).isEqualTo(JobHold.Outcome.BUSY);
            assertThat(second.holder()).contains("ci-1");
            clock.advance(Duration.ofSeconds(20));
            assertThat(ledger.renewHold(run.id(), "build", "ci-1")).isTrue();
            clock.advance(Duration.ofSeconds(20));
            assertThat(ledger.holdJob(run.id(), "build", "ci-2", stale, List.of(), 0).outcome())
                    .as("renewed 20 s ago: still alive").isEqualTo(JobHold.Outcome.BUSY);

            clock.advance(Duration.ofSeconds(31)); // ci-1 was killed: its hold goes stale
            assertThat(ledger.holdJob(run.id(), "build", "ci-2", stale, List.of(), 0).outcome()).isEqualTo(JobHold.Outcome.HELD);
            assertThat(ledger.renewHold(run.id(), "build", "ci-1")).as("ci-1 lost the job").isFalse();
            assertThat(ledger.run(run.id()).orElseThrow().heartbeat()).as("holding keeps the run alive").isEqualTo(clock.instant());

            ledger.jobStarted(run.id(), "build");
            ledger.jobFinished(run.id(), "build", JobState.SUCCEEDED, Optional.empty(), List.of(), List.of());
            assertThat(ledger.holdJob(run.id(), "build", "ci-3", stale, List.of(), 0).outcome()).isEqualTo(JobHold.Outcome.DONE);
        }
    }

    @Test
    void aFailedJobCanBeHeldAgainAndAGroupAdmitsAsManyHoldersAsItsLimit() {
        try (Ledger ledger = open()) {
            Run run = ledger.startRun(Runs.of("app", "1.2.3", "replicate/a", "replicate/b", "replicate/c"));
            List<String> group = List.of("replicate/a", "replicate/b", "replicate/c");
            Duration stale = Duration.ofSeconds(30);

            assertThat(ledger.holdJob(run.id(), "replicate/a", "ci-1", stale, group, 2).outcome()).isEqualTo(JobHold.Outcome.HELD);
            assertThat(ledger.holdJob(run.id(), "replicate/b", "ci-2", stale, group, 2).outcome()).isEqualTo(JobHold.Outcome.HELD);
            assertThat(ledger.holdJob(run.id(), "replicate/c", "ci-3", stale, group, 2).outcome()).isEqualTo(JobHold.Outcome.GROUP_FULL);

            ledger.jobStarted(run.id(), "replicate/a");
            ledger.jobFinished(run.id(), "replicate/a", JobState.FAILED, Optional.of("503"), List.of(), List.of());
            assertThat(ledger.holdJob(run.id(), "replicate/c", "ci-3", stale, group, 2).outcome())
                    .as("a finished job leaves its place").isEqualTo(JobHold.Outcome.HELD);
            assertThat(ledger.holdJob(run.id(), "replicate/a", "ci-4", stale, group, 2).outcome())
                    .as("the failed job retried, but its group is full again").isEqualTo(JobHold.Outcome.GROUP_FULL);
            clock.advance(Duration.ofSeconds(31));
            assertThat(ledger.holdJob(run.id(), "replicate/a", "ci-4", stale, group, 2).outcome())
                    .as("the others stopped renewing").isEqualTo(JobHold.Outcome.HELD);
        }
    }

    @Test
    void aRunWithALeaseKeepsItsVersionWhileQuietForLessThanTheLease() {
        try (Ledger ledger = open()) {
            NewRun seed = Runs.of("app", "2.0.0", "build");
            Run emitted = ledger.startRun(new NewRun(seed.kind(), seed.project(), seed.version(), seed.tag(), seed.channel(),
                    seed.planDigest(), seed.planJson(), seed.jobs(), "ci", 1, Optional.of(Duration.ofMinutes(10))));
            assertThat(ledger.run(emitted.id()).orElseThrow().lease()).contains(Duration.ofMinutes(10));
            assertThat(ledger.claim("app", "2.0.0", emitted.id(), ClaimTest.PUSH, Duration.ofSeconds(30), false).granted()).isTrue();
            Run other = ledger.startRun(Runs.of("app", "2.0.0", "build"));

            clock.advance(Duration.ofMinutes(5));
            assertThat(ledger.claim("app", "2.0.0", other.id(), ClaimTest.PUSH, Duration.ofSeconds(30), false).granted()).as("within its lease").isFalse();
            clock.advance(Duration.ofMinutes(6));
            assertThat(ledger.claim("app", "2.0.0", other.id(), ClaimTest.PUSH, Duration.ofSeconds(30), false).granted()).as("its lease ran out").isTrue();
        }
    }

    @Test
    void aWholeRunReadsBackAsItWasWrittenAfterReopening() {
        Run run;
        Effect pushed;
        Artifact binary;
        try (Ledger ledger = open()) {
            run = ledger.startRun(Runs.of("app", "1.2.3", "build", "image", "notify"));
            assertThat(run.id()).matches("r20261123-093512-[0-9a-f]{4}");
            assertThat(ledger.claim("app", "1.2.3", run.id(), ClaimTest.PUSH, Duration.ofMinutes(1), false).granted()).isTrue();

            clock.advance(Duration.ofSeconds(1));
            ledger.jobStarted(run.id(), "build");
            ledger.log(run.id(), "build", "stdout", List.of("compiling", "done"));
            binary = artifact(run.id(), "build", "app-linux-amd64");
            ledger.jobFinished(run.id(), "build", JobState.SUCCEEDED, Optional.empty(), List.of(binary), List.of());

            clock.advance(Duration.ofSeconds(1));
            ledger.jobStarted(run.id(), "image");
            pushed = new Effect(run.id(), "image", "push", "registry.test/app:1.2.3", Optional.empty(),
                    "sha256:" + "1e".repeat(32), clock.instant());
            Effect floating = new Effect(run.id(), "image", "tag", "registry.test/app:latest",
                    Optional.of("sha256:" + "99".repeat(32)), "sha256:" + "1e".repeat(32), clock.instant());
            ledger.jobFinished(run.id(), "image", JobState.SUCCEEDED, Optional.empty(), List.of(),
                    List.of(pushed, floating));

            ledger.jobFinished(run.id(), "notify", JobState.SKIPPED, Optional.of("no webhook configured"),
                    List.of(), List.of());
            ledger.heartbeat(run.id());
            clock.advance(Duration.ofSeconds(1));
            ledger.finishRun(run.id(), RunState.SUCCEEDED);
        }

        try (Ledger ledger = open()) {
            Run read = ledger.run(run.id()).orElseThrow();
            assertThat(read).isEqualTo(new Run(run.id(), RunKind.RELEASE, "app", "1.2.3", "v1.2.3", "stable", run.planDigest(),
                    RunState.SUCCEEDED, T0, Optional.of(T0.plusSeconds(3)), T0.plusSeconds(3), "builder-1", 4242, Optional.empty()));
            assertThat(ledger.planJson(run.id())).contains("{\"project\":\"app\",\"version\":\"1.2.3\"}");

            assertThat(ledger.jobs(run.id())).containsExactly(
                    new JobRecord(run.id(), "build", "build", JobState.SUCCEEDED, 1, Optional.of(T0.plusSeconds(1)),
                            Optional.of(T0.plusSeconds(1)), Optional.empty()),
                    new JobRecord(run.id(), "image", "build", JobState.SUCCEEDED, 1, Optional.of(T0.plusSeconds(2)),
                            Optional.of(T0.plusSeconds(2)), Optional.empty()),
                    new JobRecord(run.id(), "notify", "build", JobState.SKIPPED, 0, Optional.empty(),
                            Optional.of(T0.plusSeconds(2)), Optional.of("no webhook configured")));
            assertThat(ledger.attempts(run.id(), "build")).containsExactly(new Attempt(run.id(), "build", 1,
                    JobState.SUCCEEDED, T0.plusSeconds(1), Optional.of(T0.plusSeconds(1)), Optional.empty()));
            assertThat(ledger.effects(run.id())).hasSize(2).first().isEqualTo(pushed);
            assertThat(ledger.effects(run.id()).get(1).before()).contains("sha256:" + "99".repeat(32));
            assertThat(ledger.artifacts(run.id())).containsExactly(binary);
            assertThat(ledger.logs(run.id(), Optional.empty(), 0, 10))
                    .extracting(LogLine::seq, LogLine::jobId, LogLine::stream, LogLine::text, LogLine::at)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple(1L, "build", "stdout", "compiling", T0.plusSeconds(1)),
                            org.assertj.core.groups.Tuple.tuple(2L, "build", "stdout", "done", T0.plusSeconds(1)));
            assertThat(ledger.latestRun()).contains(read);
            assertThat(ledger.runsOf("app", "1.2.3")).containsExactly(read);
            assertThat(ledger.runsOf("app", "1.2.4")).isEmpty();
        }
    }

    @Test
    void runsAreListedNewestFirst() {
        try (Ledger ledger = open()) {
            Run first = ledger.startRun(Runs.of("app", "1.0.0", "build"));
            clock.advance(Duration.ofMillis(1));
            Run second = ledger.startRun(Runs.of("app", "1.1.0", "build"));
            clock.advance(Duration.ofSeconds(5));
            Run third = ledger.startRun(Runs.of("lib", "0.1.0"));

            assertThat(ledger.runs(10)).extracting(Run::id).containsExactly(third.id(), second.id(), first.id());
            assertThat(ledger.runs(2)).extracting(Run::id).containsExactly(third.id(), second.id());
            assertThat(ledger.latestRun()).map(Run::id).contains(third.id());
            assertThat(ledger.jobs(third.id())).isEmpty();
            assertThat(ledger.run("r19990101-000000-0000")).isEmpty();
            assertThat(ledger.planJson("r19990101-000000-0000")).isEmpty();
        }
    }

    @Test
    void anEmptyLedgerHasNoLatestRun() {
        try (Ledger ledger = open()) {
            assertThat(ledger.latestRun()).isEmpty();
            assertThat(ledger.runs(5)).isEmpty();
        }
    }

    @Test
    void resumingPutsRunningJobsBackToPendingAndKeepsTheOthers() {
        String id;
        try (Ledger crashed = open()) {
            id = crashed.startRun(Runs.of("app", "2.0.0", "done", "skipped", "broken", "interrupted", "waiting")).id();
            crashed.jobStarted(id, "done");
            crashed.jobFinished(id, "done", JobState.SUCCEEDED, Optional.empty(), List.of(), List.of());
            crashed.jobFinished(id, "skipped", JobState.SKIPPED, Optional.of("already there"), List.of(), List.of());
            crashed.jobStarted(id, "broken");
            crashed.jobFinished(id, "broken", JobState.FAILED, Optional.of("exit 1"), List.of(), List.of());
            crashed.jobStarted(id, "interrupted");
            // the process dies here: no finish, no finishRun
        }
        clock.advance(Duration.ofMinutes(10));
        try (Ledger ledger = open()) {
            ledger.resumeRun(id, "builder-2", 777);

            Run run = ledger.run(id).orElseThrow();
            assertThat(run.state()).isEqualTo(RunState.RUNNING);
            assertThat(run.host()).isEqualTo("builder-2");
            assertThat(run.pid()).isEqualTo(777);
            assertThat(run.heartbeat()).isEqualTo(T0.plus(Duration.ofMinutes(10)));
            assertThat(ledger.jobs(id)).extracting(JobRecord::jobId, JobRecord::state, JobRecord::attempts)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple("done", JobState.SUCCEEDED, 1),
                            org.assertj.core.groups.Tuple.tuple("skipped", JobState.SKIPPED, 0),
                            org.assertj.core.groups.Tuple.tuple("broken", JobState.FAILED, 1),
                            org.assertj.core.groups.Tuple.tuple("interrupted", JobState.PENDING, 1),
                            org.assertj.core.groups.Tuple.tuple("waiting", JobState.PENDING, 0));
            assertThat(ledger.attempts(id, "interrupted")).singleElement().satisfies(a -> {
                assertThat(a.state()).isEqualTo(JobState.CANCELLED);
                assertThat(a.finished()).contains(T0.plus(Duration.ofMinutes(10)));
            });

            ledger.jobStarted(id, "interrupted");
            assertThat(ledger.jobs(id).get(3).attempts()).isEqualTo(2);
            assertThat(ledger.jobs(id).get(3).started()).as("the first attempt's start").contains(T0);
            assertThat(ledger.attempts(id, "interrupted")).extracting(Attempt::number, Attempt::state)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(1, JobState.CANCELLED),
                            org.assertj.core.groups.Tuple.tuple(2, JobState.RUNNING));
        }
    }

    @Test
    void resumingAFinishedRunMakesItRunningAgain() {
        try (Ledger ledger = open()) {
            String id = ledger.startRun(Runs.of("app", "2.0.1", "build")).id();
            ledger.finishRun(id, RunState.FAILED);
            assertThat(ledger.run(id).orElseThrow().finished()).isPresent();

            ledger.resumeRun(id, "builder-1", 1);

            assertThat(ledger.run(id).orElseThrow()).satisfies(run -> {
                assertThat(run.state()).isEqualTo(RunState.RUNNING);
                assertThat(run.finished()).isEmpty();
            });
        }
    }

    @Test
    void aRetryEndsTheOpenAttemptAsFailedAndStartsANewOne() {
        try (Ledger ledger = open()) {
            String id = ledger.startRun(Runs.of("app", "2.1.0", "push")).id();
            ledger.jobStarted(id, "push");
            ledger.jobStarted(id, "push");
            ledger.jobFinished(id, "push", JobState.SUCCEEDED, Optional.empty(), List.of(), List.of());

            assertThat(ledger.attempts(id, "push")).extracting(Attempt::number, Attempt::state, Attempt::detail)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple(1, JobState.FAILED, Optional.of("superseded by attempt 2")),
                            org.assertj.core.groups.Tuple.tuple(2, JobState.SUCCEEDED, Optional.empty()));
            assertThat(ledger.jobs(id).getFirst().attempts()).isEqualTo(2);
        }
    }

    @Test
    void aFailedJobFinishWritesNeitherStateNorEffectsNorArtifacts() {
        try (Ledger ledger = open()) {
            String id = ledger.startRun(Runs.of("app", "3.0.0", "image")).id();
            ledger.jobStarted(id, "image");
            Effect pushed = new Effect(id, "image", "push", "registry.test/app:3.0.0", Optional.empty(),
                    "sha256:" + "1e".repeat(32), clock.instant());
            // Two artifacts of one name: the second insert breaks the primary key, after the state
            // and the effect were written in the same transaction.
            List<Artifact> clash = List.of(artifact(id, "image", "index.json"), artifact(id, "image", "index.json"));

            assertThatThrownBy(() -> ledger.jobFinished(id, "image", JobState.SUCCEEDED, Optional.empty(), clash,
                    List.of(pushed)))
                    .isInstanceOf(LedgerException.class)
                    .hasMessageContaining("record the end of job image of run " + id);

            assertThat(ledger.jobs(id).getFirst().state()).isEqualTo(JobState.RUNNING);
            assertThat(ledger.jobs(id).getFirst().finished()).isEmpty();
            assertThat(ledger.attempts(id, "image").getFirst().finished()).isEmpty();
            assertThat(ledger.effects(id)).isEmpty();
            assertThat(ledger.artifacts(id)).isEmpty();

            // the ledger is still usable: the next write commits
            ledger.jobFinished(id, "image", JobState.SUCCEEDED, Optional.empty(),
                    List.of(artifact(id, "image", "index.json")), List.of(pushed));
            assertThat(ledger.effects(id)).containsExactly(pushed);
        }
    }

    @Test
    void aLaterFinishReplacesTheJobsArtifactsAndAddsToItsEffects() {
        try (Ledger ledger = open()) {
            String id = ledger.startRun(Runs.of("app", "3.1.0", "build", "archive")).id();
            Effect first = new Effect(id, "archive", "write", "dist/a.tgz", Optional.empty(), "sha256:" + "aa".repeat(32),
                    clock.instant());
            ledger.jobFinished(id, "build", JobState.SUCCEEDED, Optional.empty(),
                    List.of(artifact(id, "build", "bin")), List.of());
            ledger.jobFinished(id, "archive", JobState.FAILED, Optional.of("disk full"),
                    List.of(artifact(id, "archive", "partial.tgz")), List.of(first));
            Effect second = new Effect(id, "archive", "write", "dist/a.tgz", Optional.of("sha256:" + "aa".repeat(32)),
                    "sha256:" + "bb".repeat(32), clock.instant());
            ledger.jobFinished(id, "archive", JobState.SUCCEEDED, Optional.empty(),
                    List.of(artifact(id, "archive", "a.tgz"), artifact(id, "archive", "a.tgz.sha256")), List.of(second));

            assertThat(ledger.artifacts(id)).extracting(Artifact::name).containsExactly("bin", "a.tgz", "a.tgz.sha256");
            assertThat(ledger.effects(id)).containsExactly(first, second);
            assertThat(ledger.jobs(id).get(1).detail()).isEmpty();
        }
    }

    @Test
    void refusesArtifactsAndEffectsOfAnotherJob() {
        try (Ledger ledger = open()) {
            String id = ledger.startRun(Runs.of("app", "3.2.0", "a", "b")).id();
            assertThatThrownBy(() -> ledger.jobFinished(id, "a", JobState.SUCCEEDED, Optional.empty(),
                    List.of(artifact(id, "b", "x")), List.of()))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("belongs to job b");
            assertThatThrownBy(() -> ledger.jobFinished(id, "a", JobState.RUNNING, Optional.empty(), List.of(), List.of()))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("final state");
            assertThat(ledger.jobs(id)).allSatisfy(j -> assertThat(j.state()).isEqualTo(JobState.PENDING));
        }
    }

    @Test
    void unknownRunsAndJobsAreClearErrors() {
        try (Ledger ledger = open()) {
            String id = ledger.startRun(Runs.of("app", "4.0.0", "build")).id();
            assertThatThrownBy(() -> ledger.heartbeat("r20000101-000000-dead"))
                    .isInstanceOf(LedgerException.class).hasMessageContaining("no run r20000101-000000-dead");
            assertThatThrownBy(() -> ledger.jobStarted(id, "deploy"))
                    .isInstanceOf(LedgerException.class).hasMessageContaining("has no job deploy");
            assertThatThrownBy(() -> ledger.jobFinished(id, "deploy", JobState.FAILED, Optional.empty(), List.of(),
                    List.of())).isInstanceOf(LedgerException.class).hasMessageContaining("has no job deploy");
            assertThatThrownBy(() -> ledger.finishRun(id, RunState.RUNNING)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void logsPageAfterTheLastSequenceNumberSeen() {
        try (Ledger ledger = open()) {
            String id = ledger.startRun(Runs.of("app", "5.0.0", "a", "b")).id();
            for (int batch = 0; batch < 5; batch++) {
                String job = batch % 2 == 0 ? "a" : "b";
                int from = batch * 50;
                ledger.log(id, job, "stdout", IntStream.range(from, from + 50).mapToObj(i -> "line " + i).toList());
            }
            ledger.log(id, "a", "stdout", List.of());

            List<LogLine> all = new ArrayList<>();
            long after = 0;
            List<LogLine> page;
            while (!(page = ledger.logs(id, Optional.empty(), after, 100)).isEmpty()) {
                assertThat(page).hasSizeLessThanOrEqualTo(100);
                all.addAll(page);
                after = page.getLast().seq();
            }
            assertThat(all).extracting(LogLine::seq).containsExactlyElementsOf(LongStream.rangeClosed(1, 250).boxed().toList());
            assertThat(all.get(149).text()).isEqualTo("line 149");

            List<LogLine> ofB = ledger.logs(id, Optional.of("b"), 60, 30);
            assertThat(ofB).hasSize(30).allSatisfy(l -> assertThat(l.jobId()).isEqualTo("b"));
            assertThat(ofB.getFirst().seq()).isEqualTo(61);
            assertThat(ofB.getLast().seq()).isEqualTo(90);
            assertThat(ledger.logs(id, Optional.of("b"), 200, 100)).isEmpty();
            assertThat(ledger.logs(id, Optional.empty(), 0, 0)).isEmpty();
        }
    }

    @Test
    void logLinesOfOneRunWrittenByTwoLedgersAndManyThreadsGetDistinctIncreasingNumbers() throws Exception {
        try (Ledger one = open(); Ledger two = open()) {
            String id = one.startRun(Runs.of("app", "5.1.0", "a", "b", "c", "d")).id();
            ExecutorService pool = Executors.newFixedThreadPool(8);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> writers = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                Ledger ledger = t % 2 == 0 ? one : two;
                String job = List.of("a", "b", "c", "d").get(t % 4);
                int thread = t;
                writers.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < 20; i++) {
                        ledger.log(id, job, "stdout", List.of(thread + ":" + i + "a", thread + ":" + i + "b"));
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> writer : writers) {
                writer.get();
            }
            pool.shutdown();

            List<LogLine> lines = one.logs(id, Optional.empty(), 0, 1000);
            assertThat(lines).extracting(LogLine::seq)
                    .containsExactlyElementsOf(LongStream.rangeClosed(1, 320).boxed().toList());
            // a batch stays together
            for (int i = 0; i < lines.size(); i += 2) {
                assertThat(lines.get(i + 1).text()).isEqualTo(lines.get(i).text().replaceAll("a$", "b"));
            }
        }
    }

    @Test
    void effectsOfOneRunWrittenByTwoLedgersAndManyThreadsGetDenseUniqueNumbers() throws Exception {
        List<String> jobs = IntStream.range(0, 8).mapToObj(i -> "job" + i).toList();
        try (Ledger one = open(); Ledger two = open()) {
            String id = one.startRun(Runs.of("app", "5.2.0", jobs.toArray(String[]::new))).id();
            ExecutorService pool = Executors.newFixedThreadPool(jobs.size());
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> writers = new ArrayList<>();
            for (int t = 0; t < jobs.size(); t++) {
                Ledger ledger = t % 2 == 0 ? one : two;
                String job = jobs.get(t);
                writers.add(pool.submit(() -> {
                    start.await();
                    for (int finish = 0; finish < 5; finish++) {
                        List<Effect> effects = IntStream.range(0, 3).mapToObj(e -> new Effect(id, job, "push",
                                "registry.test/" + job + ":" + e, Optional.empty(), "sha256:" + "1e".repeat(32),
                                clock.instant())).toList();
                        ledger.jobFinished(id, job, JobState.FAILED, Optional.of("try " + finish), List.of(), effects);
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> writer : writers) {
                writer.get(60, TimeUnit.SECONDS);
            }
            pool.shutdown();

            List<Long> seqs = new ArrayList<>();
            try (Connection c = store().connect();
                    PreparedStatement select = c.prepareStatement("SELECT seq FROM effects WHERE run_id = ? ORDER BY seq")) {
                select.setString(1, id);
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        seqs.add(rs.getLong(1));
                    }
                }
            }
            assertThat(seqs).containsExactlyElementsOf(LongStream.rangeClosed(1, 8 * 5 * 3).boxed().toList());
            assertThat(one.effects(id)).hasSize(120);
        }
    }

    @Test
    void aWriteWaitsForAnotherProcesssTransactionInsteadOfFailing() throws Exception {
        try (Ledger ledger = open()) {
            String id = ledger.startRun(Runs.of("app", "6.0.0", "build")).id();
            CountDownLatch locked = new CountDownLatch(1);
            Thread other = new Thread(() -> {
                try (Connection c = store().connect(); Statement s = c.createStatement()) {
                    c.setAutoCommit(false);
                    // the run's row: SQLite locks the database for it, PostgreSQL the row
                    s.executeUpdate("UPDATE runs SET pid = pid WHERE id = '" + id + "'");
                    locked.countDown();
                    Thread.sleep(400); // hold the lock while the ledger under test waits for it
                    c.commit();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            other.start();
            locked.await();
            long before = System.nanoTime();

            ledger.heartbeat(id);

            assertThat(Duration.ofNanos(System.nanoTime() - before)).isGreaterThan(Duration.ofMillis(200));
            other.join();
        }
    }

    @Test
    void aClosedLedgerSaysSo() {
        Ledger ledger = open();
        ledger.close();
        ledger.close();
        assertThatThrownBy(() -> ledger.runs(1)).isInstanceOf(LedgerException.class).hasMessageContaining("is closed");
    }
}
