package dev.cutter.ledger;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A PostgreSQL ledger's URL, as libpq writes it ({@code postgresql://[user[:password]@]host[:port][,host[:port]…]/database[?k=v&…]},
 * also {@code postgres://} and pgjdbc's own {@code jdbc:postgresql://}), translated for the pgjdbc
 * driver: the user and password go to connection properties, never into the JDBC URL, so no
 * driver message can repeat them.
 *
 * <p>The password is the URL's, else {@code PGPASSWORD}'s; with neither, the driver reads
 * {@code ~/.pgpass} (or {@code PGPASSFILE}) itself. The user is the URL's, else {@code PGUSER}'s,
 * else the OS user's, as libpq does. Parameters libpq names differently from pgjdbc
 * ({@code connect_timeout}, {@code application_name}) are translated; the others (such as
 * {@code sslmode}, {@code sslrootcert}, {@code options}) mean the same to both and pass through.
 *
 * <p>Not a record: its {@code toString} must not print the password.
 */
final class PostgresLocation {
    static final int DEFAULT_PORT = 5432;

    private static final Pattern SCHEME = Pattern.compile("(?i)^(jdbc:postgresql|postgresql|postgres)://");
    private static final Pattern HOST = Pattern.compile("^(\\[[0-9A-Fa-f:.]+]|[^:\\[\\]]+)(?::(.*))?$");
    private static final Map<String, String> LIBPQ_TO_PGJDBC = Map.of(
            "connect_timeout", "connectTimeout",
            "application_name", "ApplicationName");
    /** Defaults of ours: a bounded wait for a dead host, and a name in {@code pg_stat_activity}. */
    private static final Map<String, String> DEFAULTS = Map.of("connectTimeout", "10", "ApplicationName", "cutter");

    private final List<String> endpoints;
    private final String database;
    private final String user;
    private final Optional<String> password;
    private final Map<String, String> parameters;
    private final String shown;

    private PostgresLocation(List<String> endpoints, String database, String user, Optional<String> password,
            Map<String, String> parameters, String shown) {
        this.endpoints = endpoints;
        this.database = database;
        this.user = user;
        this.password = password;
        this.parameters = parameters;
        this.shown = shown;
    }

    /** Whether {@code location} names a PostgreSQL ledger (and not a SQLite file). */
    static boolean matches(String location) {
        return SCHEME.matcher(location).find();
    }

    /**
     * @param env the environment, for {@code PGPASSWORD} and {@code PGUSER}
     * @throws LedgerException naming what is wrong in the URL (its password masked) and how it is written
     */
    static PostgresLocation parse(String location, Map<String, String> env) {
        Matcher scheme = SCHEME.matcher(location);
        if (!scheme.find()) {
            throw new IllegalArgumentException("not a PostgreSQL URL: " + Database.withoutCredentials(location));
        }
        String rest = location.substring(scheme.end());
        String query = "";
        int q = rest.indexOf('?');
        if (q >= 0) {
            query = rest.substring(q + 1);
            rest = rest.substring(0, q);
        }
        int slash = rest.indexOf('/');
        String authority = slash < 0 ? rest : rest.substring(0, slash);
        String path = slash < 0 ? "" : rest.substring(slash + 1);
        int at = authority.lastIndexOf('@');
        String userInfo = at < 0 ? null : authority.substring(0, at);
        String hosts = at < 0 ? authority : authority.substring(at + 1);

        String user = null;
        String password = null;
        if (userInfo != null) {
            int colon = userInfo.indexOf(':');
            user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon), location, "user");
            password = colon < 0 ? null : decode(userInfo.substring(colon + 1), location, "password");
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            if (eq <= 0) { // a value without a name may be a password: only a name is repeated
                throw bad(location, eq == 0 ? "a parameter has no name" : "parameter '" + pair + "' has no value",
                        "postgresql://HOST:PORT/DATABASE?sslmode=require");
            }
            String name = decode(pair.substring(0, eq), location, "a parameter name");
            String value = decode(pair.substring(eq + 1), location, "parameter " + name);
            switch (name) {
                case "user" -> user = value;
                case "password" -> password = value;
                default -> parameters.put(LIBPQ_TO_PGJDBC.getOrDefault(name, name), value);
            }
        }
        if (password != null && password.isEmpty()) {
            password = null;
        }

        if (hosts.isBlank()) {
            throw bad(location, "names no host (Cutter speaks to PostgreSQL over TCP, not a Unix socket)",
                    "postgresql://USER@HOST:5432/DATABASE");
        }
        List<String> endpoints = new ArrayList<>();
        for (String hostPort : hosts.split(",", -1)) {
            Matcher m = HOST.matcher(hostPort);
            if (!m.matches()) {
                throw bad(location, "host '" + hostPort + "' is not HOST or HOST:PORT", "postgresql://db.example:5432/ledger");
            }
            int port = DEFAULT_PORT;
            if (m.group(2) != null) {
                try {
                    port = Integer.parseInt(m.group(2));
                } catch (NumberFormatException e) {
                    port = -1;
                }
                if (port < 1 || port > 65535) {
                    throw bad(location, "port '" + m.group(2) + "' of host " + m.group(1) + " is not a number from 1 to 65535",
                            "postgresql://" + m.group(1) + ":5432/DATABASE");
                }
            }
            endpoints.add(m.group(1) + ":" + port);
        }
        String database = decode(path, location, "database");
        if (database.isBlank() || database.contains("/")) {
            throw bad(location, database.isBlank() ? "names no database" : "database '" + database + "' contains a /",
                    "postgresql://" + endpoints.getFirst() + "/DATABASE");
        }
        if (user == null || user.isEmpty()) {
            user = Optional.ofNullable(env.get("PGUSER")).filter(u -> !u.isEmpty()).orElse(System.getProperty("user.name"));
        }
        if (password == null) {
            password = Optional.ofNullable(env.get("PGPASSWORD")).filter(p -> !p.isEmpty()).orElse(null);
        }
        DEFAULTS.forEach(parameters::putIfAbsent);
        String shownQuery = parameters.entrySet().stream()
                .filter(e -> !(DEFAULTS.containsKey(e.getKey()) && DEFAULTS.get(e.getKey()).equals(e.getValue())))
                .map(e -> e.getKey() + "=" + (e.getKey().toLowerCase(Locale.ROOT).contains("password") ? "***" : e.getValue()))
                .collect(Collectors.joining("&"));
        String shown = "postgresql://" + user + (password != null ? ":***" : "") + "@" + String.join(",", endpoints) + "/"
                + database + (shownQuery.isEmpty() ? "" : "?" + shownQuery);
        return new PostgresLocation(List.copyOf(endpoints), database, user, Optional.ofNullable(password),
                Map.copyOf(parameters), shown);
    }

    private static String decode(String text, String location, String what) {
        try {
            return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw bad(location, "the " + what + " has a malformed %-escape", "%40 for @, %3A for :, %2F for /");
        }
    }

    private static LedgerException bad(String location, String problem, String example) {
        return new LedgerException("ledger " + Database.withoutCredentials(location) + ": " + problem + "; write e.g. "
                + example + " (postgresql://[USER[:PASSWORD]@]HOST[:PORT]/DATABASE[?PARAMS])");
    }

    /** The URL without its password, for messages and {@link Ledger#location()}. */
    String shown() {
        return shown;
    }

    /** {@code host:port} of each server the URL names, for messages. */
    List<String> endpoints() {
        return endpoints;
    }

    String database() {
        return database;
    }

    String user() {
        return user;
    }

    Optional<String> password() {
        return password;
    }

    String jdbcUrl() {
        return "jdbc:postgresql://" + String.join(",", endpoints) + "/"
                + URLEncoder.encode(database, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** What the driver is given besides the URL: user, password and every parameter. */
    Properties properties() {
        Properties properties = new Properties();
        parameters.forEach(properties::setProperty);
        properties.setProperty("user", user);
        password.ifPresent(p -> properties.setProperty("password", p));
        return properties;
    }

    /**
     * A new connection in autocommit mode, whose lock waits end after {@code lockTimeout}.
     *
     * @throws LedgerException naming the server and what to do when it cannot be reached, refuses
     *                         the user, or has no such database
     */
    Connection connect(Duration lockTimeout) {
        Connection connection;
        try {
            connection = DriverManager.getConnection(jdbcUrl(), properties());
        } catch (SQLException e) {
            throw cannotConnect(e);
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET lock_timeout = " + lockTimeout.toMillis());
            return connection;
        } catch (SQLException e) {
            throw cannotConnect(ConnectionPool.abandon(connection, e));
        }
    }

    private LedgerException cannotConnect(SQLException e) {
        String server = String.join(", ", endpoints);
        String state = Optional.ofNullable(e.getSQLState()).orElse("");
        String cause = mask(e.getMessage());
        String advice = switch (state) {
            // 08004: pgjdbc's "the server requested password-based authentication, but no password was provided"
            case "28P01", "28000", "08004" -> "the server at " + server + " refused user " + user + " (" + cause
                    + "); give the right password in the URL, in PGPASSWORD or in ~/.pgpass";
            case "3D000" -> "the server at " + server + " has no database " + database + " (" + cause + "); create it "
                    + "(createdb " + database + ") or name another in the URL";
            case "42501" -> "user " + user + " may not use the database " + database + " at " + server + " (" + cause
                    + "); grant it CONNECT and CREATE, or use another user";
            default -> state.startsWith("08") || state.isEmpty()
                    ? "cannot reach the PostgreSQL server at " + server + " (" + cause + "); start it, or correct the "
                            + "host and port in --ledger or CUTTER_LEDGER"
                    : "the server at " + server + " answered " + state + ": " + cause;
        };
        return new LedgerException("cannot open the ledger " + shown + ": " + advice, e);
    }

    /** {@code text} with the password replaced by {@code ***}, should a message ever repeat it. */
    String mask(String text) {
        if (text == null) {
            return "";
        }
        return password.map(p -> text.replace(p, "***")).orElse(text);
    }

    @Override
    public String toString() {
        return shown;
    }
}
