package dev.cutter.ledger;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;

/**
 * The ledger's tables, as an ordered list of migrations applied at open, each in its own
 * transaction and recorded in {@code schema_version}. A migration is never edited once released:
 * a change is a new migration at the end.
 *
 * <p>The SQL is written for SQLite and PostgreSQL alike: only TEXT, BIGINT and INTEGER columns,
 * times as BIGINT milliseconds since the epoch (UTC), keys the code assigns (no autoincrement), no
 * SQLite-only syntax. States are plain TEXT without a CHECK list, so a new state needs no table
 * rebuild in SQLite.
 */
final class Schema {

    /** One step of the schema. Statements are separated by {@code ;} (so none may contain one). */
    record Migration(int version, String description, String sql) {
        List<String> statements() {
            return Arrays.stream(sql.split(";")).map(String::strip).filter(s -> !s.isEmpty()).toList();
        }
    }

    static final List<Migration> MIGRATIONS = List.of(
            new Migration(1, "runs, plans, jobs, attempts, effects, artifacts, logs, version claims", """
                    CREATE TABLE runs (
                        id           TEXT    NOT NULL PRIMARY KEY,
                        project      TEXT    NOT NULL,
                        version      TEXT    NOT NULL,
                        tag          TEXT    NOT NULL,
                        channel      TEXT    NOT NULL,
                        plan_digest  TEXT    NOT NULL,
                        state        TEXT    NOT NULL,
                        started_at   BIGINT  NOT NULL,
                        finished_at  BIGINT,
                        heartbeat_at BIGINT  NOT NULL,
                        host         TEXT    NOT NULL,
                        pid          BIGINT  NOT NULL
                    );
                    CREATE INDEX runs_by_start ON runs (started_at);
                    CREATE INDEX runs_by_version ON runs (project, version);

                    CREATE TABLE run_plans (
                        run_id    TEXT NOT NULL PRIMARY KEY REFERENCES runs (id),
                        plan_json TEXT NOT NULL
                    );

                    CREATE TABLE jobs (
                        run_id      TEXT    NOT NULL REFERENCES runs (id),
                        job_id      TEXT    NOT NULL,
                        ordinal     INTEGER NOT NULL,
                        kind        TEXT    NOT NULL,
                        state       TEXT    NOT NULL,
                        attempts    INTEGER NOT NULL CHECK (attempts >= 0),
                        started_at  BIGINT,
                        finished_at BIGINT,
                        detail      TEXT,
                        PRIMARY KEY (run_id, job_id),
                        UNIQUE (run_id, ordinal)
                    );

                    CREATE TABLE job_attempts (
                        run_id      TEXT    NOT NULL,
                        job_id      TEXT    NOT NULL,
                        attempt     INTEGER NOT NULL CHECK (attempt >= 1),
                        state       TEXT    NOT NULL,
                        started_at  BIGINT  NOT NULL,
                        finished_at BIGINT,
                        detail      TEXT,
                        PRIMARY KEY (run_id, job_id, attempt),
                        FOREIGN KEY (run_id, job_id) REFERENCES jobs (run_id, job_id)
                    );

                    CREATE TABLE effects (
                        run_id       TEXT   NOT NULL,
                        seq          BIGINT NOT NULL,
                        job_id       TEXT   NOT NULL,
                        kind         TEXT   NOT NULL,
                        target       TEXT   NOT NULL,
                        before_value TEXT,
                        after_value  TEXT   NOT NULL,
                        occurred_at  BIGINT NOT NULL,
                        PRIMARY KEY (run_id, seq),
                        FOREIGN KEY (run_id, job_id) REFERENCES jobs (run_id, job_id)
                    );
                    CREATE INDEX effects_by_target ON effects (target);

                    CREATE TABLE artifacts (
                        run_id     TEXT    NOT NULL,
                        job_id     TEXT    NOT NULL,
                        name       TEXT    NOT NULL,
                        ordinal    INTEGER NOT NULL,
                        path       TEXT    NOT NULL,
                        digest     TEXT    NOT NULL,
                        size_bytes BIGINT  NOT NULL CHECK (size_bytes >= 0),
                        kind       TEXT    NOT NULL,
                        PRIMARY KEY (run_id, job_id, name),
                        FOREIGN KEY (run_id, job_id) REFERENCES jobs (run_id, job_id)
                    );
                    CREATE INDEX artifacts_by_digest ON artifacts (digest);

                    CREATE TABLE logs (
                        run_id    TEXT   NOT NULL REFERENCES runs (id),
                        seq       BIGINT NOT NULL,
                        job_id    TEXT   NOT NULL,
                        stream    TEXT   NOT NULL,
                        logged_at BIGINT NOT NULL,
                        line      TEXT   NOT NULL,
                        PRIMARY KEY (run_id, seq)
                    );
                    CREATE INDEX logs_by_job ON logs (run_id, job_id, seq);

                    CREATE TABLE version_claims (
                        project    TEXT   NOT NULL,
                        version    TEXT   NOT NULL,
                        run_id     TEXT   NOT NULL REFERENCES runs (id),
                        claimed_at BIGINT NOT NULL,
                        PRIMARY KEY (project, version)
                    )
                    """),
            new Migration(2, "runs know what they do: release, promotion or verification", """
                    ALTER TABLE runs ADD COLUMN kind TEXT NOT NULL DEFAULT 'RELEASE'
                    """),
            new Migration(3, "jobs held by the runner running them; runs with a lease", """
                    ALTER TABLE jobs ADD COLUMN holder TEXT;
                    ALTER TABLE jobs ADD COLUMN held_at BIGINT;
                    ALTER TABLE runs ADD COLUMN lease_ms BIGINT
                    """),
            new Migration(4, "the server: API tokens (hashed), the audit trail, indexes for paging runs", """
                    CREATE TABLE api_tokens (
                        id         TEXT   NOT NULL PRIMARY KEY,
                        name       TEXT   NOT NULL,
                        role       TEXT   NOT NULL,
                        channels   TEXT   NOT NULL,
                        token_hash TEXT   NOT NULL,
                        created_at BIGINT NOT NULL,
                        revoked_at BIGINT
                    );

                    CREATE TABLE audit (
                        seq        BIGINT NOT NULL PRIMARY KEY,
                        at         BIGINT NOT NULL,
                        actor      TEXT   NOT NULL,
                        action     TEXT   NOT NULL,
                        subject    TEXT   NOT NULL,
                        outcome    TEXT   NOT NULL,
                        source     TEXT   NOT NULL
                    );

                    CREATE TABLE audit_sequence (
                        id       INTEGER NOT NULL PRIMARY KEY,
                        last_seq BIGINT  NOT NULL
                    );

                    CREATE INDEX runs_by_start_id ON runs (started_at, id);
                    CREATE INDEX runs_by_project_start ON runs (project, started_at, id);
                    CREATE INDEX runs_by_state_start ON runs (state, started_at, id);
                    CREATE INDEX runs_by_finish ON runs (finished_at)
                    """),
            new Migration(5, "the server: the audit trail found by action and subject (webhook deliveries by id)", """
                    CREATE INDEX audit_by_action_subject ON audit (action, subject)
                    """),
            new Migration(6, "locks on the tags a push decides, so runs sharing a ledger decide a repository's tags in turn", """
                    CREATE TABLE tag_locks (
                        lock_key TEXT   NOT NULL PRIMARY KEY,
                        run_id   TEXT   NOT NULL REFERENCES runs (id),
                        job_id   TEXT   NOT NULL,
                        held_at  BIGINT NOT NULL
                    );
                    CREATE INDEX tag_locks_by_holder ON tag_locks (run_id, job_id)
                    """),
            // version_claims stays: a whole-version claim an older Cutter made is read, then converted
            new Migration(7, "claims by publication: each publishing job and target of a version, with what it publishes", """
                    CREATE TABLE publication_claims (
                        project     TEXT   NOT NULL,
                        version     TEXT   NOT NULL,
                        publication TEXT   NOT NULL,
                        run_id      TEXT   NOT NULL REFERENCES runs (id),
                        fingerprint TEXT   NOT NULL,
                        claimed_at  BIGINT NOT NULL,
                        PRIMARY KEY (project, version, publication)
                    )
                    """),
            // at 100,000 runs: a version's runs were found by scanning all of the project's in start
            // order, and the versions of a project by grouping all its runs
            new Migration(8, "a version's runs by index in start order; the versions of a project, newest first", """
                    CREATE INDEX runs_by_version_start ON runs (project, version, started_at, id);
                    CREATE TABLE run_versions (
                        project      TEXT   NOT NULL,
                        version      TEXT   NOT NULL,
                        last_started BIGINT NOT NULL,
                        PRIMARY KEY (project, version)
                    );
                    INSERT INTO run_versions (project, version, last_started)
                        SELECT project, version, MAX(started_at) FROM runs GROUP BY project, version;
                    CREATE INDEX run_versions_by_start ON run_versions (project, last_started, version)
                    """));

