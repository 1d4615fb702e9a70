package dev.cutter.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Claims of a version's publications, on every database a ledger can live in: see {@link SqliteClaimTest} and {@link PostgresClaimTest}. */
abstract class ClaimTest {
    static final Duration STALE = Duration.ofMinutes(2);

    @TempDir
    Path dir;

    final TestClock clock = new TestClock(Instant.parse("2026-11-23T09:35:12Z"));

    /** The stdout of each process a test started, read line by line. */
    private final Map<Process, BufferedReader> readers = new ConcurrentHashMap<>();

    /** An empty store for each test. */
    abstract LedgerStore store();

    Ledger open() {
        return Ledger.open(store().location(), clock);
    }

    /** One publication: a push, as planned once. */
    static final Map<String, String> PUSH = Map.of("push/app 127.0.0.1:5000/acme/app", "sha256:" + "01".repeat(32));
    /** The same push, planned with other content. */
    static final Map<String, String> PUSH_CHANGED = Map.of("push/app 127.0.0.1:5000/acme/app", "sha256:" + "02".repeat(32));
    static final String REPLICA = "replicate/app/mirror 127.0.0.1:5001/acme/app";

    Claim claim(Ledger ledger, String version, Run run) {
        return ledger.claim("app", version, run.id(), PUSH, STALE, false);
    }

    static Optional<String> holder(Claim claim) {
        return claim.publications().stream().map(Claim.Standing::holder).flatMap(Optional::stream).map(Run::id).findFirst();
    }

    @Test
    void theFirstRunOfAVersionGetsItsPublicationsAndAFreshRunningHolderKeepsThem() {
        try (Ledger ledger = open()) {
            Run first = ledger.startRun(Runs.of("app", "1.0.0"));
            Run second = ledger.startRun(Runs.of("app", "1.0.0"));

            assertThat(claim(ledger, "1.0.0", first)).isEqualTo(new Claim(List.of(
                    new Claim.Standing(PUSH.keySet().iterator().next(), Claim.State.CLAIMED, Optional.empty()))));
            Claim refused = claim(ledger, "1.0.0", second);

            assertThat(refused.granted()).isFalse();
            assertThat(refused.in(Claim.State.BUSY)).hasSize(1);
            assertThat(holder(refused)).contains(first.id());
            assertThat(claim(ledger, "1.0.1", second).granted()).as("another version").isTrue();
            assertThat(ledger.claim("lib", "1.0.0", second.id(), PUSH, STALE, false).granted()).as("another project").isTrue();
        }
    }

    @Test
    void theHolderClaimingAgainIsGranted() {
        try (Ledger ledger = open()) {
            Run run = ledger.startRun(Runs.of("app", "1.0.0"));
            assertThat(claim(ledger, "1.0.0", run).granted()).isTrue();
            ledger.finishRun(run.id(), RunState.SUCCEEDED);
            ledger.resumeRun(run.id(), "builder-1", 1);

            assertThat(claim(ledger, "1.0.0", run).in(Claim.State.CLAIMED)).hasSize(1);
        }
    }

    @Test
    void aPublicationASucceededRunMadeRefusesOtherContentEvenWhenOldAndLeavesNothingToDoForTheSame() {
        try (Ledger ledger = open()) {
            Run released = ledger.startRun(Runs.of("app", "1.0.0"));
            claim(ledger, "1.0.0", released);
            ledger.finishRun(released.id(), RunState.SUCCEEDED);
            clock.advance(Duration.ofDays(30));
            Run changed = ledger.startRun(Runs.of("app", "1.0.0"));
            Run same = ledger.startRun(Runs.of("app", "1.0.0"));

            Claim conflict = ledger.claim("app", "1.0.0", changed.id(), PUSH_CHANGED, STALE, false);
            Claim again = claim(ledger, "1.0.0", same);

            assertThat(conflict.granted()).isFalse();
            assertThat(conflict.in(Claim.State.CONFLICT)).singleElement().satisfies(c -> {
                assertThat(c.holder().orElseThrow().id()).isEqualTo(released.id());
                assertThat(c.holder().orElseThrow().state()).isEqualTo(RunState.SUCCEEDED);
            });
            assertThat(again.granted()).isTrue();
            assertThat(again.allPublished()).as("published as planned: nothing to do").isTrue();
            assertThat(holder(again)).contains(released.id());
            assertThat(holder(ledger.standing("app", "1.0.0", PUSH, STALE, false))).as("it stays the publisher's").contains(released.id());
            assertThat(ledger.claim("app", "1.0.0", changed.id(), PUSH_CHANGED, STALE, true).in(Claim.State.CLAIMED))
                    .as("a rolling channel's version is released again").hasSize(1);
        }
    }

