package dev.cutter.ledger;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.UnaryOperator;
import java.util.random.RandomGenerator;

/**
 * The ledger in a SQL database over JDBC: a SQLite file, or a PostgreSQL database shared by many
 * processes, with the same tables and queries ({@link Schema}, {@link Dialect}).
 *
 * <p>Each call is one transaction on one connection of a small {@link ConnectionPool}: one
 * connection for SQLite (one writer at a time is all it has; several instances and processes
 * share a file through SQLite's own locking: WAL lets readers go on while one writer writes, and
 * {@code busy_timeout} makes a writer wait for another instead of failing), {@value #POSTGRES_CONNECTIONS}
 * for PostgreSQL, so job threads writing and a dashboard reading do not queue behind each other
 * or behind a row lock another process holds.
 *
 * <p>A transaction PostgreSQL rolled back for a conflict (serialization failure, deadlock) runs
 * again, up to {@value #ATTEMPTS} times. So does one whose connection was lost before its commit
 * was sent (the server rolled it back): a server restart costs a reconnect, not a ledger that
 * fails forever. A connection lost while committing leaves the outcome unknown, and the error says
 * so rather than guess.
 */
final class SqlLedger implements Ledger, RunSearch, AccessRecords {

    /** How long a write waits for another process's transaction before giving up. */
    static final Duration BUSY_TIMEOUT = Duration.ofSeconds(15);
    /** How many tries a transaction gets when it conflicts or its connection is lost. */
    static final int ATTEMPTS = 5;
    /** Connections a PostgreSQL ledger keeps: a few job threads and readers at once, far below max_connections. */
    static final int POSTGRES_CONNECTIONS = 4;

    private static final DateTimeFormatter RUN_ID_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final String RUN_COLUMNS =
            "id, project, version, tag, channel, plan_digest, state, started_at, finished_at, heartbeat_at, host, pid, kind, lease_ms";
    private static final String JOB_COLUMNS =
            "run_id, job_id, kind, state, attempts, started_at, finished_at, detail";
    private static final String INTERRUPTED = "interrupted: the run was resumed";

    private final String location;
    private final ConnectionPool pool;
    private final Dialect dialect;
    private final Clock clock;
    /** Masks what the database's messages might repeat of the credentials. */
    private final UnaryOperator<String> mask;
    private final RandomGenerator random = new SecureRandom();
    private volatile boolean closed;

    private SqlLedger(String location, ConnectionPool pool, Dialect dialect, Clock clock, UnaryOperator<String> mask) {
        this.location = location;
        this.pool = pool;
        this.dialect = dialect;
        this.clock = clock;
        this.mask = mask;
    }

    static SqlLedger open(String location, Clock clock) {
        return open(location, clock, Map.of());
    }

    static SqlLedger open(String location, Clock clock, Map<String, String> environment) {
        return open(location, clock, Schema.MIGRATIONS, environment);
    }

    static SqlLedger open(String location, Clock clock, List<Schema.Migration> migrations) {
        return open(location, clock, migrations, Map.of());
    }

    static SqlLedger open(String location, Clock clock, List<Schema.Migration> migrations, Map<String, String> environment) {
        requireNonNull(location, "location");
        requireNonNull(clock, "clock");
        String given = location.strip();
        SqlLedger ledger;
        if (PostgresLocation.matches(given)) {
            PostgresLocation postgres = PostgresLocation.parse(given, environment);
            ledger = new SqlLedger(postgres.shown(), new ConnectionPool(() -> postgres.connect(BUSY_TIMEOUT),
                    POSTGRES_CONNECTIONS), Dialect.POSTGRESQL, clock, postgres::mask);
        } else {
            Path file = sqliteFile(given);
            String shown = file.toString();
            try {
                Path parent = file.toAbsolutePath().getParent();
                if (parent != null) {
                    Files.createDirectories(parent);
                }
            } catch (IOException e) {
                throw new LedgerException("cannot create the directory of the ledger " + shown + ": " + e, e);
            }
            ledger = new SqlLedger(shown, new ConnectionPool(() -> openSqlite(file, shown), 1), Dialect.SQLITE, clock,
                    UnaryOperator.identity());
        }
        try {
            ledger.migrate(migrations);
            return ledger;
        } catch (RuntimeException | Error e) {
            try {
                ledger.pool.close();
            } catch (SQLException close) {
                e.addSuppressed(close);
            }
            throw e;
        }
    }

