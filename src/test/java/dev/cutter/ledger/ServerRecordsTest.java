package dev.cutter.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The server's part of the ledger (migration 4): pages of runs, recent changes, tokens, the audit
 * trail; on every database ({@link SqliteServerRecordsTest}, {@link PostgresServerRecordsTest}).
 */
abstract class ServerRecordsTest {
    final TestClock clock = new TestClock(Instant.parse("2026-12-01T10:00:00Z"));

    abstract LedgerStore store();

    LedgerParts open() {
        return LedgerParts.open(store().location(), clock);
    }

    @Test
    void runsArePagedNewestFirstByKeyAndFilteredByProjectAndState() {
        try (LedgerParts parts = open()) {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 25; i++) {
                Run run = parts.ledger().startRun(Runs.of(i % 2 == 0 ? "even" : "odd", "1." + i + ".0"));
                ids.add(run.id());
                if (i % 5 == 0) {
                    parts.ledger().finishRun(run.id(), RunState.FAILED);
                }
                if (i % 3 != 0) {
                    clock.advance(Duration.ofSeconds(1)); // some runs start in the same millisecond, and still page right
                }
            }
            List<String> paged = new ArrayList<>();
            Optional<String> before = Optional.empty();
            while (true) {
                List<Run> page = parts.search().runs(new RunFilter(Optional.empty(), Optional.empty(), before, 7));
                if (page.isEmpty()) {
                    break;
                }
                page.forEach(r -> paged.add(r.id()));
                before = Optional.of(page.getLast().id());
            }
            assertThat(paged).containsExactlyElementsOf(parts.ledger().runs(100).stream().map(Run::id).toList()).hasSize(25);

            assertThat(parts.search().runs(new RunFilter(Optional.of("odd"), Optional.empty(), Optional.empty(), 100)))
                    .hasSize(12).allMatch(r -> r.project().equals("odd"));
            assertThat(parts.search().runs(new RunFilter(Optional.empty(), Optional.of(RunState.FAILED), Optional.empty(), 100)))
                    .extracting(Run::version).containsExactly("1.20.0", "1.15.0", "1.10.0", "1.5.0", "1.0.0");
            assertThat(parts.search().versions("even", 3)).containsExactly("1.24.0", "1.22.0", "1.20.0");
        }
    }

    @Test
    void runsAreFoundByAVersionDigestOrCommitPrefixAndTheirStarterIsReadFromTheAuditTrail() {
        try (LedgerParts parts = open()) {
            Run tagged = parts.ledger().startRun(new NewRun(RunKind.RELEASE, "app", "1.7.8", "v1.7.8", "stable", "sha256:" + "ab".repeat(32),
                    "{\"plan\":{\"sha\":\"6d7d2a3fe8243809b3c3a710792c8498292e2fc3\"}}", List.of(new JobSeed("push/app", "push")),
                    "builder-1", 1));
            parts.ledger().jobStarted(tagged.id(), "push/app");
            parts.ledger().jobFinished(tagged.id(), "push/app", JobState.SUCCEEDED, Optional.empty(), List.of(), List.of(new Effect(tagged.id(),
                    "push/app", Effect.CONFIRMED, "reg/app:1.7.8", Optional.empty(), "sha256:4f2c" + "0".repeat(60), clock.instant())));
            clock.advance(Duration.ofSeconds(1));
            Run later = parts.ledger().startRun(Runs.of("app", "1.7.10"));

            assertThat(parts.search().matching("1.7.8", 10)).extracting(Run::id).containsExactly(tagged.id());
            assertThat(parts.search().matching("1.7", 10)).extracting(Run::id).containsExactly(later.id(), tagged.id());
            assertThat(parts.search().matching("sha256:4f2c", 10)).extracting(Run::id).containsExactly(tagged.id());
            assertThat(parts.search().matching("4f2c00", 10)).as("the hex alone").extracting(Run::id).containsExactly(tagged.id());
            assertThat(parts.search().matching("6d7d2a3", 10)).as("a commit").extracting(Run::id).containsExactly(tagged.id());
            assertThat(parts.search().matching("%", 10)).as("a wildcard is a character").isEmpty();
            assertThat(parts.search().matching("1_7", 10)).isEmpty();

            parts.access().audit("token t1a2b3c4d (ci-bot)", "release", "app 1.7.8", "started " + tagged.id(), "10.0.0.1");
            parts.access().audit("cli (ops)", "resume", tagged.id(), "released " + tagged.id(), "pid 7 on vm");
            parts.access().audit("cli (ops)", "release", "app 1.7.10", "failed " + later.id() + ": build/app failed", "pid 8 on vm");
            assertThat(parts.access().starter(tagged.id())).map(AuditEntry::actor).contains("token t1a2b3c4d (ci-bot)");
            assertThat(parts.access().starter(later.id())).map(AuditEntry::actor).contains("cli (ops)");
            assertThat(parts.access().starter("r20261201-000000-0000")).isEmpty();
        }
    }

    @Test
    void recentChangesAreTheRunningRunsAndThoseThatStartedOrFinishedSince() {
        try (LedgerParts parts = open()) {
            Run old = parts.ledger().startRun(Runs.of("app", "1.0.0"));
            parts.ledger().finishRun(old.id(), RunState.SUCCEEDED);
            Run running = parts.ledger().startRun(Runs.of("app", "1.1.0"));
            clock.advance(Duration.ofMinutes(5));
            Instant since = clock.instant();
            clock.advance(Duration.ofSeconds(1));
            Run finished = parts.ledger().startRun(Runs.of("app", "1.2.0"));
            parts.ledger().finishRun(finished.id(), RunState.SUCCEEDED);

            assertThat(parts.search().runsChangedSince(since)).extracting(Run::id).containsExactly(running.id(), finished.id());
        }
    }

    @Test
    void tokensKeepOnlyTheirHashAndCanBeRevokedOnce() {
        try (LedgerParts parts = open()) {
            parts.access().addToken(new ApiToken("t1", "ci", "releaser", List.of("stable", "rc"), "sha256:" + "cd".repeat(32),
                    clock.instant(), Optional.empty()));
            parts.access().addToken(new ApiToken("t2", "ops", "admin", List.of("*"), "sha256:" + "ef".repeat(32), clock.instant(),
                    Optional.empty()));

            assertThat(parts.access().token("t1").orElseThrow().channels()).containsExactly("stable", "rc");
            assertThat(parts.access().revokeToken("t1")).isTrue();
            assertThat(parts.access().revokeToken("t1")).isFalse();
            assertThat(parts.access().revokeToken("nope")).isFalse();
            assertThat(parts.access().token("t1").orElseThrow().revoked()).contains(clock.instant());
            assertThat(parts.access().tokens()).extracting(ApiToken::id).containsExactly("t1", "t2");
            assertThat(parts.access().token("t3")).isEmpty();
        }
    }

    @Test
    void theAuditTrailIsNumberedAndPagedNewestFirst() {
        try (LedgerParts parts = open()) {
            for (int i = 1; i <= 5; i++) {
                assertThat(parts.access().audit("token t1 (ci)", "release", "app 1." + i, "started", "127.0.0.1").seq()).isEqualTo(i);
            }
            assertThat(parts.access().auditEntries(Long.MAX_VALUE, 2)).extracting(AuditEntry::subject).containsExactly("app 1.5", "app 1.4");
            assertThat(parts.access().auditEntries(4, 10)).extracting(AuditEntry::seq).containsExactly(3L, 2L, 1L);
        }
    }

    @Test
    void entriesWrittenAtOnceFromSeveralThreadsAndLedgersTakeEveryNumberOnce() throws Exception {
        int threads = 4;
        int each = 25;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try (LedgerParts first = open(); LedgerParts second = open()) {
            List<Future<?>> writes = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                LedgerParts parts = t % 2 == 0 ? first : second;
                int thread = t;
                writes.add(pool.submit(() -> {
                    for (int i = 0; i < each; i++) {
                        parts.access().audit("t" + thread, "release", "app", "started", "127.0.0.1");
                    }
                }));
            }
            for (Future<?> w : writes) {
                w.get(60, TimeUnit.SECONDS);
            }
            assertThat(first.access().auditEntries(Long.MAX_VALUE, 500)).extracting(AuditEntry::seq)
                    .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, threads * each).boxed().toList().reversed());
        } finally {
            pool.shutdownNow();
        }
    }
}