    @Test
    void aLaterRunOfTheVersionGoesOnFromThePublicationsAFilteredRunMade() {
        try (Ledger ledger = open()) {
            Run filtered = ledger.startRun(Runs.of("app", "1.0.0"));
            claim(ledger, "1.0.0", filtered);
            ledger.finishRun(filtered.id(), RunState.SUCCEEDED);
            Run full = ledger.startRun(Runs.of("app", "1.0.0"));
            Map<String, String> both = new java.util.TreeMap<>(PUSH);
            both.put(REPLICA, "sha256:" + "03".repeat(32));

            Claim claim = ledger.claim("app", "1.0.0", full.id(), both, STALE, false);

            assertThat(claim.granted()).isTrue();
            assertThat(claim.allPublished()).isFalse();
            assertThat(claim.in(Claim.State.PUBLISHED)).singleElement().satisfies(p -> {
                assertThat(p.publication()).isEqualTo(PUSH.keySet().iterator().next());
                assertThat(p.holder().orElseThrow().id()).isEqualTo(filtered.id());
            });
            assertThat(claim.in(Claim.State.CLAIMED)).singleElement().extracting(Claim.Standing::publication).isEqualTo(REPLICA);
        }
    }

    @Test
    void aRefusedClaimTakesNoneOfItsPublications() {
        try (Ledger ledger = open()) {
            Run publishing = ledger.startRun(Runs.of("app", "1.0.0"));
            ledger.claim("app", "1.0.0", publishing.id(), Map.of(REPLICA, "sha256:" + "03".repeat(32)), STALE, false);
            Run other = ledger.startRun(Runs.of("app", "1.0.0"));
            Map<String, String> both = new java.util.TreeMap<>(PUSH);
            both.put(REPLICA, "sha256:" + "03".repeat(32));

            Claim refused = ledger.claim("app", "1.0.0", other.id(), both, STALE, false);
            Run third = ledger.startRun(Runs.of("app", "1.0.0"));
            Claim push = claim(ledger, "1.0.0", third);

            assertThat(refused.granted()).isFalse();
            assertThat(refused.in(Claim.State.BUSY)).singleElement().extracting(Claim.Standing::publication).isEqualTo(REPLICA);
            assertThat(push.publications()).as("the refused run took the push it asked for too, and gave it back")
                    .singleElement().isEqualTo(new Claim.Standing(PUSH.keySet().iterator().next(), Claim.State.CLAIMED, Optional.empty()));
        }
    }

    @Test
    void theStandingOfAClaimIsWhatTheClaimWouldAnswerAndTakesNothing() {
        try (Ledger ledger = open()) {
            Run holder = ledger.startRun(Runs.of("app", "1.0.0"));
            assertThat(ledger.standing("app", "1.0.0", PUSH, STALE, false).in(Claim.State.CLAIMED)).hasSize(1);
            Run other = ledger.startRun(Runs.of("app", "1.0.0"));
            assertThat(claim(ledger, "1.0.0", other).granted()).as("the standing took nothing").isTrue();
            Claim busy = ledger.standing("app", "1.0.0", PUSH, STALE, false);
            assertThat(busy.in(Claim.State.BUSY)).hasSize(1);
            assertThat(holder(busy)).contains(other.id());
            ledger.finishRun(other.id(), RunState.SUCCEEDED);
            assertThat(ledger.standing("app", "1.0.0", PUSH_CHANGED, STALE, false).in(Claim.State.CONFLICT)).hasSize(1);
            assertThat(claim(ledger, "1.0.0", holder).allPublished()).isTrue();
        }
    }

    @Test
    void aFailedOrCancelledHolderGivesItsPublicationsUpAtOnce() {
        try (Ledger ledger = open()) {
            for (RunState ended : List.of(RunState.FAILED, RunState.CANCELLED)) {
                String version = "1.0.0-" + ended.name().toLowerCase();
                Run holder = ledger.startRun(Runs.of("app", version));
                claim(ledger, version, holder);
                ledger.finishRun(holder.id(), ended);
                Run next = ledger.startRun(Runs.of("app", version));

                Claim claim = ledger.claim("app", version, next.id(), PUSH_CHANGED, STALE, false);

                assertThat(claim.granted()).isTrue();
                assertThat(claim.in(Claim.State.CLAIMED)).hasSize(1);
                assertThat(holder(claim)).as("taken from").contains(holder.id());
                Run third = ledger.startRun(Runs.of("app", version));
                assertThat(holder(claim(ledger, version, third))).contains(next.id());
            }
        }
    }

