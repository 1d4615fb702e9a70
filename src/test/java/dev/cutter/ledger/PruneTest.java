package dev.cutter.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cutter ledger prune} drops the logs of old runs and nothing a law reads: after it, a
 * re-release of a version with other bytes is still refused, the immutable tag a release pushed
 * is still known with its digest and plan (so moving it is refused), and a running run's tag lock is still held. See
 * {@link SqlitePruneTest} and {@link PostgresPruneTest}.
 */
abstract class PruneTest {
    static final Duration STALE = Duration.ofMinutes(2);
    static final Map<String, String> PUSH = Map.of("push/app 127.0.0.1:5000/acme/app", "sha256:" + "01".repeat(32));
    static final Map<String, String> PUSH_CHANGED = Map.of("push/app 127.0.0.1:5000/acme/app", "sha256:" + "02".repeat(32));
    static final String TAG = "127.0.0.1:5000/acme/app:1.0.0";

    @TempDir
    Path dir;

    final TestClock clock = new TestClock(Instant.parse("2026-01-10T08:00:00Z"));

    abstract LedgerStore store();

    @Test
    void dropsTheLogsOfOldRunsAndKeepsWhatTheLawsRead() {
        try (LedgerParts parts = LedgerParts.open(store().location(), clock)) {
            Ledger ledger = parts.ledger();
            Run old = ledger.startRun(Runs.of("app", "1.0.0", "push/app"));
            assertThat(ledger.claim("app", "1.0.0", old.id(), PUSH, STALE, false).granted()).isTrue();
            ledger.jobStarted(old.id(), "push/app");
            ledger.log(old.id(), "push/app", "stdout", List.of("pushed 1.0.0", "tagged 1.0.0"));
            ledger.jobFinished(old.id(), "push/app", JobState.SUCCEEDED, Optional.empty(), List.of(),
                    List.of(new Effect(old.id(), "push/app", "tag", TAG, Optional.empty(), PUSH.values().iterator().next(),
                            clock.instant())));
            ledger.finishRun(old.id(), RunState.SUCCEEDED);
            Run stuck = ledger.startRun(Runs.of("app", "0.9.0", "build/app")); // still running, however old
            ledger.log(stuck.id(), "build/app", "stdout", List.of("building"));
            assertThat(ledger.lockTags(stuck.id(), "build/app", List.of("127.0.0.1:5000/acme/app"), STALE).held()).isTrue();

            clock.advance(Duration.ofDays(100));
            Run recent = ledger.startRun(Runs.of("app", "1.1.0", "build/app"));
            ledger.log(recent.id(), "build/app", "stdout", List.of("built 1.1.0"));
            ledger.finishRun(recent.id(), RunState.FAILED);

            List<Effect> effectsBefore = ledger.effectsOn(TAG);
            Optional<String> planBefore = ledger.planJson(old.id());
            Instant cutoff = clock.instant().minus(Duration.ofDays(30));

            assertThat(parts.pruning().prune(cutoff, true)).isEqualTo(new Pruning.Pruned(1, 2));
            assertThat(ledger.logs(old.id(), Optional.empty(), 0, 100)).as("a dry run changes nothing").hasSize(2);

            assertThat(parts.pruning().prune(cutoff, false)).isEqualTo(new Pruning.Pruned(1, 2));
            assertThat(ledger.logs(old.id(), Optional.empty(), 0, 100)).isEmpty();
            assertThat(ledger.logs(stuck.id(), Optional.empty(), 0, 100)).hasSize(1);
            assertThat(ledger.logs(recent.id(), Optional.empty(), 0, 100)).hasSize(1);
            assertThat(parts.pruning().prune(cutoff, false)).as("nothing left to drop").isEqualTo(new Pruning.Pruned(0, 0));

            // what the laws read is as it was
            assertThat(ledger.run(old.id()).orElseThrow().state()).isEqualTo(RunState.SUCCEEDED);
            assertThat(ledger.effectsOn(TAG)).isEqualTo(effectsBefore).hasSize(1);
            assertThat(ledger.planJson(old.id())).isEqualTo(planBefore).isPresent();
            assertThat(ledger.jobs(old.id())).singleElement().extracting(JobRecord::state).isEqualTo(JobState.SUCCEEDED);
            Run again = ledger.startRun(Runs.of("app", "1.0.0", "push/app"));
            Claim changed = ledger.claim("app", "1.0.0", again.id(), PUSH_CHANGED, STALE, false);
            assertThat(changed.granted()).as("a re-release with other bytes is refused").isFalse();
            assertThat(changed.in(Claim.State.CONFLICT)).hasSize(1);
            assertThat(ledger.claim("app", "1.0.0", again.id(), PUSH, STALE, false).in(Claim.State.PUBLISHED))
                    .as("the same bytes are published already").hasSize(1);
            assertThat(ledger.lockTags(again.id(), "push/app", List.of("127.0.0.1:5000/acme/app"), Duration.ofDays(1000)).held())
                    .as("the tag lock the running run holds is kept").isFalse();
        }
    }
}
