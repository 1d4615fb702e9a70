package dev.cutter.ledger;

import dev.cutter.testing.Postgres;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Claims on a PostgreSQL database. */
class PostgresClaimTest extends ClaimTest {
    @RegisterExtension
    static final Postgres POSTGRES = new Postgres();

    @Override
    LedgerStore store() {
        return LedgerStore.postgres(POSTGRES);
    }
}
