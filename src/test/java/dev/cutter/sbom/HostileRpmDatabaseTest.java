package dev.cutter.sbom;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An image's rpm database is a file its maker wrote: SQLite runs what its schema says. A base
 * image (anyone's) whose {@code rpmdb.sqlite} makes {@code Packages} an endless view, a table of
 * computed gigabyte blobs or a virtual table must not hang or exhaust the release that lists its
 * packages; it is refused, quickly, as not an rpm database.
 */
class HostileRpmDatabaseTest {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {
        // a view that never ends (a recursive query), sorted: it would run and grow for ever
        "CREATE VIEW Packages AS WITH RECURSIVE c(hnum, blob) AS (SELECT 1, x'00' UNION ALL SELECT hnum + 1, x'00' FROM c)"
                + " SELECT hnum, blob FROM c",
        // a table whose blob is computed: 900 MB for every row read
        "CREATE TABLE Packages (hnum INTEGER PRIMARY KEY, n INTEGER, blob BLOB GENERATED ALWAYS AS (zeroblob(900000000)) VIRTUAL);"
                + " INSERT INTO Packages (n) VALUES (1), (2), (3)",
        // a stored blob larger than any rpm header
        "CREATE TABLE Packages (hnum INTEGER PRIMARY KEY, blob BLOB); INSERT INTO Packages (blob) VALUES (zeroblob(40000000))",
        // a virtual table (an FTS index) in the place of the table
        "CREATE VIRTUAL TABLE Packages USING fts5(hnum, blob)",
    })
    void aHostileSchemaIsRefusedQuickly(String schema) throws Exception {
        Path db = tmp.resolve("rpmdb.sqlite");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            for (String statement : schema.split("; ")) {
                s.execute(statement);
            }
        }
        byte[] bytes = Files.readAllBytes(db);

        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> assertThatThrownBy(
                () -> PackageDatabases.read("var/lib/rpm/rpmdb.sqlite", bytes))
                .isInstanceOf(IOException.class).hasMessageContaining("/var/lib/rpm/rpmdb.sqlite is not an rpm SQLite database"));
    }
}