    static final String VERSION_TABLE = """
            CREATE TABLE IF NOT EXISTS schema_version (
                version     INTEGER NOT NULL PRIMARY KEY,
                description TEXT    NOT NULL,
                applied_at  BIGINT  NOT NULL
            )""";

    private Schema() {
    }

    static int latest(List<Migration> migrations) {
        return migrations.isEmpty() ? 0 : migrations.getLast().version();
    }

    /**
     * Brings the database up to the last of {@code migrations}. Safe when several processes open
     * one ledger at once: each migration re-reads the version inside its write transaction, after
     * {@link Dialect#lockSchema} made the other migrators wait.
     *
     * @throws LedgerException when the database was written by a newer Cutter (nothing is changed)
     *                         or a migration fails (it is rolled back; earlier ones stay)
     */
    static void migrate(Connection connection, Dialect dialect, String location, List<Migration> migrations,
            Clock clock) throws SQLException {
        for (int i = 0; i < migrations.size(); i++) {
            if (migrations.get(i).version() != i + 1) {
                throw new IllegalStateException("ledger migrations must be numbered 1, 2, 3…; #" + (i + 1)
                        + " is numbered " + migrations.get(i).version());
            }
        }
        int latest = latest(migrations);
        int current = hasVersionTable(connection) ? currentVersion(connection) : 0;
        refuseNewer(current, latest, location);
        for (Migration migration : migrations) {
            if (migration.version() <= current) {
                continue;
            }
            dialect.begin(connection);
            try {
                dialect.lockSchema(connection);
                try (Statement statement = connection.createStatement()) {
                    statement.execute(VERSION_TABLE);
                }
                current = currentVersion(connection);
                refuseNewer(current, latest, location);
                if (current < migration.version()) {
                    try (Statement statement = connection.createStatement()) {
                        for (String sql : migration.statements()) {
                            statement.execute(sql);
                        }
                    }
                    try (PreparedStatement insert = connection.prepareStatement(
                            "INSERT INTO schema_version (version, description, applied_at) VALUES (?, ?, ?)")) {
                        insert.setInt(1, migration.version());
                        insert.setString(2, migration.description());
                        insert.setLong(3, clock.millis());
                        insert.executeUpdate();
                    }
                    current = migration.version();
                }
                dialect.commit(connection);
            } catch (SQLException | RuntimeException e) {
                try {
                    dialect.rollback(connection);
                } catch (SQLException rollback) {
                    e.addSuppressed(rollback);
                }
                if (e instanceof SQLException sql) {
                    throw new LedgerException("could not bring the ledger " + location + " to schema version "
                            + migration.version() + " (" + migration.description() + "): " + sql.getMessage(), sql);
                }
                throw (RuntimeException) e;
            }
        }
    }

    static int currentVersion(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT COALESCE(MAX(version), 0) FROM schema_version")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    static boolean hasVersionTable(Connection connection) throws SQLException {
        DatabaseMetaData meta = connection.getMetaData();
        // in the schema the tables are created in (PostgreSQL's current_schema), not in any other
        try (ResultSet rs = meta.getTables(null, connection.getSchema(), "schema_version", new String[] {"TABLE"})) {
            return rs.next();
        }
    }

    private static void refuseNewer(int current, int latest, String location) {
        if (current > latest) {
            throw new LedgerException("the ledger " + location + " was written by a newer Cutter (schema version "
                    + current + "; this Cutter knows up to " + latest + "); upgrade Cutter to use it");
        }
    }
}