    @Test
    void aRunningHolderWhoseHeartbeatIsStaleLosesItsPublications() {
        try (Ledger ledger = open()) {
            Run killed = ledger.startRun(Runs.of("app", "2.0.0"));
            claim(ledger, "2.0.0", killed);
            Run next = ledger.startRun(Runs.of("app", "2.0.0"));

            clock.advance(STALE.minusSeconds(1));
            assertThat(claim(ledger, "2.0.0", next).granted()).as("still fresh").isFalse();
            ledger.heartbeat(killed.id());
            clock.advance(STALE);
            assertThat(claim(ledger, "2.0.0", next).granted()).as("heartbeat kept it fresh").isFalse();
            clock.advance(Duration.ofSeconds(1));

            Claim claim = claim(ledger, "2.0.0", next);

            assertThat(claim.granted()).isTrue();
            assertThat(holder(claim)).contains(killed.id());
            // the killed run comes back: the publication is no longer its own
            ledger.heartbeat(next.id());
            ledger.resumeRun(killed.id(), "builder-1", 2);
            assertThat(claim(ledger, "2.0.0", killed).granted()).isFalse();
        }
    }

    @Test
    void aRunMustBeStartedBeforeItClaims() {
        try (Ledger ledger = open()) {
            assertThatThrownBy(() -> ledger.claim("app", "1.0.0", "r20260101-000000-beef", PUSH, STALE, false))
                    .isInstanceOf(LedgerException.class).hasMessageContaining("no run r20260101-000000-beef");
        }
    }

