package dev.cutter.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SchemaTest {
    @TempDir
    Path dir;

    Path file() {
        return dir.resolve("ledger.db");
    }

    List<Integer> appliedVersions() throws SQLException {
        return ints("SELECT version FROM schema_version ORDER BY version");
    }

    List<Integer> ints(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file());
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            List<Integer> values = new ArrayList<>();
            while (rs.next()) {
                values.add(rs.getInt(1));
            }
            return values;
        }
    }

    String single(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file());
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void anEmptyFileGetsEveryTableAndReopeningChangesNothing() throws Exception {
        String id;
        try (Ledger ledger = Ledger.open(file().toString())) {
            id = ledger.startRun(Runs.of("app", "1.0.0", "build")).id();
        }
        assertThat(appliedVersions()).containsExactly(1, 2);
        assertThat(single("SELECT group_concat(name, ',') FROM (SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name)"))
                .isEqualTo("artifacts,effects,job_attempts,jobs,logs,run_plans,runs,schema_version,version_claims");
        assertThat(single("PRAGMA journal_mode")).isEqualTo("wal");

        for (int i = 0; i < 2; i++) {
            try (Ledger ledger = Ledger.open(file().toString())) {
                assertThat(ledger.run(id)).isPresent();
                assertThat(ledger.jobs(id)).hasSize(1);
            }
        }
        assertThat(appliedVersions()).containsExactly(1, 2);
    }

    @Test
    void aLedgerOfTheFirstSchemaIsMigratedAndItsRunsAreReleases() throws Exception {
        String id;
        try (Ledger ledger = SqlLedger.open(file().toString(), Clock.systemUTC(), Schema.MIGRATIONS.subList(0, 1))) {
            // a run as the first schema stores it, without a kind
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file()); Statement s = c.createStatement()) {
                s.execute("INSERT INTO runs (id, project, version, tag, channel, plan_digest, state, started_at, heartbeat_at, host, pid)"
                        + " VALUES ('r1', 'app', '1.0.0', 'v1.0.0', 'stable', 'sha256:00', 'SUCCEEDED', 1, 1, 'h', 1)");
            }
            id = "r1";
        }
        assertThat(appliedVersions()).containsExactly(1);
        try (Ledger ledger = Ledger.open(file().toString())) {
            assertThat(ledger.run(id).orElseThrow().kind()).isEqualTo(RunKind.RELEASE);
            Run verification = ledger.startRun(new NewRun(RunKind.VERIFICATION, "app", "1.0.0", "v1.0.0", "stable", "sha256:01",
                    "{}", List.of(), "h", 2));
            assertThat(ledger.run(verification.id()).orElseThrow().kind()).isEqualTo(RunKind.VERIFICATION);
        }
        assertThat(appliedVersions()).containsExactly(1, 2);
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
        try (Ledger ledger = SqlLedger.open(file().toString(), Clock.systemUTC(), Schema.MIGRATIONS)) {
            ledger.startRun(Runs.of("app", "1.0.0"));
        }
        try (Ledger ledger = SqlLedger.open(file().toString(), Clock.systemUTC(), two)) {
            assertThat(ledger.runs(10)).hasSize(1);
        }
        assertThat(appliedVersions()).containsExactly(1, 2, next);

        List<Schema.Migration> broken = new ArrayList<>(two);
        broken.add(new Schema.Migration(next + 1, "half a change", """
                CREATE TABLE half (id TEXT NOT NULL PRIMARY KEY);
                INSERT INTO no_such_table (id) VALUES ('x')
                """));
        assertThatThrownBy(() -> SqlLedger.open(file().toString(), Clock.systemUTC(), broken))
                .isInstanceOf(LedgerException.class)
                .hasMessageContaining("to schema version " + (next + 1) + " (half a change)");
        assertThat(appliedVersions()).containsExactly(1, 2, next);
        assertThat(ints("SELECT count(*) FROM sqlite_master WHERE name = 'half'")).containsExactly(0);

        try (Ledger ledger = SqlLedger.open(file().toString(), Clock.systemUTC(), two)) {
            assertThat(ledger.runs(10)).hasSize(1);
        }
    }

    @Test
    void aFileWrittenByANewerCutterIsRefusedAndLeftAlone() throws Exception {
        try (Ledger ledger = Ledger.open(file().toString())) {
            ledger.startRun(Runs.of("app", "1.0.0"));
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file()); Statement s = c.createStatement()) {
            s.execute("INSERT INTO schema_version (version, description, applied_at) VALUES (99, 'from the future', 0)");
        }

        assertThatThrownBy(() -> Ledger.open(file().toString()))
                .isInstanceOf(LedgerException.class)
                .hasMessageContaining(file().toString())
                .hasMessageContaining("written by a newer Cutter (schema version 99; this Cutter knows up to 2)")
                .hasMessageContaining("upgrade");
        assertThat(appliedVersions()).containsExactly(1, 2, 99);
    }

    @Test
    void aFileThatIsNotALedgerIsAClearError() throws Exception {
        Files.writeString(file(), "not a database, just words ".repeat(200));
        assertThatThrownBy(() -> Ledger.open(file().toString()))
                .isInstanceOf(LedgerException.class)
                .hasMessageStartingWith("cannot open the ledger " + file());
    }

    @Test
    void aSqliteLocationCreatesTheDirectoriesItNeeds() {
        Path nested = dir.resolve(".cutter").resolve("deep").resolve("ledger.db");
        try (Ledger ledger = Ledger.open("sqlite:" + nested)) {
            assertThat(ledger.location()).isEqualTo(nested.toString());
        }
        assertThat(nested).exists();
        assertThat(SqlLedger.sqliteFile("sqlite:///var/lib/cutter/ledger.db")).isEqualTo(Path.of("/var/lib/cutter/ledger.db"));
        assertThat(SqlLedger.sqliteFile(".cutter/ledger.db")).isEqualTo(Path.of(".cutter/ledger.db"));
    }

    @Test
    void postgresqlIsNotSupportedYetAndItsPasswordIsNotRepeated() {
        assertThatThrownBy(() -> Ledger.open("postgresql://cutter:s3cret@db.internal:5432/ledger?password=also"))
                .isInstanceOf(LedgerException.class)
                .hasMessageContaining("postgresql://db.internal:5432/ledger")
                .hasMessageContaining("not supported yet")
                .message().doesNotContain("s3cret").doesNotContain("also");
        assertThatThrownBy(() -> Ledger.open("mysql://db/ledger"))
                .isInstanceOf(LedgerException.class).hasMessageContaining("unsupported location");
        assertThatThrownBy(() -> Ledger.open("sqlite:"))
                .isInstanceOf(LedgerException.class).hasMessageContaining("names no file");
    }

    /** The same SQL must run on PostgreSQL: keep SQLite's own dialect out of the schema. */
    @Test
    void theSchemaUsesNoSqliteOnlySyntax() {
        Pattern sqliteOnly = Pattern.compile(
                "(?i)\\b(AUTOINCREMENT|WITHOUT\\s+ROWID|PRAGMA|INSERT\\s+OR|REPLACE\\s+INTO|STRICT|DATETIME|STRFTIME|GLOB)\\b"
                        + "|\\b(BLOB|REAL|NUMERIC|VARCHAR)\\b");
        for (Schema.Migration migration : Schema.MIGRATIONS) {
            assertThat(sqliteOnly.matcher(migration.sql()).find()).as("migration " + migration.version()).isFalse();
            for (String statement : migration.statements()) {
                assertThat(statement).matches("(?s)(CREATE TABLE|CREATE INDEX|CREATE UNIQUE INDEX|ALTER TABLE) .*");
            }
        }
    }

    @Test
    void runIdsAreShortAndSortByStartTime() {
        assertThat(SqlLedger.runId(java.time.Instant.parse("2026-11-23T09:35:12.999Z"), 0x7f3a))
                .isEqualTo("r20261123-093512-7f3a");
        assertThat(SqlLedger.runId(java.time.Instant.parse("2026-11-23T09:35:13Z"), 0))
                .isEqualTo("r20261123-093513-0000")
                .isGreaterThan(SqlLedger.runId(java.time.Instant.parse("2026-11-23T09:35:12Z"), 0xffff));
    }
}