    private static Connection openSqlite(Path file, String shown) {
        Connection connection;
        try {
            connection = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
        } catch (SQLException e) {
            throw new LedgerException("cannot open the ledger " + shown + ": " + e.getMessage(), e);
        }
        try (Statement statement = connection.createStatement()) {
            // busy_timeout first: switching to WAL needs a lock another process may hold.
            statement.execute("PRAGMA busy_timeout = " + BUSY_TIMEOUT.toMillis());
            walMode(statement);
            // In WAL mode NORMAL syncs at checkpoints, not at every commit: a killed process loses
            // nothing (the crash suite kills releases at seeded points), a power cut may lose the
            // last commits, which a resume then redoes by looking at the targets first (law 4).
            // FULL cost an fsync per commit, several per job: about 0.8 ms of a no-op job's 3 ms here.
            statement.execute("PRAGMA synchronous = NORMAL");
            statement.execute("PRAGMA foreign_keys = ON");
            return connection;
        } catch (SQLException e) {
            try {
                connection.close();
            } catch (SQLException close) {
                e.addSuppressed(close);
            }
            throw new LedgerException("cannot open the ledger " + shown + ": " + e.getMessage()
                    + (Dialect.SQLITE.lockTimedOut(e) ? "; another process kept it locked, try again" : ""), e);
        }
    }

    /**
     * Switches the file to WAL (a mode the file keeps, so this changes something only on a new
     * ledger). The switch upgrades a shared lock to an exclusive one; when two connections try it at
     * once, waiting would deadlock them, so SQLite answers one SQLITE_BUSY at once without calling
     * its busy handler. That one tries again, for as long as {@code busy_timeout} would have waited.
     */
    private static void walMode(Statement statement) throws SQLException {
        long deadline = System.nanoTime() + BUSY_TIMEOUT.toNanos();
        for (int attempt = 1; ; attempt++) {
            try {
                statement.execute("PRAGMA journal_mode = WAL");
                return;
            } catch (SQLException e) {
                if (!Dialect.SQLITE.lockTimedOut(e) || System.nanoTime() > deadline) {
                    throw e;
                }
            }
            pause(Math.min(attempt, 4));
            if (Thread.currentThread().isInterrupted()) {
                throw new SQLException("interrupted while waiting for the lock of the ledger");
            }
        }
    }

    private void migrate(List<Schema.Migration> migrations) {
        Connection connection = pool.borrow();
        boolean broken = true;
        try {
            Schema.migrate(connection, dialect, location, migrations, clock);
            broken = false;
        } catch (SQLException e) {
            throw new LedgerException("cannot open the ledger " + location + ": " + mask.apply(e.getMessage())
                    + (dialect.lockTimedOut(e) ? "; another process kept it locked, try again" : ""), e);
        } finally {
            pool.release(connection, broken);
        }
    }

    /** {@code PATH} or {@code sqlite:PATH} (also {@code sqlite:///abs/path}); a URL of another scheme is refused. */
    static Path sqliteFile(String location) {
        String lower = location.toLowerCase(Locale.ROOT);
        String path = location;
        if (lower.startsWith("sqlite:")) {
            path = location.substring("sqlite:".length());
            if (path.startsWith("//")) {
                path = path.substring(2);
            }
        } else if (location.matches("[A-Za-z][A-Za-z0-9+.-]*://.*")) {
            throw new LedgerException("ledger " + withoutCredentials(location)
                    + ": unsupported location; use a file path, sqlite:PATH or postgresql://HOST[:PORT]/DATABASE");
        }
        if (path.isBlank()) {
            throw new LedgerException("ledger location '" + location + "' names no file; use a path or sqlite:PATH");
        }
        try {
            return Path.of(path);
        } catch (InvalidPathException e) {
            throw new LedgerException("ledger location '" + location + "' is not a valid path: " + e.getMessage(), e);
        }
    }

    /** A location fit for a message: no user, password or query (which may carry a password). */
    static String withoutCredentials(String location) {
        String shown = location.replaceFirst("^([A-Za-z][A-Za-z0-9+.:-]*//)[^/?#]*@", "$1");
        int query = shown.indexOf('?');
        return query < 0 ? shown : shown.substring(0, query);
    }

    /** {@code r} + UTC start time to the second + 4 random hex digits: short, and sorts by start. */
    static String runId(Instant started, int random16) {
        return "r" + RUN_ID_TIME.format(started) + "-" + HexFormat.of().toHexDigits((short) random16);
    }

    @Override
    public String location() {
        return location;
    }

    // ---- writes ----

