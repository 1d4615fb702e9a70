package dev.cutter.ledger;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The little that differs between the databases a ledger can live in: how a write transaction
 * begins and how a row that guards a write is locked. Tables and every query are the same text
 * for all of them (see {@link Schema}).
 *
 * <p>PostgreSQL, when it comes: {@code setAutoCommit(false)} to begin, {@code commit()} and
 * {@code rollback()} to end, and {@code FOR UPDATE} as {@link #forUpdate()}, so that writers of one
 * run queue on its {@code runs} row (per-run sequence numbers of effects and log lines) and
 * claimers of one version queue on its {@code version_claims} row. The claim's first step,
 * {@code INSERT … ON CONFLICT DO NOTHING}, already waits there for a concurrent insert of the same
 * key to commit or roll back.
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
    };

    abstract void begin(Connection connection) throws SQLException;

    abstract void commit(Connection connection) throws SQLException;

    abstract void rollback(Connection connection) throws SQLException;

    /** What a {@code SELECT} that guards a write ends with, so the selected rows stay as read until commit. */
    abstract String forUpdate();

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
