package dev.cutter.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The schema on a SQLite file, and what only a file has: a journal mode, a directory, foreign content. */
class SqliteSchemaTest extends SchemaTest {
    @TempDir
    Path dir;

    Path file() {
        return dir.resolve("ledger.db");
    }

    @Override
    LedgerStore store() {
        return LedgerStore.sqlite(file());
    }

    @Test
    void theFileIsInWriteAheadLogMode() throws Exception {
        Ledger.open(file().toString()).close();
        try (Connection c = store().connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA journal_mode")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("wal");
        }
    }

    @Test
    void aFileThatIsNotALedgerIsAClearError() throws Exception {
        Files.writeString(file(), "not a database, just words ".repeat(200));
        assertThatThrownBy(() -> Ledger.open(file().toString()))
                .isInstanceOf(LedgerException.class)
                .hasMessageStartingWith("cannot open the ledger " + file());
    }

    @Test
    void aSqliteLocationCreatesTheDirectoriesItNeeds() {
        Path nested = dir.resolve(".cutter").resolve("deep").resolve("ledger.db");
        try (Ledger ledger = Ledger.open("sqlite:" + nested)) {
            assertThat(ledger.location()).isEqualTo(nested.toString());
        }
        assertThat(nested).exists();
        assertThat(Database.sqliteFile("sqlite:///var/lib/cutter/ledger.db")).isEqualTo(Path.of("/var/lib/cutter/ledger.db"));
        assertThat(Database.sqliteFile(".cutter/ledger.db")).isEqualTo(Path.of(".cutter/ledger.db"));
    }
}
