package dev.cutter.ledger;

import dev.cutter.testing.Postgres;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Pruning a PostgreSQL database. */
class PostgresPruneTest extends PruneTest {
    @RegisterExtension
    static final Postgres POSTGRES = new Postgres();

    @Override
    LedgerStore store() {
        return LedgerStore.postgres(POSTGRES);
    }
}
