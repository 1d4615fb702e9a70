package dev.cutter.ledger;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The ledger's behaviour on a SQLite file. */
class SqliteLedgerTest extends LedgerTest {
    @TempDir
    Path dir;

    @Override
    LedgerStore store() {
        return LedgerStore.sqlite(dir.resolve("ledger.db"));
    }
}
