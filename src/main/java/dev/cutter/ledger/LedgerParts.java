package dev.cutter.ledger;

import static java.util.Objects.requireNonNull;

import java.time.Clock;

/**
 * One ledger as the parts a server needs, all over one database: the runs ({@link Ledger}), the
 * dashboard's searches ({@link RunSearch}), who may do what and what was done ({@link AccessRecords}),
 * and what it lets go of as it ages ({@link Pruning}).
 * Closing it closes the ledger, and with it the other parts.
 */
public record LedgerParts(Ledger ledger, RunSearch search, AccessRecords access, Pruning pruning) implements AutoCloseable {

    public LedgerParts {
        requireNonNull(ledger, "ledger");
        requireNonNull(search, "search");
        requireNonNull(access, "access");
        requireNonNull(pruning, "pruning");
    }

    /** Opens the ledger at {@code location} on the system clock; see {@link Ledger#open(String, Clock)}. */
    public static LedgerParts open(String location) {
        return open(location, Clock.systemUTC());
    }

    /** Opens the ledger at {@code location} as {@link Ledger#open(String, Clock)} does, with its other parts. */
    public static LedgerParts open(String location, Clock clock) {
        return open(location, clock, java.util.Map.of());
    }

    /** As {@link #open(String, Clock)}, with the environment a PostgreSQL location reads its password from. */
    public static LedgerParts open(String location, Clock clock, java.util.Map<String, String> environment) {
        Database database = Database.open(location, clock, Schema.MIGRATIONS, environment);
        return new LedgerParts(new SqlLedger(database), new SqlRunSearch(database), new SqlAccessRecords(database),
                new SqlPruning(database));
    }

    @Override
    public void close() {
        ledger.close();
    }
}
