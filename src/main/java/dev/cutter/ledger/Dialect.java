package dev.cutter.ledger;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;

/**
 * The little that differs between the databases a ledger can live in: how a write transaction
 * begins and ends, how a row that guards a write is locked, how concurrent migrations queue, and
 * which failures mean "try again" or "the connection is gone". Tables and every query are the
 * same text for all of them (see {@link Schema}).
 */
enum Dialect {
    /**
     * {@code BEGIN IMMEDIATE} takes the database's write lock when the transaction begins (waiting up
     * to {@code busy_timeout} for another connection to release it), so a transaction that reads
     * and then writes cannot lose a race to another process, and no row needs a lock of its own.
     */
    SQLITE {
        @Override
        void begin(Connection connection) throws SQLException {
            execute(connection, "BEGIN IMMEDIATE");
        }

        @Override
        void commit(Connection connection) throws SQLException {
            execute(connection, "COMMIT");
        }

        @Override
        void rollback(Connection connection) throws SQLException {
            execute(connection, "ROLLBACK");
        }

        @Override
        String forUpdate() {
            return "";
        }

        @Override
        void lockSchema(Connection connection) {
            // BEGIN IMMEDIATE already holds the only write lock there is
        }

        /** SQLITE_BUSY and SQLITE_LOCKED, with their extended codes: busy_timeout ran out. */
        @Override
        boolean lockTimedOut(SQLException e) {
            int primary = e.getErrorCode() & 0xff;
            return primary == 5 || primary == 6;
        }

        @Override
        boolean conflicted(SQLException e) {
            return false;
        }

        @Override
        boolean lostConnection(SQLException e) {
            return false;
        }
    },

    /**
     * Autocommit off to begin, {@code commit()} and {@code rollback()} to end (then autocommit on
     * again, so a read is one statement of its own), at READ COMMITTED. {@code FOR UPDATE} as
     * {@link #forUpdate()}, so that writers of one run queue on its {@code runs} row (per-run
     * sequence numbers of effects and log lines) and claimers of one version queue on its
     * {@code publication_claims} rows; each statement after the wait sees what the other committed. The
     * claim's first step, {@code INSERT … ON CONFLICT DO NOTHING}, already waits there for a
     * concurrent insert of the same key to commit or roll back.
     */
    POSTGRESQL {
        @Override
        void begin(Connection connection) throws SQLException {
            connection.setAutoCommit(false);
        }

        @Override
        void commit(Connection connection) throws SQLException {
            connection.commit();
            connection.setAutoCommit(true);
        }

        @Override
        void rollback(Connection connection) throws SQLException {
            connection.rollback();
            connection.setAutoCommit(true);
        }

        @Override
        String forUpdate() {
            return " FOR UPDATE";
        }

        /**
         * A transaction-scoped advisory lock: two processes opening a fresh database at once would
         * otherwise both run {@code CREATE TABLE} (one of them failing on the catalog's unique
         * index) before either sees the other's {@code schema_version} row.
         */
        @Override
        void lockSchema(Connection connection) throws SQLException {
            execute(connection, "SELECT pg_advisory_xact_lock(" + SCHEMA_LOCK + ")");
        }

        /** lock_not_available: {@code lock_timeout} ran out. */
        @Override
        boolean lockTimedOut(SQLException e) {
            return "55P03".equals(e.getSQLState());
        }

        /** serialization_failure and deadlock_detected: the transaction was rolled back and may simply run again. */
        @Override
        boolean conflicted(SQLException e) {
            String state = Optional.ofNullable(e.getSQLState()).orElse("");
            return state.equals("40001") || state.equals("40P01");
        }

        /**
         * Class 08 (connection exception: refused, reset, I/O error) and the server shutting the
         * session down (57P01 admin_shutdown, as {@code pg_terminate_backend} or a restart does;
         * 57P02 crash_shutdown; 57P03 cannot_connect_now).
         */
        @Override
        boolean lostConnection(SQLException e) {
            String state = Optional.ofNullable(e.getSQLState()).orElse("");
            return state.startsWith("08") || state.equals("57P01") || state.equals("57P02") || state.equals("57P03");
        }
    };

    /** The key of the advisory lock PostgreSQL migrations hold: "cutter" in ASCII. */
    private static final long SCHEMA_LOCK = 0x637574746572L;

    abstract void begin(Connection connection) throws SQLException;

    abstract void commit(Connection connection) throws SQLException;

    abstract void rollback(Connection connection) throws SQLException;

    /** What a {@code SELECT} that guards a write ends with, so the selected rows stay as read until commit. */
    abstract String forUpdate();

    /** Called right after {@link #begin} of a migration: makes concurrent migrators wait for each other. */
    abstract void lockSchema(Connection connection) throws SQLException;

    /** Whether {@code e} says a lock stayed held by another writer past the wait allowed. */
    abstract boolean lockTimedOut(SQLException e);

    /** Whether {@code e} says the transaction lost to a concurrent one and was rolled back, so it may run again. */
    abstract boolean conflicted(SQLException e);

    /** Whether {@code e} says the connection is gone: whatever was not committed is rolled back by the server. */
    abstract boolean lostConnection(SQLException e);

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