    @Test
    void twoConnectionsRacingForOneVersionGetExactlyOneGrant() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (Ledger one = open(); Ledger two = open()) {
            for (int round = 0; round < 25; round++) {
                String version = "3.0." + round;
                Run a = one.startRun(Runs.of("app", version));
                Run b = two.startRun(Runs.of("app", version));
                CyclicBarrier barrier = new CyclicBarrier(2);
                Future<Claim> byOne = pool.submit(() -> {
                    await(barrier);
                    return claim(one, version, a);
                });
                Future<Claim> byTwo = pool.submit(() -> {
                    await(barrier);
                    return claim(two, version, b);
                });
                Claim first = byOne.get(20, TimeUnit.SECONDS);
                Claim second = byTwo.get(20, TimeUnit.SECONDS);

                assertThat(List.of(first.granted(), second.granted())).as("round " + round).containsOnlyOnce(true);
                Claim refused = first.granted() ? second : first;
                String winner = first.granted() ? a.id() : b.id();
                assertThat(holder(refused)).contains(winner);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void manyThreadsOverTwoLedgersRacingForOneVersionGetExactlyOneGrant() throws Exception {
        try (Ledger one = open(); Ledger two = open()) {
            int claimers = 12;
            CyclicBarrier barrier = new CyclicBarrier(claimers);
            Map<String, Claim> claims = new ConcurrentHashMap<>();
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < claimers; i++) {
                Ledger ledger = i % 2 == 0 ? one : two;
                Run run = ledger.startRun(Runs.of("app", "4.0.0"));
                threads.add(Thread.ofPlatform().start(() -> {
                    await(barrier);
                    claims.put(run.id(), claim(ledger, "4.0.0", run));
                }));
            }
            for (Thread thread : threads) {
                thread.join(20_000);
            }

            assertThat(claims).hasSize(claimers);
            List<String> winners = claims.entrySet().stream().filter(e -> e.getValue().granted()).map(Map.Entry::getKey)
                    .toList();
            assertThat(winners).hasSize(1);
            assertThat(claims.values()).filteredOn(c -> !c.granted())
                    .allSatisfy(c -> assertThat(holder(c)).contains(winners.getFirst()));
        }
    }

    @Test
    void twoProcessesRacingForOneVersionGetExactlyOneGrant() throws Exception {
        for (int round = 0; round < 2; round++) {
            String version = "5.0." + round;
            List<String> names = List.of("racer-" + round + "a", "racer-" + round + "b");
            List<Process> racers = new ArrayList<>();
            try {
                for (String name : names) {
                    racers.add(claimHolder(version, name, true));
                }
                for (int i = 0; i < racers.size(); i++) {
                    assertThat(nextLine(racers.get(i), names.get(i))).startsWith("READY ");
                }
                for (Process racer : racers) { // both wait on their standard input, run started: go
                    racer.getOutputStream().write('\n');
                    racer.getOutputStream().flush();
                }
                List<String> answers = List.of(nextLine(racers.get(0), names.get(0)), nextLine(racers.get(1), names.get(1)));

                assertThat(answers).as("round " + round).filteredOn(a -> a.startsWith("CLAIMED ")).hasSize(1);
                String winner = answers.stream().filter(a -> a.startsWith("CLAIMED ")).findFirst().orElseThrow()
                        .substring("CLAIMED ".length());
                String loser = answers.stream().filter(a -> !a.startsWith("CLAIMED ")).findFirst().orElseThrow();
                assertThat(loser).as("the loser names the winner").startsWith("REFUSED ").endsWith(" held by " + winner);
            } finally {
                racers.forEach(Process::destroyForcibly);
            }
        }
    }

    @Test
    void aClaimHeldByAnotherProcessIsRefusedUntilThatProcessIsKilledAndItsHeartbeatGoesStale() throws Exception {
        Duration staleAfter = Duration.ofMillis(1500);
        Process holder = claimHolder("9.9.9", "holder", false);
        try {
            String line = nextLine(holder, "holder");
            assertThat(line).startsWith("CLAIMED ");
            String holderId = line.substring("CLAIMED ".length());

            try (Ledger ledger = Ledger.open(store().location())) {
                Run mine = ledger.startRun(Runs.of("app", "9.9.9"));
                Thread.sleep(staleAfter.toMillis() + 300); // past the staleness window: only the heartbeat keeps the claim
                Claim whileAlive = ledger.claim("app", "9.9.9", mine.id(), PUSH, staleAfter, false);
                assertThat(whileAlive.granted()).as("the holder is alive and beating").isFalse();
                assertThat(holder(whileAlive)).contains(holderId);

                holder.destroyForcibly(); // SIGKILL: no shutdown hook, no finishRun
                assertThat(holder.waitFor(10, TimeUnit.SECONDS)).isTrue();
                long killed = System.nanoTime();

                Claim claim;
                do {
                    Thread.sleep(50); // polling: the claim frees once the dead holder goes stale
                    claim = ledger.claim("app", "9.9.9", mine.id(), PUSH, staleAfter, false);
                } while (!claim.granted() && System.nanoTime() - killed < Duration.ofSeconds(10).toNanos());

                java.time.Instant grantedAt = java.time.Instant.now();
                assertThat(claim.granted()).isTrue();
                assertThat(holder(claim)).contains(holderId);
                // measured from the dead holder's last heartbeat as the ledger holds it, not from the kill: on a
                // loaded machine that beat may have come well before the kill, so the wait after the kill is shorter
                java.time.Instant lastBeat = ledger.run(holderId).orElseThrow().heartbeat();
                assertThat(Duration.between(lastBeat, grantedAt)).as("granted only once the heartbeat went stale")
                        .isGreaterThanOrEqualTo(staleAfter);
            }
        } finally {
            holder.destroyForcibly();
        }
    }

    /** A {@link ClaimHolder} process on this test's ledger; with {@code onGo} it claims once a line arrives on its stdin. */
    private Process claimHolder(String version, String name, boolean onGo) throws java.io.IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                ClaimHolder.class.getName(), store().location(), "app", version));
        if (onGo) {
            command.add("--on-go");
        }
        return new ProcessBuilder(command).redirectError(dir.resolve(name + ".err").toFile()).start();
    }

    /** The next line {@code process} prints, within 20 s; else a failure showing its stderr. */
    private String nextLine(Process process, String name) throws Exception {
        BufferedReader out = readers.computeIfAbsent(process,
                p -> new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)));
        CompletableFuture<String> line = new CompletableFuture<>();
        Thread.ofPlatform().daemon().start(() -> {
            try {
                line.complete(out.readLine());
            } catch (java.io.IOException e) {
                line.completeExceptionally(e);
            }
        });
        String read = line.get(20, TimeUnit.SECONDS);
        assertThat(read).as(() -> name + "'s next line; its stderr:\n" + stderrOf(name)).isNotNull();
        return read;
    }

    private String stderrOf(String name) {
        try {
            return java.nio.file.Files.readString(dir.resolve(name + ".err"));
        } catch (java.io.IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