    @Override
    public Run startRun(NewRun run) {
        requireNonNull(run, "run");
        return write("start a run of " + run.project() + " " + run.version(), c -> {
            Instant now = now();
            String id = insertRun(c, run, now);
            update(c, "INSERT INTO run_plans (run_id, plan_json) VALUES (?, ?)", id, run.planJson());
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO jobs (run_id, job_id, ordinal, kind, state, attempts) VALUES (?, ?, ?, ?, ?, 0)")) {
                int ordinal = 0;
                for (JobSeed job : run.jobs()) {
                    bind(insert, id, job.jobId(), ordinal++, job.kind(), JobState.PENDING.name());
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            return new Run(id, run.kind(), run.project(), run.version(), run.tag(), run.channel(), run.planDigest(),
                    RunState.RUNNING, now, Optional.empty(), now, run.host(), run.pid(), run.lease());
        });
    }

    /**
     * Inserts the run under a fresh id. {@code ON CONFLICT DO NOTHING} rather than look-then-insert:
     * two processes starting a run in the same second may draw the same id, and then the second
     * waits for the first to commit and draws again instead of failing on the key.
     */
    private String insertRun(Connection c, NewRun run, Instant now) throws SQLException {
        for (int i = 0; i < 32; i++) {
            String id = runId(now, random.nextInt(0x10000));
            if (update(c, "INSERT INTO runs (" + RUN_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                    + "ON CONFLICT (id) DO NOTHING",
                    id, run.project(), run.version(), run.tag(), run.channel(), run.planDigest(),
                    RunState.RUNNING.name(), now.toEpochMilli(), null, now.toEpochMilli(), run.host(), run.pid(),
                    run.kind().name(), run.lease().map(java.time.Duration::toMillis).orElse(null)) == 1) {
                return id;
            }
        }
        throw new LedgerException("could not find a free run id for " + RUN_ID_TIME.format(now) + " in the ledger "
                + location + "; try again");
    }

    @Override
    public void resumeRun(String runId, String host, long pid) {
        requireNonNull(host, "host");
        write("resume run " + runId, c -> {
            requireRun(c, runId);
            long now = now().toEpochMilli();
            update(c, "UPDATE runs SET state = ?, finished_at = NULL, heartbeat_at = ?, host = ?, pid = ? WHERE id = ?",
                    RunState.RUNNING.name(), now, host, pid, runId);
            update(c, "UPDATE job_attempts SET state = ?, finished_at = ?, detail = ? WHERE run_id = ? AND finished_at IS NULL",
                    JobState.CANCELLED.name(), now, INTERRUPTED, runId);
            update(c, "UPDATE jobs SET state = ? WHERE run_id = ? AND state = ?",
                    JobState.PENDING.name(), runId, JobState.RUNNING.name());
            return null;
        });
    }

    @Override
    public void heartbeat(String runId) {
        write("record a heartbeat of run " + runId, c -> {
            if (update(c, "UPDATE runs SET heartbeat_at = ? WHERE id = ?", now().toEpochMilli(), runId) == 0) {
                throw unknownRun(runId);
            }
            return null;
        });
    }

    @Override
    public void finishRun(String runId, RunState state) {
        requireNonNull(state, "state");
        if (!state.isFinal()) {
            throw new IllegalArgumentException("run " + runId + " cannot finish " + state + "; use a final state");
        }
        write("record the end of run " + runId, c -> {
            long now = now().toEpochMilli();
            if (update(c, "UPDATE runs SET state = ?, finished_at = ?, heartbeat_at = ? WHERE id = ?",
                    state.name(), now, now, runId) == 0) {
                throw unknownRun(runId);
            }
            return null;
        });
    }

    @Override
    public void jobStarted(String runId, String jobId) {
        write("record the start of job " + jobId + " of run " + runId, c -> {
            requireRun(c, runId);
            int attempts;
            try (PreparedStatement select = c.prepareStatement(
                    "SELECT attempts FROM jobs WHERE run_id = ? AND job_id = ?")) {
                bind(select, runId, jobId);
                try (ResultSet rs = select.executeQuery()) {
                    if (!rs.next()) {
                        throw unknownJob(runId, jobId);
                    }
                    attempts = rs.getInt(1);
                }
            }
            long now = now().toEpochMilli();
            int attempt = attempts + 1;
            update(c, "UPDATE job_attempts SET state = ?, finished_at = ?, detail = ? "
                    + "WHERE run_id = ? AND job_id = ? AND finished_at IS NULL",
                    JobState.FAILED.name(), now, "superseded by attempt " + attempt, runId, jobId);
            update(c, "UPDATE jobs SET state = ?, attempts = ?, started_at = COALESCE(started_at, ?), "
                    + "finished_at = NULL, detail = NULL WHERE run_id = ? AND job_id = ?",
                    JobState.RUNNING.name(), attempt, now, runId, jobId);
            update(c, "INSERT INTO job_attempts (run_id, job_id, attempt, state, started_at) VALUES (?, ?, ?, ?, ?)",
                    runId, jobId, attempt, JobState.RUNNING.name(), now);
            return null;
        });
    }

    @Override
    public void jobFinished(String runId, String jobId, JobState state, Optional<String> detail,
            List<Artifact> artifacts, List<Effect> effects) {
        requireNonNull(state, "state");
        requireNonNull(detail, "detail");
        List<Artifact> outputs = List.copyOf(artifacts);
        List<Effect> changes = List.copyOf(effects);
        if (!state.isFinal()) {
            throw new IllegalArgumentException("job " + jobId + " of run " + runId + " cannot finish " + state
                    + "; use a final state");
        }
        for (Artifact artifact : outputs) {
            requireOwner("artifact " + artifact.name(), artifact.runId(), artifact.jobId(), runId, jobId);
        }
        for (Effect effect : changes) {
            requireOwner("effect on " + effect.target(), effect.runId(), effect.jobId(), runId, jobId);
        }
        write("record the end of job " + jobId + " of run " + runId, c -> {
            requireRun(c, runId);
            long now = now().toEpochMilli();
            String why = detail.orElse(null);
            if (update(c, "UPDATE jobs SET state = ?, finished_at = ?, detail = ? WHERE run_id = ? AND job_id = ?",
                    state.name(), now, why, runId, jobId) == 0) {
                throw unknownJob(runId, jobId);
            }
            update(c, "UPDATE job_attempts SET state = ?, finished_at = ?, detail = ? "
                    + "WHERE run_id = ? AND job_id = ? AND finished_at IS NULL",
                    state.name(), now, why, runId, jobId);
            if (!changes.isEmpty()) {
                long seq = lastSeq(c, "effects", runId);
                try (PreparedStatement insert = c.prepareStatement("INSERT INTO effects "
                        + "(run_id, seq, job_id, kind, target, before_value, after_value, occurred_at) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                    for (Effect e : changes) {
                        bind(insert, runId, ++seq, jobId, e.kind(), e.target(), e.before().orElse(null), e.after(),
                                e.at().toEpochMilli());
                        insert.addBatch();
                    }
                    insert.executeBatch();
                }
            }
            // What a job produced is what its last finish says: an earlier attempt's list is replaced.
            update(c, "DELETE FROM artifacts WHERE run_id = ? AND job_id = ?", runId, jobId);
            if (!outputs.isEmpty()) {
                try (PreparedStatement insert = c.prepareStatement("INSERT INTO artifacts "
                        + "(run_id, job_id, name, ordinal, path, digest, size_bytes, kind) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                    int ordinal = 0;
                    for (Artifact a : outputs) {
                        bind(insert, runId, jobId, a.name(), ordinal++, a.path(), a.digest(), a.size(), a.kind());
                        insert.addBatch();
                    }
                    insert.executeBatch();
                }
            }
            return null;
        });
    }

    private static void requireOwner(String what, String ownerRun, String ownerJob, String runId, String jobId) {
        if (!ownerRun.equals(runId) || !ownerJob.equals(jobId)) {
            throw new IllegalArgumentException(what + " belongs to job " + ownerJob + " of run " + ownerRun
                    + ", not to job " + jobId + " of run " + runId);
        }
    }

    @Override
    public void log(String runId, String jobId, String stream, List<String> lines) {
        requireNonNull(jobId, "jobId");
        requireNonNull(stream, "stream");
        List<String> text = List.copyOf(lines);
        if (text.isEmpty()) {
            return;
        }
        write("record log lines of job " + jobId + " of run " + runId, c -> {
            requireRun(c, runId);
            long seq = lastSeq(c, "logs", runId);
            long now = now().toEpochMilli();
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO logs (run_id, seq, job_id, stream, logged_at, line) VALUES (?, ?, ?, ?, ?, ?)")) {
                for (String line : text) {
                    bind(insert, runId, ++seq, jobId, stream, now, line);
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            return null;
        });
    }

    @Override
    public Claim claim(String project, String version, String runId, Duration staleAfter, boolean rolling) {
        requireNonNull(project, "project");
        requireNonNull(version, "version");
        requireNonNull(staleAfter, "staleAfter");
        return write("claim " + project + " " + version + " for run " + runId, c -> {
            requireRun(c, runId);
            Instant now = now();
            // Both databases wait here for a concurrent insert of the same key, so one claimer wins.
            if (update(c, "INSERT INTO version_claims (project, version, run_id, claimed_at) VALUES (?, ?, ?, ?) "
                    + "ON CONFLICT (project, version) DO NOTHING", project, version, runId, now.toEpochMilli()) == 1) {
                return Claim.granted(Optional.empty());
            }
            String holderId;
            try (PreparedStatement select = c.prepareStatement(
                    "SELECT run_id FROM version_claims WHERE project = ? AND version = ?" + dialect.forUpdate())) {
                bind(select, project, version);
                try (ResultSet rs = select.executeQuery()) {
                    rs.next();
                    holderId = rs.getString(1);
                }
            }
            if (holderId.equals(runId)) {
                return Claim.granted(Optional.empty());
            }
            Run holder = selectRun(c, holderId).orElseThrow(() -> unknownRun(holderId));
            boolean free = switch (holder.state()) {
                case FAILED, CANCELLED -> true;
                case SUCCEEDED -> rolling;
                case RUNNING -> !holder.alive(now, staleAfter);
            };
            if (!free) {
                return Claim.refused(holder);
            }
            update(c, "UPDATE version_claims SET run_id = ?, claimed_at = ? WHERE project = ? AND version = ?",
                    runId, now.toEpochMilli(), project, version);
            return Claim.granted(Optional.of(holder));
        });
    }

    @Override
    public JobHold holdJob(String runId, String jobId, String runner, Duration staleAfter, java.util.Collection<String> group,
            int limit) {
        requireNonNull(runner, "runner");
        requireNonNull(staleAfter, "staleAfter");
        return write("hold job " + jobId + " of run " + runId + " for " + runner, c -> {
            // the run's row first: holders of one group queue here, so they count the group one at a time
            if (!exists(c, "SELECT id FROM runs WHERE id = ?" + dialect.forUpdate(), runId)) {
                throw unknownRun(runId);
            }
            long now = now().toEpochMilli();
            long fresh = now - staleAfter.toMillis();
            JobState state;
            String holder;
            long heldAt;
            try (PreparedStatement select = c.prepareStatement(
                    "SELECT state, holder, held_at FROM jobs WHERE run_id = ? AND job_id = ?" + dialect.forUpdate())) {
                bind(select, runId, jobId);
                try (ResultSet rs = select.executeQuery()) {
                    if (!rs.next()) {
                        throw unknownJob(runId, jobId);
                    }
                    state = JobState.valueOf(rs.getString(1));
                    holder = rs.getString(2);
                    heldAt = rs.getLong(3);
                }
            }
            if (state == JobState.SUCCEEDED || state == JobState.SKIPPED) {
                return new JobHold(JobHold.Outcome.DONE, Optional.ofNullable(holder));
            }
            boolean live = state == JobState.PENDING || state == JobState.RUNNING;
            if (holder != null && !holder.equals(runner) && live && heldAt >= fresh) {
                return new JobHold(JobHold.Outcome.BUSY, Optional.of(holder));
            }
            List<String> others = group.stream().filter(id -> !id.equals(jobId)).toList();
            if (!others.isEmpty()) {
                String marks = String.join(", ", java.util.Collections.nCopies(others.size(), "?"));
                List<Object> parameters = new ArrayList<>(List.of(runId, fresh, JobState.PENDING.name(), JobState.RUNNING.name()));
                parameters.addAll(others);
                long held = query(c, "SELECT COUNT(*) FROM jobs WHERE run_id = ? AND holder IS NOT NULL AND held_at >= ?"
                        + " AND state IN (?, ?) AND job_id IN (" + marks + ")", rs -> rs.getLong(1), parameters.toArray()).getFirst();
                if (held >= limit) {
                    return new JobHold(JobHold.Outcome.GROUP_FULL, Optional.empty());
                }
            }
            update(c, "UPDATE jobs SET holder = ?, held_at = ? WHERE run_id = ? AND job_id = ?", runner, now, runId, jobId);
            update(c, "UPDATE runs SET heartbeat_at = ? WHERE id = ?", now, runId);
            return new JobHold(JobHold.Outcome.HELD, Optional.of(runner));
        });
    }

    @Override
    public boolean renewHold(String runId, String jobId, String runner) {
        requireNonNull(runner, "runner");
        return write("renew the hold of " + runner + " on job " + jobId + " of run " + runId, c -> {
            long now = now().toEpochMilli();
            if (update(c, "UPDATE jobs SET held_at = ? WHERE run_id = ? AND job_id = ? AND holder = ?", now, runId, jobId, runner) == 0) {
                return false;
            }
            update(c, "UPDATE runs SET heartbeat_at = ? WHERE id = ?", now, runId);
            return true;
        });
    }

    // ---- reads ----

    @Override
    public Optional<Run> run(String id) {
        requireNonNull(id, "id");
        return read("read run " + id, c -> selectRun(c, id));
    }

    @Override
    public Optional<Run> latestRun() {
        return runs(1).stream().findFirst();
    }

    @Override
    public List<Run> runs(int limit) {
        requireLimit(limit);
        return read("list runs", c -> query(c, "SELECT " + RUN_COLUMNS + " FROM runs "
                + "ORDER BY started_at DESC, id DESC LIMIT ?", SqlLedger::toRun, limit));
    }

    @Override
    public List<Run> runsOf(String project, String version) {
        return read("list the runs of " + project + " " + version, c -> query(c, "SELECT " + RUN_COLUMNS
                + " FROM runs WHERE project = ? AND version = ? ORDER BY started_at DESC, id DESC",
                SqlLedger::toRun, project, version));
    }

    @Override
    public List<JobRecord> jobs(String runId) {
        return read("read the jobs of run " + runId, c -> query(c,
                "SELECT " + JOB_COLUMNS + " FROM jobs WHERE run_id = ? ORDER BY ordinal", rs -> new JobRecord(
                        rs.getString(1), rs.getString(2), rs.getString(3), JobState.valueOf(rs.getString(4)),
                        rs.getInt(5), instant(rs, 6), instant(rs, 7), Optional.ofNullable(rs.getString(8))),
                runId));
    }

    @Override
    public List<Attempt> attempts(String runId, String jobId) {
        return read("read the attempts of job " + jobId + " of run " + runId, c -> query(c,
                "SELECT run_id, job_id, attempt, state, started_at, finished_at, detail FROM job_attempts "
                        + "WHERE run_id = ? AND job_id = ? ORDER BY attempt",
                rs -> new Attempt(rs.getString(1), rs.getString(2), rs.getInt(3), JobState.valueOf(rs.getString(4)),
                        Instant.ofEpochMilli(rs.getLong(5)), instant(rs, 6), Optional.ofNullable(rs.getString(7))),
                runId, jobId));
    }

    @Override
    public List<Effect> effects(String runId) {
        return read("read the effects of run " + runId, c -> query(c,
                "SELECT run_id, job_id, kind, target, before_value, after_value, occurred_at FROM effects "
                        + "WHERE run_id = ? ORDER BY seq",
                SqlLedger::effect, runId));
    }

    @Override
    public List<Effect> effectsOn(String target) {
        return read("read the effects on " + target, c -> query(c,
                "SELECT run_id, job_id, kind, target, before_value, after_value, occurred_at FROM effects "
                        + "WHERE target = ? ORDER BY occurred_at, seq",
                SqlLedger::effect, target));
    }

    /** A row of {@code SELECT run_id, job_id, kind, target, before_value, after_value, occurred_at FROM effects}. */
    private static Effect effect(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Effect(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                Optional.ofNullable(rs.getString(5)), rs.getString(6), Instant.ofEpochMilli(rs.getLong(7)));
    }

    @Override
    public List<Artifact> artifacts(String runId) {
        return read("read the artifacts of run " + runId, c -> query(c,
                "SELECT a.run_id, a.job_id, a.name, a.path, a.digest, a.size_bytes, a.kind FROM artifacts a "
                        + "JOIN jobs j ON j.run_id = a.run_id AND j.job_id = a.job_id "
                        + "WHERE a.run_id = ? ORDER BY j.ordinal, a.ordinal",
                rs -> new Artifact(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getLong(6), rs.getString(7)),
                runId));
    }

    @Override
    public Optional<String> planJson(String runId) {
        return read("read the plan of run " + runId, c -> query(c,
                "SELECT plan_json FROM run_plans WHERE run_id = ?", rs -> rs.getString(1), runId)
                .stream().findFirst());
    }

    @Override
    public List<LogLine> logs(String runId, Optional<String> jobId, long afterSeq, int limit) {
        requireNonNull(jobId, "jobId");
        requireLimit(limit);
        String columns = "SELECT run_id, job_id, seq, logged_at, stream, line FROM logs ";
        Row<LogLine> toLine = rs -> new LogLine(rs.getString(1), rs.getString(2), rs.getLong(3),
                Instant.ofEpochMilli(rs.getLong(4)), rs.getString(5), rs.getString(6));
        return read("read the logs of run " + runId, c -> jobId.isPresent()
                ? query(c, columns + "WHERE run_id = ? AND job_id = ? AND seq > ? ORDER BY seq LIMIT ?", toLine,
                        runId, jobId.get(), afterSeq, limit)
                : query(c, columns + "WHERE run_id = ? AND seq > ? ORDER BY seq LIMIT ?", toLine,
                        runId, afterSeq, limit));
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            pool.close();
        } catch (SQLException e) {
            throw new LedgerException("could not close the ledger " + location + ": " + mask.apply(e.getMessage()), e);
        }
    }

    // ---- the server's reads (RunSearch) ----

    @Override
    public List<Run> runs(RunFilter filter) {
        requireNonNull(filter, "filter");
        return read("list runs", c -> {
            StringBuilder where = new StringBuilder(" WHERE 1 = 1");
            List<Object> parameters = new ArrayList<>();
            filter.project().ifPresent(p -> {
                where.append(" AND project = ?");
                parameters.add(p);
            });
            filter.state().ifPresent(s -> {
                where.append(" AND state = ?");
                parameters.add(s.name());
            });
            if (filter.before().isPresent()) {
                Optional<Run> last = selectRun(c, filter.before().get());
                if (last.isEmpty()) {
                    return List.<Run>of(); // a page after a run that is gone: nothing is older than nothing
                }
                long started = last.get().started().toEpochMilli();
                // the range on started_at alone lets the index seek to the page; the OR only breaks ties
                where.append(" AND started_at <= ? AND (started_at < ? OR id < ?)");
                parameters.addAll(List.of(started, started, last.get().id()));
            }
            parameters.add(filter.limit());
            return query(c, "SELECT " + RUN_COLUMNS + " FROM runs" + where + " ORDER BY started_at DESC, id DESC LIMIT ?",
                    SqlLedger::toRun, parameters.toArray());
        });
    }

    @Override
    public List<Run> runsChangedSince(Instant since) {
        long after = since.toEpochMilli();
        return read("list the runs changed since " + since, c -> query(c, "SELECT " + RUN_COLUMNS + " FROM runs "
                + "WHERE state = ? OR started_at > ? OR finished_at > ? ORDER BY started_at, id", SqlLedger::toRun,
                RunState.RUNNING.name(), after, after));
    }

    @Override
    public List<String> versions(String project, int limit) {
        requireLimit(limit);
        return read("list the versions of " + project, c -> query(c, "SELECT version FROM runs WHERE project = ? "
                + "GROUP BY version ORDER BY MAX(started_at) DESC LIMIT ?", rs -> rs.getString(1), project, limit));
    }

    // ---- tokens and the audit trail (AccessRecords) ----

    private static final String TOKEN_COLUMNS = "id, name, role, channels, token_hash, created_at, revoked_at";

    @Override
    public void addToken(ApiToken token) {
        requireNonNull(token, "token");
        write("record the API token " + token.id(), c -> update(c, "INSERT INTO api_tokens (" + TOKEN_COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?)", token.id(), token.name(), token.role(), String.join(",", token.channels()),
                token.hash(), token.created().toEpochMilli(), token.revoked().map(Instant::toEpochMilli).orElse(null)));
    }

    @Override
    public Optional<ApiToken> token(String id) {
        return read("read the API token " + id, c -> query(c, "SELECT " + TOKEN_COLUMNS + " FROM api_tokens WHERE id = ?",
                SqlLedger::toToken, id).stream().findFirst());
    }

    @Override
    public List<ApiToken> tokens() {
        return read("list the API tokens", c -> query(c, "SELECT " + TOKEN_COLUMNS + " FROM api_tokens ORDER BY created_at, id",
                SqlLedger::toToken));
    }

    @Override
    public boolean revokeToken(String id) {
        return write("revoke the API token " + id, c -> update(c,
                "UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", now().toEpochMilli(), id) == 1);
    }

    private static ApiToken toToken(ResultSet rs) throws SQLException {
        String channels = rs.getString(4);
        return new ApiToken(rs.getString(1), rs.getString(2), rs.getString(3),
                channels.isEmpty() ? List.of() : List.of(channels.split(",")), rs.getString(5),
                Instant.ofEpochMilli(rs.getLong(6)), instant(rs, 7));
    }

    @Override
    public AuditEntry audit(String actor, String action, String subject, String outcome, String source) {
        return write("record an audit entry", c -> appendAudit(c, actor, action, subject, outcome, source, false)).orElseThrow();
    }

    @Override
    public Optional<AuditEntry> auditOnce(String actor, String action, String subject, String outcome, String source) {
        return write("record an audit entry", c -> appendAudit(c, actor, action, subject, outcome, source, true));
    }

    private Optional<AuditEntry> appendAudit(Connection c, String actor, String action, String subject, String outcome, String source,
            boolean once) throws SQLException {
        // writers queue on the one row of audit_sequence (PostgreSQL locks it; SQLite has one writer),
        // so two entries never take the same number, and a look for an entry before appending it is atomic
        update(c, "INSERT INTO audit_sequence (id, last_seq) VALUES (1, 0) ON CONFLICT (id) DO NOTHING");
        long seq = query(c, "SELECT last_seq FROM audit_sequence WHERE id = 1" + dialect.forUpdate(), rs -> rs.getLong(1))
                .getFirst() + 1;
        if (once && exists(c, "SELECT seq FROM audit WHERE action = ? AND subject = ?", action, subject)) {
            return Optional.empty();
        }
        update(c, "UPDATE audit_sequence SET last_seq = ? WHERE id = 1", seq);
        Instant at = now();
        update(c, "INSERT INTO audit (seq, at, actor, action, subject, outcome, source) VALUES (?, ?, ?, ?, ?, ?, ?)",
                seq, at.toEpochMilli(), actor, action, subject, outcome, source);
        return Optional.of(new AuditEntry(seq, at, actor, action, subject, outcome, source));
    }

    @Override
    public List<AuditEntry> auditEntries(long beforeSeq, int limit) {
        requireLimit(limit);
        return read("read the audit trail", c -> query(c, "SELECT seq, at, actor, action, subject, outcome, source FROM audit "
                + "WHERE seq < ? ORDER BY seq DESC LIMIT ?", rs -> new AuditEntry(rs.getLong(1), Instant.ofEpochMilli(rs.getLong(2)),
                        rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7)), beforeSeq, limit));
    }

