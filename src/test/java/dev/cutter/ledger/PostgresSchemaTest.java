package dev.cutter.ledger;

import dev.cutter.testing.Postgres;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The schema and its migrations on a PostgreSQL database. */
class PostgresSchemaTest extends SchemaTest {
    @RegisterExtension
    static final Postgres POSTGRES = new Postgres();

    @Override
    LedgerStore store() {
        return LedgerStore.postgres(POSTGRES);
    }
}
