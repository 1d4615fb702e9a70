package dev.cutter.ledger;

/** Claims on a SQLite file. */
class SqliteClaimTest extends ClaimTest {
    @Override
    LedgerStore store() {
        return LedgerStore.sqlite(dir.resolve("ledger.db"));
    }
}