    // ---- plumbing ----

    @FunctionalInterface
    private interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    @FunctionalInterface
    private interface Row<T> {
        T read(ResultSet rs) throws SQLException;
    }

    /** Runs {@code work} as one write transaction: all of it is committed, or none of it. */
    private <T> T write(String action, Work<T> work) {
        return transact(action, work, true);
    }

    /** Runs {@code work}, reads only, outside a write transaction (each statement sees what is committed). */
    private <T> T read(String action, Work<T> work) {
        return transact(action, work, false);
    }

    private <T> T transact(String action, Work<T> work, boolean write) {
        for (int attempt = 1; ; attempt++) {
            requireOpen();
            Connection connection = pool.borrow();
            boolean broken = false;
            boolean committing = false;
            try {
                if (write) {
                    dialect.begin(connection);
                }
                T result = work.run(connection);
                if (write) {
                    committing = true;
                    dialect.commit(connection);
                }
                return result;
            } catch (SQLException e) {
                broken = dialect.lostConnection(e) || isClosed(connection);
                if (write && !broken) {
                    broken = !rollback(connection, e);
                }
                if (broken && committing) {
                    throw new LedgerException("could not " + action + ": the connection to the ledger " + location
                            + " was lost while committing, so it is not known whether it was recorded ("
                            + mask.apply(e.getMessage()) + "); look with `cutter runs show` before doing it again", e);
                }
                if (attempt < ATTEMPTS && (broken || dialect.conflicted(e))) {
                    if (broken) {
                        pool.discardIdle(); // lost to a restart like this one, most likely
                    }
                    pause(attempt);
                    continue;
                }
                throw failure(action, e);
            } catch (RuntimeException | Error e) {
                if (write) {
                    broken = !rollback(connection, e);
                }
                throw e;
            } finally {
                pool.release(connection, broken);
            }
        }
    }

