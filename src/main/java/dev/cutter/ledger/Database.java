package dev.cutter.ledger;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
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
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.UnaryOperator;

/**
 * The ledger's database over JDBC, shared by its parts (runs, holds, searches, tokens, audit): a
 * SQLite file, or a PostgreSQL database shared by many processes, with the same tables and queries
 * ({@link Schema}, {@link Dialect}).
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
final class Database implements AutoCloseable {

    /** How long a write waits for another process's transaction before giving up. */
    static final Duration BUSY_TIMEOUT = Duration.ofSeconds(15);
    /** How many tries a transaction gets when it conflicts or its connection is lost. */
    static final int ATTEMPTS = 5;
    /** Connections a PostgreSQL ledger keeps: a few job threads and readers at once, far below max_connections. */
    static final int POSTGRES_CONNECTIONS = 4;

    private final String location;
    private final ConnectionPool pool;
    private final Dialect dialect;
    private final Clock clock;
    /** Masks what the database's messages might repeat of the credentials. */
    private final UnaryOperator<String> mask;
    private volatile boolean closed;

    private Database(String location, ConnectionPool pool, Dialect dialect, Clock clock, UnaryOperator<String> mask) {
        this.location = location;
        this.pool = pool;
        this.dialect = dialect;
        this.clock = clock;
        this.mask = mask;
    }

    /** Opens the database at {@code location} and brings its schema up to {@code migrations}. */
    static Database open(String location, Clock clock, List<Schema.Migration> migrations, java.util.Map<String, String> environment) {
        requireNonNull(location, "location");
        requireNonNull(clock, "clock");
        String given = location.strip();
        Database database;
        if (PostgresLocation.matches(given)) {
            PostgresLocation postgres = PostgresLocation.parse(given, environment);
            database = new Database(postgres.shown(), new ConnectionPool(() -> postgres.connect(BUSY_TIMEOUT),
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
            SqliteLibrary.prepare(environment);
            database = new Database(shown, new ConnectionPool(() -> openSqlite(file, shown), 1), Dialect.SQLITE, clock,
                    UnaryOperator.identity());
        }
        try {
            database.migrate(migrations);
            return database;
        } catch (RuntimeException | Error e) {
            try {
                database.pool.close();
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
            ConnectionPool.abandon(connection, e);
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

    /** Where the ledger lives: the file, or the URL with its password masked. */
    String location() {
        return location;
    }

    Dialect dialect() {
        return dialect;
    }

    /** The ledger's time, to the millisecond as it is stored. */
    Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
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

    // ---- transactions ----

    @FunctionalInterface
    interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    @FunctionalInterface
    interface Row<T> {
        T read(ResultSet rs) throws SQLException;
    }

    /** Runs {@code work} as one write transaction: all of it is committed, or none of it. */
    <T> T write(String action, Work<T> work) {
        return transact(action, work, true);
    }

    /** Runs {@code work}, reads only, outside a write transaction (each statement sees what is committed). */
    <T> T read(String action, Work<T> work) {
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

    LedgerException unknownRun(String runId) {
        return new LedgerException("no run " + runId + " in the ledger " + location + "; `cutter runs list` shows its runs");
    }

    LedgerException unknownJob(String runId, String jobId) {
        return new LedgerException("run " + runId + " has no job " + jobId + " in the ledger " + location);
    }

    /** Locks the run's row where the database locks rows (so per-run sequences do not race) and checks it exists. */
    void requireRun(Connection c, String runId) throws SQLException {
        requireNonNull(runId, "runId");
        if (!exists(c, "SELECT id FROM runs WHERE id = ?" + dialect.forUpdate(), runId)) {
            throw unknownRun(runId);
        }
    }

    // ---- statements ----

    static void requireLimit(int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must be 0 or more, not " + limit);
        }
    }

    static Optional<Long> millis(ResultSet rs, int column) throws SQLException {
        long millis = rs.getLong(column);
        return rs.wasNull() ? Optional.empty() : Optional.of(millis);
    }

    static Optional<Instant> instant(ResultSet rs, int column) throws SQLException {
        long millis = rs.getLong(column);
        return rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(millis));
    }

    static boolean exists(Connection c, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement select = c.prepareStatement(sql)) {
            bind(select, parameters);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next();
            }
        }
    }

    static <T> List<T> query(Connection c, String sql, Row<T> row, Object... parameters) throws SQLException {
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

    static int update(Connection c, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement statement = c.prepareStatement(sql)) {
            bind(statement, parameters);
            return statement.executeUpdate();
        }
    }

    /** Binds strings, ints and longs; {@code null} binds as a NULL of the column's type. */
    static void bind(PreparedStatement statement, Object... parameters) throws SQLException {
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
