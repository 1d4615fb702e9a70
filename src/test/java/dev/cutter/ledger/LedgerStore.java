package dev.cutter.ledger;

import dev.cutter.testing.Postgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a test's ledgers live: a SQLite file or a PostgreSQL database. The behaviour tests are
 * written once against this and run on each ({@code Sqlite…Test}, {@code Postgres…Test}).
 */
interface LedgerStore {
    /** What {@link Ledger#open} is given. */
    String location();

    /** A plain JDBC connection to the same database, in autocommit mode, for what the ledger's API does not show. */
    Connection connect() throws SQLException;

    /** Makes the store as new: no tables at all. */
    void empty() throws Exception;

    /** The names of the tables in the ledger's schema, sorted. */
    default List<String> tables() throws SQLException {
        try (Connection c = connect();
                ResultSet rs = c.getMetaData().getTables(null, c.getSchema(), "%", new String[] {"TABLE"})) {
            List<String> names = new ArrayList<>();
            while (rs.next()) {
                names.add(rs.getString("TABLE_NAME"));
            }
            return names.stream().sorted().toList();
        }
    }

    static LedgerStore sqlite(Path file) {
        return new LedgerStore() {
            @Override
            public String location() {
                return file.toString();
            }

            @Override
            public Connection connect() throws SQLException {
                return DriverManager.getConnection("jdbc:sqlite:" + file);
            }

            @Override
            public void empty() throws IOException {
                for (String suffix : List.of("", "-wal", "-shm")) {
                    Files.deleteIfExists(Path.of(file + suffix));
                }
            }
        };
    }

    static LedgerStore postgres(Postgres database) {
        return new LedgerStore() {
            @Override
            public String location() {
                return database.url();
            }

            @Override
            public Connection connect() throws SQLException {
                return database.connect();
            }

            @Override
            public void empty() throws SQLException {
                database.empty();
            }
        };
    }
}
