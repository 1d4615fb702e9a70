package dev.cutter.ledger;

/** Pruning a SQLite file. */
class SqlitePruneTest extends PruneTest {
    @Override
    LedgerStore store() {
        return LedgerStore.sqlite(dir.resolve("ledger.db"));
    }
}
