package dev.cutter.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Locks on the tags a push decides, on every database a ledger can live in: see
 * {@link SqliteTagLockTest} and {@link PostgresTagLockTest}.
 */
abstract class TagLockTest {
    static final Duration STALE = Duration.ofMinutes(2);

    @TempDir
    Path dir;

    final TestClock clock = new TestClock(Instant.parse("2026-11-23T09:35:12Z"));

    abstract LedgerStore store();

    Ledger open() {
        return Ledger.open(store().location(), clock);
    }

    @Test
    void aJobHoldsTheTagsItAskedForAndAnotherRunWaitsForThem() {
        try (Ledger ledger = open()) {
            Run first = ledger.startRun(Runs.of("app", "7.1.0"));
            Run second = ledger.startRun(Runs.of("app", "7.0.1"));

            assertThat(ledger.lockTags(first.id(), "push/app", List.of("reg/app:7.1.0", "reg/app:7", "reg/app:latest"), STALE).held())
                    .isTrue();
            TagLock busy = ledger.lockTags(second.id(), "push/app", List.of("reg/app:7.0.1", "reg/app:7"), STALE);

            assertThat(busy).isEqualTo(new TagLock(false, Optional.of("reg/app:7"), Optional.of(first.id()), Optional.of("push/app")));
            assertThat(ledger.lockTags(second.id(), "push/app", List.of("other/app:7"), STALE).held()).as("another repository").isTrue();
            assertThat(ledger.lockTags(first.id(), "push/app", List.of("reg/app:7"), STALE).held()).as("its own lock, asked again")
                    .isTrue();
            assertThat(ledger.lockTags(first.id(), "push/other", List.of("reg/app:7"), STALE).held()).as("another job of its run")
                    .isFalse();
        }
    }

    @Test
    void allOrNone_aRefusedJobKeepsNoneOfTheLocksItAskedFor() {
        try (Ledger ledger = open()) {
            Run first = ledger.startRun(Runs.of("app", "1.0.0"));
            Run second = ledger.startRun(Runs.of("app", "2.0.0"));
            Run third = ledger.startRun(Runs.of("app", "3.0.0"));
            ledger.lockTags(first.id(), "push", List.of("reg/app:z"), STALE);

            assertThat(ledger.lockTags(second.id(), "push", List.of("reg/app:a", "reg/app:z"), STALE).held()).isFalse();

            assertThat(ledger.lockTags(third.id(), "push", List.of("reg/app:a"), STALE).held()).as("a was given back").isTrue();
        }
    }

    @Test
    void unlockingGivesEveryLockOfTheJobBack() {
        try (Ledger ledger = open()) {
            Run first = ledger.startRun(Runs.of("app", "1.0.0"));
            Run second = ledger.startRun(Runs.of("app", "2.0.0"));
            ledger.lockTags(first.id(), "push", List.of("reg/app:1", "reg/app:latest"), STALE);

            ledger.unlockTags(first.id(), "push");

            assertThat(ledger.lockTags(second.id(), "push", List.of("reg/app:1", "reg/app:latest"), STALE).held()).isTrue();
        }
    }

    @Test
    void theLockOfAnEndedOrKilledRunIsTakenOver() {
        try (Ledger ledger = open()) {
            Run ended = ledger.startRun(Runs.of("app", "1.0.0"));
            ledger.lockTags(ended.id(), "push", List.of("reg/app:latest"), STALE);
            ledger.finishRun(ended.id(), RunState.FAILED);
            Run killed = ledger.startRun(Runs.of("app", "2.0.0"));

            assertThat(ledger.lockTags(killed.id(), "push", List.of("reg/app:latest"), STALE).held()).as("from an ended run").isTrue();

            Run next = ledger.startRun(Runs.of("app", "3.0.0"));
            clock.advance(STALE.minusSeconds(1));
            assertThat(ledger.lockTags(next.id(), "push", List.of("reg/app:latest"), STALE).held()).as("still fresh").isFalse();
            ledger.heartbeat(next.id());
            clock.advance(Duration.ofSeconds(2));
            assertThat(ledger.lockTags(next.id(), "push", List.of("reg/app:latest"), STALE).held()).as("from a killed run").isTrue();
        }
    }

    @Test
    void aRunsLeaseDoesNotKeepItsLocksOnceItsHeartbeatIsStale() {
        try (Ledger ledger = open()) {
            NewRun leased = Runs.of("app", "1.0.0");
            Run emitted = ledger.startRun(new NewRun(leased.kind(), leased.project(), leased.version(), leased.tag(), leased.channel(),
                    leased.planDigest(), leased.planJson(), leased.jobs(), leased.host(), leased.pid(), Optional.of(Duration.ofHours(6))));
            ledger.lockTags(emitted.id(), "push", List.of("reg/app:latest"), STALE);
            Run next = ledger.startRun(Runs.of("app", "2.0.0"));
            clock.advance(STALE.plusSeconds(1));

            assertThat(ledger.lockTags(next.id(), "push", List.of("reg/app:latest"), STALE).held())
                    .as("a lock is held while a job runs, and a running job keeps the heartbeat fresh").isTrue();
        }
    }

    @Test
    void ofManyRunsAskingAtOnceExactlyOneHoldsTheLock() throws Exception {
        int runs = 6;
        List<String> ids = new ArrayList<>();
        try (Ledger setup = open()) {
            for (int i = 0; i < runs; i++) {
                ids.add(setup.startRun(Runs.of("app", "1.0." + i)).id());
            }
        }
        CyclicBarrier start = new CyclicBarrier(runs);
        List<Future<Boolean>> answers = new ArrayList<>();
        List<Ledger> ledgers = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(runs)) {
            for (String id : ids) {
                Ledger ledger = open(); // each its own connections, as separate processes have
                ledgers.add(ledger);
                answers.add(pool.submit(() -> {
                    start.await();
                    return ledger.lockTags(id, "push", List.of("reg/app:1.0", "reg/app:latest"), STALE).held();
                }));
            }
            int held = 0;
            for (Future<Boolean> answer : answers) {
                held += answer.get() ? 1 : 0;
            }
            assertThat(held).isEqualTo(1);
        } finally {
            ledgers.forEach(Ledger::close);
        }
    }
}
