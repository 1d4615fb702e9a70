package dev.cutter.ledger;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The server's records on a SQLite file. */
class SqliteServerRecordsTest extends ServerRecordsTest {
    @TempDir
    Path dir;

    @Override
    LedgerStore store() {
        return LedgerStore.sqlite(dir.resolve("ledger.db"));
    }
}
