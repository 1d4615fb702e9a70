package dev.cutter.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The schema and its migrations, on every database a ledger can live in: see {@link SqliteSchemaTest} and {@link PostgresSchemaTest}. */
abstract class SchemaTest {
    static final List<String> TABLES = List.of("api_tokens", "artifacts", "audit", "audit_sequence", "effects", "job_attempts", "jobs", "logs", "publication_claims", "run_plans", "run_versions", "runs",
            "schema_version", "tag_locks", "version_claims");

    /** An empty store for each test. */
    abstract LedgerStore store();

    List<Integer> appliedVersions() throws SQLException {
        return ints("SELECT version FROM schema_version ORDER BY version");
    }

    List<Integer> ints(String sql) throws SQLException {
        try (Connection c = store().connect();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            List<Integer> values = new ArrayList<>();
            while (rs.next()) {
                values.add(rs.getInt(1));
            }
            return values;
        }
    }

    void execute(String sql) throws SQLException {
        try (Connection c = store().connect(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    /** Every migration's version, in order. */
    static List<Integer> all() {
        return Schema.MIGRATIONS.stream().map(Schema.Migration::version).toList();
    }

    static List<Integer> plus(List<Integer> versions, int more) {
        List<Integer> out = new ArrayList<>(versions);
        out.add(more);
        return out;
    }

    @Test
    void anEmptyLedgerGetsEveryTableAndReopeningChangesNothing() throws Exception {
        String id;
        try (Ledger ledger = Ledger.open(store().location())) {
            id = ledger.startRun(Runs.of("app", "1.0.0", "build")).id();
        }
        assertThat(appliedVersions()).containsExactlyElementsOf(all());
        assertThat(store().tables()).containsExactlyElementsOf(TABLES);

        for (int i = 0; i < 2; i++) {
            try (Ledger ledger = Ledger.open(store().location())) {
                assertThat(ledger.run(id)).isPresent();
                assertThat(ledger.jobs(id)).hasSize(1);
            }
        }
        assertThat(appliedVersions()).containsExactlyElementsOf(all());
    }

    @Test
    void opensOfAnEmptyLedgerAtOnceApplyEachMigrationOnce() throws Exception {
        int opens = 4;
        ExecutorService pool = Executors.newFixedThreadPool(opens);
        try {
            for (int round = 0; round < 40; round++) {
                store().empty();
                CyclicBarrier barrier = new CyclicBarrier(opens);
                List<Future<String>> opened = new ArrayList<>();
                for (int i = 0; i < opens; i++) {
                    opened.add(pool.submit(() -> {
                        barrier.await(10, TimeUnit.SECONDS);
                        try (Ledger ledger = Ledger.open(store().location())) {
                            return ledger.startRun(Runs.of("app", "1.0.0", "build")).id();
                        }
                    }));
                }
                for (Future<String> open : opened) {
                    assertThat(open.get(60, TimeUnit.SECONDS)).as("round " + round).startsWith("r");
                }
                assertThat(appliedVersions()).as("round " + round).containsExactlyElementsOf(all());
                assertThat(store().tables()).containsExactlyElementsOf(TABLES);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aLedgerOfSchemaSevenKeepsItsRunsAndListsItsVersionsNewestFirst() throws Exception {
        try (Ledger ledger = SqlLedger.open(store().location(), Clock.systemUTC(), Schema.MIGRATIONS.subList(0, 7))) {
            for (String[] run : List.of(new String[] {"r1", "1.0.0", "1"}, new String[] {"r2", "1.1.0", "3"},
                    new String[] {"r3", "1.0.0", "5"}, new String[] {"r4", "0.9.0", "2"})) {
                execute("INSERT INTO runs (id, project, version, tag, channel, plan_digest, state, started_at, heartbeat_at, host, pid)"
                        + " VALUES ('" + run[0] + "', 'app', '" + run[1] + "', 'v', 'stable', 'sha256:00', 'SUCCEEDED', " + run[2]
                        + ", 1, 'h', 1)");
            }
        }
        try (LedgerParts parts = LedgerParts.open(store().location())) {
            assertThat(parts.search().versions("app", 10)).containsExactly("1.0.0", "1.1.0", "0.9.0");
            assertThat(parts.search().versions("app", 2)).containsExactly("1.0.0", "1.1.0");
            assertThat(parts.ledger().runsOf("app", "1.0.0")).extracting(Run::id).containsExactly("r3", "r1");
            parts.ledger().startRun(Runs.of("app", "0.9.0", "build"));
            parts.ledger().startRun(Runs.of("lib", "2.0.0", "build"));
            assertThat(parts.search().versions("app", 10)).containsExactly("0.9.0", "1.0.0", "1.1.0");
            assertThat(parts.search().versions("lib", 10)).containsExactly("2.0.0");
            assertThat(parts.ledger().runsOf("app", "0.9.0")).hasSize(2);
        }
        assertThat(appliedVersions()).containsExactlyElementsOf(all());
    }

    @Test
    void aLedgerOfTheFirstSchemaIsMigratedAndItsRunsAreReleases() throws Exception {
        try (Ledger ledger = SqlLedger.open(store().location(), Clock.systemUTC(), Schema.MIGRATIONS.subList(0, 1))) {
            // a run as the first schema stores it, without a kind
            execute("INSERT INTO runs (id, project, version, tag, channel, plan_digest, state, started_at, heartbeat_at, host, pid)"
                    + " VALUES ('r1', 'app', '1.0.0', 'v1.0.0', 'stable', 'sha256:00', 'SUCCEEDED', 1, 1, 'h', 1)");
        }
        assertThat(appliedVersions()).containsExactly(1);
        try (Ledger ledger = Ledger.open(store().location())) {
            assertThat(ledger.run("r1").orElseThrow().kind()).isEqualTo(RunKind.RELEASE);
            Run verification = ledger.startRun(new NewRun(RunKind.VERIFICATION, "app", "1.0.0", "v1.0.0", "stable", "sha256:01",
                    "{}", List.of(), "h", 2));
            assertThat(ledger.run(verification.id()).orElseThrow().kind()).isEqualTo(RunKind.VERIFICATION);
        }
        assertThat(appliedVersions()).containsExactlyElementsOf(all());
    }

    @Test
    void aWholeVersionClaimOfAnOlderCutterKeepsTheVersionWhileItsRunLivesThenBecomesClaimsOfWhatItPublished() throws Exception {
        String old;
        String failed;
        try (Ledger ledger = SqlLedger.open(store().location(), Clock.systemUTC(), Schema.MIGRATIONS.subList(0, 5))) {
            // runs as a Cutter of schema 5 started them: one running (its heartbeat fresh), one failed
            old = "r20260101-000000-0001";
            failed = "r20260101-000000-0002";
            long now = System.currentTimeMillis();
            execute("INSERT INTO runs (id, project, version, tag, channel, plan_digest, state, started_at, heartbeat_at, host, pid)"
                    + " VALUES ('" + old + "', 'app', '1.0.0', 'v1.0.0', 'stable', 'sha256:00', 'RUNNING', " + now + ", " + now + ", 'h', 1)");
            execute("INSERT INTO runs (id, project, version, tag, channel, plan_digest, state, started_at, finished_at, heartbeat_at,"
                    + " host, pid) VALUES ('" + failed + "', 'app', '1.0.1', 'v1.0.1', 'stable', 'sha256:00', 'FAILED', " + now + ", "
                    + now + ", " + now + ", 'h', 1)");
            // claims as a Cutter before claims by publication made them: the whole version
            execute("INSERT INTO version_claims (project, version, run_id, claimed_at) VALUES ('app', 'v1.0.0', '" + old + "', 1)");
            execute("INSERT INTO version_claims (project, version, run_id, claimed_at) VALUES ('app', 'v1.0.1', '" + failed + "', 1)");
        }
        Duration stale = Duration.ofMinutes(2);
        try (Ledger ledger = Ledger.open(store().location())) {
            Run mine = ledger.startRun(Runs.of("app", "1.0.0"));
            assertThat(ledger.wholeVersionClaim("app", "v1.0.0")).map(Run::id).contains(old);

            Claim whileItRuns = ledger.claim("app", "v1.0.0", mine.id(), ClaimTest.PUSH, stale, false);
            assertThat(whileItRuns.granted()).isFalse();
            assertThat(whileItRuns.in(Claim.State.BUSY)).singleElement().satisfies(s -> {
                assertThat(s.publication()).isEqualTo(Claim.WHOLE_VERSION);
                assertThat(s.holder()).map(Run::id).contains(old);
            });

            ledger.finishRun(old, RunState.SUCCEEDED);
            ledger.convertWholeVersionClaim("app", "v1.0.0", old, ClaimTest.PUSH); // its plan made this push
            ledger.convertWholeVersionClaim("app", "v1.0.1", failed, ClaimTest.PUSH);

            assertThat(ledger.wholeVersionClaim("app", "v1.0.0")).isEmpty();
            assertThat(ledger.wholeVersionClaim("app", "v1.0.1")).isEmpty();
            Claim same = ledger.claim("app", "v1.0.0", mine.id(), ClaimTest.PUSH, stale, false);
            assertThat(same.allPublished()).isTrue();
            assertThat(same.publications().getFirst().holder()).map(Run::id).contains(old);
            assertThat(ledger.claim("app", "v1.0.0", mine.id(), ClaimTest.PUSH_CHANGED, stale, false).in(Claim.State.CONFLICT))
                    .hasSize(1);
            Run next = ledger.startRun(Runs.of("app", "1.0.1"));
            assertThat(ledger.claim("app", "v1.0.1", next.id(), ClaimTest.PUSH_CHANGED, stale, false).in(Claim.State.CLAIMED))
                    .as("a failed run's whole-version claim is gone, nothing in its place").singleElement()
                    .satisfies(s -> assertThat(s.holder()).isEmpty());
        }
        assertThat(appliedVersions()).containsExactlyElementsOf(all());
    }

    @Test
    void migrationsApplyInOrderEachInItsOwnTransaction() throws Exception {
        int next = Schema.MIGRATIONS.size() + 1;
        List<Schema.Migration> two = new ArrayList<>(Schema.MIGRATIONS);
        two.add(new Schema.Migration(next, "run labels", """
                CREATE TABLE run_labels (run_id TEXT NOT NULL REFERENCES runs (id), label TEXT NOT NULL,
                    PRIMARY KEY (run_id, label));
                CREATE INDEX run_labels_by_label ON run_labels (label)
                """));
        try (Ledger ledger = SqlLedger.open(store().location(), Clock.systemUTC(), Schema.MIGRATIONS)) {
            ledger.startRun(Runs.of("app", "1.0.0"));
        }
        try (Ledger ledger = SqlLedger.open(store().location(), Clock.systemUTC(), two)) {
            assertThat(ledger.runs(10)).hasSize(1);
        }
        assertThat(appliedVersions()).containsExactlyElementsOf(plus(all(), next));

        List<Schema.Migration> broken = new ArrayList<>(two);
        broken.add(new Schema.Migration(next + 1, "half a change", """
                CREATE TABLE half (id TEXT NOT NULL PRIMARY KEY);
                INSERT INTO no_such_table (id) VALUES ('x')
                """));
        assertThatThrownBy(() -> SqlLedger.open(store().location(), Clock.systemUTC(), broken))
                .isInstanceOf(LedgerException.class)
                .hasMessageContaining("to schema version " + (next + 1) + " (half a change)");
        assertThat(appliedVersions()).containsExactlyElementsOf(plus(all(), next));
        assertThat(store().tables()).doesNotContain("half").contains("run_labels");

        try (Ledger ledger = SqlLedger.open(store().location(), Clock.systemUTC(), two)) {
            assertThat(ledger.runs(10)).hasSize(1);
        }
    }

    @Test
    void aLedgerWrittenByANewerCutterIsRefusedAndLeftAlone() throws Exception {
        String location;
        try (Ledger ledger = Ledger.open(store().location())) {
            ledger.startRun(Runs.of("app", "1.0.0"));
            location = ledger.location();
        }
        execute("INSERT INTO schema_version (version, description, applied_at) VALUES (99, 'from the future', 0)");

        assertThatThrownBy(() -> Ledger.open(store().location()))
                .isInstanceOf(LedgerException.class)
                .hasMessageContaining("the ledger " + location + " was written by a newer Cutter (schema version 99; "
                        + "this Cutter knows up to " + Schema.MIGRATIONS.size() + ")")
                .hasMessageContaining("upgrade");
        assertThat(appliedVersions()).containsExactlyElementsOf(plus(all(), 99));
    }
}
