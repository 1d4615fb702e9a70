package dev.cutter.ledger;

import dev.cutter.testing.Postgres;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The server's records on a PostgreSQL database. */
class PostgresServerRecordsTest extends ServerRecordsTest {
    @RegisterExtension
    static final Postgres POSTGRES = new Postgres();

    @Override
    LedgerStore store() {
        return LedgerStore.postgres(POSTGRES);
    }
}
