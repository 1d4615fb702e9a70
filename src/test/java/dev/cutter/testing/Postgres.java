package dev.cutter.testing;

import java.net.URI;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Properties;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A fresh PostgreSQL database for one test class, on the server {@code CUTTER_TEST_POSTGRES} names
 * (default {@value #DEFAULT}; {@code scripts/postgres} starts Debian's cluster and prints it):
 * {@code cutter_test_<random>} is created before the class, emptied before each test (its
 * {@code public} schema made anew) and dropped after the class, so classes are isolated from each
 * other, from other checkouts using the same server, and from an earlier run.
 *
 * <pre>{@code @RegisterExtension static final Postgres POSTGRES = new Postgres();}</pre>
 *
 * <p>A server that cannot be reached fails the class with the command that starts one; it never skips.
 */
public final class Postgres implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {
    public static final String DEFAULT = "postgresql://cutter:cutter@127.0.0.1:5432/postgres";

    private final URI server;
    private final String user;
    private final String password;
    private String database;

    public Postgres() {
        String url = System.getenv().getOrDefault("CUTTER_TEST_POSTGRES", "");
        server = URI.create(url.isBlank() ? DEFAULT : url.strip());
        String userInfo = server.getUserInfo() == null ? "cutter:cutter" : server.getUserInfo();
        int colon = userInfo.indexOf(':');
        user = colon < 0 ? userInfo : userInfo.substring(0, colon);
        password = colon < 0 ? "" : userInfo.substring(colon + 1);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws SQLException {
        String name = "cutter_test_" + HexFormat.of().formatHex(new SecureRandom().generateSeed(6));
        try (Connection c = connectTo(server.getPath().substring(1)); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        database = name;
    }

    @Override
    public void beforeEach(ExtensionContext context) throws SQLException {
        empty();
    }

    /** Drops every table of the test database: its {@code public} schema is made anew. */
    public void empty() throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA public CASCADE");
            s.execute("CREATE SCHEMA public");
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws SQLException {
        if (database != null) {
            try (Connection c = connectTo(server.getPath().substring(1)); Statement s = c.createStatement()) {
                // FORCE: a process a test killed may still hold a connection for a moment
                s.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            }
        }
    }

    /** The test database as a ledger location, password included: {@code postgresql://USER:PASSWORD@HOST:PORT/DB}. */
    public String url() {
        return urlVia(endpoint());
    }

    /** The test database's URL through another {@code host:port}, such as a proxy's. */
    public String urlVia(String hostPort) {
        return "postgresql://" + user + ":" + password + "@" + hostPort + "/" + database;
    }

    /** The same URL without a password, for tests of where else the password comes from. */
    public String urlWithoutPassword() {
        return "postgresql://" + user + "@" + endpoint() + "/" + database;
    }

    public String password() {
        return password;
    }

    /** {@code host:port} of the server. */
    public String endpoint() {
        return host() + ":" + port();
    }

    public String host() {
        return server.getHost();
    }

    public int port() {
        return server.getPort() < 0 ? 5432 : server.getPort();
    }

    /** The name of the test database. */
    public String database() {
        return database;
    }

    public String user() {
        return user;
    }

    /** A plain JDBC connection to the test database, in autocommit mode. */
    public Connection connect() throws SQLException {
        return connectTo(database);
    }

    private Connection connectTo(String name) {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        properties.setProperty("password", password);
        properties.setProperty("connectTimeout", "5");
        try {
            return DriverManager.getConnection("jdbc:postgresql://" + endpoint() + "/" + name, properties);
        } catch (SQLException e) {
            throw new AssertionError("PostgreSQL is not usable at " + endpoint() + " as " + user + " (" + e.getMessage()
                    + "); run scripts/setup && scripts/postgres, or set CUTTER_TEST_POSTGRES to a server's URL", e);
        }
    }
}
