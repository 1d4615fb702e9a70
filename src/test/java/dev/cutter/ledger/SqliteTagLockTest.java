package dev.cutter.ledger;

/** Tag locks on a SQLite file. */
class SqliteTagLockTest extends TagLockTest {
    @Override
    LedgerStore store() {
        return LedgerStore.sqlite(dir.resolve("ledger.db"));
    }
}
