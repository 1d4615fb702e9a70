package dev.cutter.ledger;

import dev.cutter.testing.Postgres;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The ledger's behaviour on a PostgreSQL database. */
class PostgresLedgerTest extends LedgerTest {
    @RegisterExtension
    static final Postgres POSTGRES = new Postgres();

    @Override
    LedgerStore store() {
        return LedgerStore.postgres(POSTGRES);
    }
}