    /** Rolls back; false when that failed too, and the connection is not fit to be used again. */
    private boolean rollback(Connection connection, Throwable cause) {
        try {
            dialect.rollback(connection);
            return true;
        } catch (SQLException e) {
            cause.addSuppressed(e);
            return false;
        }
    }

    private static boolean isClosed(Connection connection) {
        try {
            return connection.isClosed();
        } catch (SQLException e) {
            return true;
        }
    }

    /** Waits before another try: growing, with jitter, so two conflicting writers do not meet again at once. */
    private static void pause(int attempt) {
        long millis = (10L << attempt) + ThreadLocalRandom.current().nextLong(10L << attempt);
        try {
            Thread.sleep(millis); // backing off before the transaction runs again
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the caller learns of it; this one write still gets its try
        }
    }

    private void requireOpen() {
        if (closed) {
            throw new LedgerException("the ledger " + location + " is closed");
        }
    }

    private LedgerException failure(String action, SQLException e) {
        if (dialect.lockTimedOut(e)) {
            return new LedgerException("could not " + action + ": the ledger " + location + " stayed locked by "
                    + "another process for more than " + BUSY_TIMEOUT.toSeconds() + " s; try again", e);
        }
        if (dialect.lostConnection(e)) {
            return new LedgerException("could not " + action + ": the connection to the ledger " + location
                    + " was lost " + ATTEMPTS + " times in a row (" + mask.apply(e.getMessage())
                    + "); check that the server is up and reachable, then try again", e);
        }
        return new LedgerException("could not " + action + " in the ledger " + location + ": " + mask.apply(e.getMessage()), e);
    }

