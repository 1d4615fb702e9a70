package dev.cutter.ledger;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;

/**
 * At most {@code size} connections to one database, opened when first needed, each used by one
 * thread at a time, so a ledger call is one transaction on one connection.
 *
 * <p>Small and without a library on purpose: a ledger needs a handful of connections (the
 * executor's job threads write while {@code cutter serve} or {@code runs watch} read), never a
 * validation query per borrow or an eviction thread. A connection that broke is closed instead of
 * returned, and the next borrow opens a new one, so a server restart costs one retried call rather
 * than a ledger that fails forever.
 */
final class ConnectionPool implements AutoCloseable {
    private final Supplier<Connection> connector;
    private final Semaphore permits;
    /** Last in, first out: the connections in use stay few and warm. */
    private final ConcurrentLinkedDeque<Connection> idle = new ConcurrentLinkedDeque<>();
    private volatile boolean closed;

    /**
     * @param connector opens a connection, or throws a {@link LedgerException} that says why not
     */
    ConnectionPool(Supplier<Connection> connector, int size) {
        this.connector = connector;
        this.permits = new Semaphore(size, true);
    }

    /** A connection for this thread alone until {@link #release}; waits while all are in use. */
    Connection borrow() {
        // Uninterruptibly, as the lock it replaces: a cancelled run must still record that it was cancelled.
        permits.acquireUninterruptibly();
        try {
            Connection connection = idle.pollFirst();
            return connection != null ? connection : connector.get();
        } catch (RuntimeException | Error e) {
            permits.release();
            throw e;
        }
    }

    /** Gives {@code connection} back; a broken one (or any, once the pool is closed) is closed instead. */
    void release(Connection connection, boolean broken) {
        try {
            if (broken || closed) {
                closeQuietly(connection);
            } else {
                idle.addFirst(connection);
                if (closed) { // close() ran between the check and the add
                    discardIdle();
                }
            }
        } finally {
            permits.release();
        }
    }

    /** Closes the idle connections now and the others as they come back. */
    @Override
    public void close() throws SQLException {
        closed = true;
        SQLException failure = null;
        Connection connection;
        while ((connection = idle.pollFirst()) != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** Closes every idle connection: after one broke, the others (same server, same restart) likely did too. */
    void discardIdle() {
        Connection connection;
        while ((connection = idle.pollFirst()) != null) {
            closeQuietly(connection);
        }
    }

    /** Closes a connection that could not be set up, and returns why; failing to close it is added to that. */
    static SQLException abandon(Connection connection, SQLException cause) {
        try {
            connection.close();
        } catch (SQLException close) {
            cause.addSuppressed(close);
        }
        return cause;
    }

    private static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (SQLException ignored) {
            // already broken: there is nothing left to release
        }
    }
}