    private LedgerException unknownRun(String runId) {
        return new LedgerException("no run " + runId + " in the ledger " + location + "; `cutter runs list` shows its runs");
    }

    private LedgerException unknownJob(String runId, String jobId) {
        return new LedgerException("run " + runId + " has no job " + jobId + " in the ledger " + location);
    }

    private static void requireLimit(int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must be 0 or more, not " + limit);
        }
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    /** Locks the run's row where the database locks rows (so per-run sequences do not race) and checks it exists. */
    private void requireRun(Connection c, String runId) throws SQLException {
        requireNonNull(runId, "runId");
        if (!exists(c, "SELECT id FROM runs WHERE id = ?" + dialect.forUpdate(), runId)) {
            throw unknownRun(runId);
        }
    }

    private static long lastSeq(Connection c, String table, String runId) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(
                "SELECT COALESCE(MAX(seq), 0) FROM " + table + " WHERE run_id = ?")) {
            bind(select, runId);
            try (ResultSet rs = select.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static Optional<Run> selectRun(Connection c, String id) throws SQLException {
        return query(c, "SELECT " + RUN_COLUMNS + " FROM runs WHERE id = ?", SqlLedger::toRun, id).stream().findFirst();
    }

    private static Run toRun(ResultSet rs) throws SQLException {
        return new Run(rs.getString(1), RunKind.valueOf(rs.getString(13)), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getString(6), RunState.valueOf(rs.getString(7)), Instant.ofEpochMilli(rs.getLong(8)),
                instant(rs, 9), Instant.ofEpochMilli(rs.getLong(10)), rs.getString(11), rs.getLong(12),
                millis(rs, 14).map(Duration::ofMillis));
    }

    private static Optional<Long> millis(ResultSet rs, int column) throws SQLException {
        long millis = rs.getLong(column);
        return rs.wasNull() ? Optional.empty() : Optional.of(millis);
    }

    private static Optional<Instant> instant(ResultSet rs, int column) throws SQLException {
        long millis = rs.getLong(column);
        return rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(millis));
    }

    private static boolean exists(Connection c, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(sql)) {
            bind(select, parameters);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static <T> List<T> query(Connection c, String sql, Row<T> row, Object... parameters) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(sql)) {
            bind(select, parameters);
            try (ResultSet rs = select.executeQuery()) {
                List<T> rows = new ArrayList<>();
                while (rs.next()) {
                    rows.add(row.read(rs));
                }
                return rows;
            }
        }
    }

    private static int update(Connection c, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement statement = c.prepareStatement(sql)) {
            bind(statement, parameters);
            return statement.executeUpdate();
        }
    }

    /** Binds strings, ints and longs; {@code null} binds as a NULL of the column's type. */
    private static void bind(PreparedStatement statement, Object... parameters) throws SQLException {
        for (int i = 0; i < parameters.length; i++) {
            switch (parameters[i]) {
                case null -> statement.setNull(i + 1, Types.NULL);
                case String s -> statement.setString(i + 1, s);
                case Integer n -> statement.setInt(i + 1, n);
                case Long n -> statement.setLong(i + 1, n);
                default -> throw new IllegalArgumentException("cannot bind a " + parameters[i].getClass());
            }
        }
    }
}
