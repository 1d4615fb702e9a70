package dev.cutter.sbom;

import dev.cutter.content.Digest;
import dev.cutter.pkg.rpm.RpmHeader;
import dev.cutter.pkg.rpm.RpmTag;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The package databases of the common distributions, read as their package managers write them:
 * dpkg's {@code status} file and distroless's {@code status.d/} directory (RFC 822 stanzas),
 * apk's {@code installed} (one letter and a colon per line), and rpm's SQLite database
 * ({@code rpmdb.sqlite}, rpm 4.16 and later: one header blob per package). rpm's older Berkeley
 * DB and NDB databases are not read.
 */
public final class PackageDatabases {
    private PackageDatabases() {}

    /** Whether {@code path} (in an image, no leading slash) is a database this class reads. */
    public static boolean isDatabase(String path) {
        return path.equals("var/lib/dpkg/status") || (path.startsWith("var/lib/dpkg/status.d/") && !path.endsWith(".md5sums"))
                || path.equals("lib/apk/db/installed") || path.endsWith("rpm/rpmdb.sqlite")
                && (path.equals("var/lib/rpm/rpmdb.sqlite") || path.equals("usr/lib/sysimage/rpm/rpmdb.sqlite"));
    }

    /** How many databases {@link #read} keeps parsed: a run's images stand on a few bases. */
    static final int PARSED = 16;

    /**
     * Databases parsed before, by path and content digest, newest last: the platforms and variants
     * of a release mostly share their base's layers, and parsing 900 dpkg stanzas again for each
     * costs more than digesting the bytes.
     */
    private static final Map<String, List<OsPackage>> parsed = new LinkedHashMap<>(PARSED, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, List<OsPackage>> eldest) {
            return size() > PARSED;
        }
    };

    /**
     * The packages the database at {@code path} lists; {@code bytes} is its content. A database
     * read before, at the same path with the same content, is not parsed again.
     */
    public static List<OsPackage> read(String path, byte[] bytes) throws IOException {
        String key = path + "@" + Digest.sha256(bytes);
        synchronized (parsed) {
            List<OsPackage> known = parsed.get(key);
            if (known != null) {
                return known;
            }
        }
        List<OsPackage> packages = List.copyOf(parse(path, bytes));
        synchronized (parsed) {
            parsed.put(key, packages);
        }
        return packages;
    }

    private static List<OsPackage> parse(String path, byte[] bytes) throws IOException {
        if (path.startsWith("var/lib/dpkg/")) {
            return dpkg(new String(bytes, StandardCharsets.UTF_8), path);
        }
        if (path.equals("lib/apk/db/installed")) {
            return apk(new String(bytes, StandardCharsets.UTF_8), path);
        }
        return rpm(bytes, path);
    }

    /** dpkg's stanzas: those whose {@code Status} says installed (status.d's have none and all count). */
    static List<OsPackage> dpkg(String text, String path) {
        List<OsPackage> out = new ArrayList<>();
        for (Map<String, String> stanza : stanzas(text)) {
            String status = stanza.getOrDefault("Status", "install ok installed");
            if (!status.endsWith(" installed") || !stanza.containsKey("Package") || !stanza.containsKey("Version")) {
                continue;
            }
            out.add(new OsPackage("deb", stanza.get("Package"), stanza.get("Version"),
                    Optional.ofNullable(stanza.get("Architecture")), Optional.empty(), "/" + path));
        }
        return out;
    }

    private static List<Map<String, String>> stanzas(String text) {
        List<Map<String, String>> out = new ArrayList<>();
        Map<String, String> current = new LinkedHashMap<>();
        String last = null;
        for (String line : text.split("\n", -1)) {
            if (line.isBlank()) {
                if (!current.isEmpty()) {
                    out.add(current);
                    current = new LinkedHashMap<>();
                }
                last = null;
            } else if ((line.startsWith(" ") || line.startsWith("\t")) && last != null) {
                continue; // a continuation line (Description, Conffiles): not needed
            } else {
                int colon = line.indexOf(':');
                if (colon > 0) {
                    last = line.substring(0, colon);
                    current.put(last, line.substring(colon + 1).trim());
                }
            }
        }
        if (!current.isEmpty()) {
            out.add(current);
        }
        return out;
    }

    /** apk's {@code installed}: {@code P:} name, {@code V:} version, {@code A:} architecture, {@code L:} license. */
    static List<OsPackage> apk(String text, String path) {
        List<OsPackage> out = new ArrayList<>();
        Map<Character, String> fields = new LinkedHashMap<>();
        for (String line : (text + "\n\n").split("\n", -1)) {
            if (line.isBlank()) {
                if (fields.containsKey('P') && fields.containsKey('V')) {
                    out.add(new OsPackage("apk", fields.get('P'), fields.get('V'), Optional.ofNullable(fields.get('A')),
                            Optional.ofNullable(fields.get('L')).filter(l -> !l.isBlank()), "/" + path));
                }
                fields.clear();
            } else if (line.length() >= 2 && line.charAt(1) == ':') {
                fields.putIfAbsent(line.charAt(0), line.substring(2));
            }
        }
        return out;
    }

    /** The largest header blob read: rpm's own headers are kilobytes, a few hundred at most. */
    static final int MAX_HEADER = 16 << 20;
    /** The most packages one rpm database may list; a distribution's whole repository has fewer. */
    static final int MAX_PACKAGES = 200_000;
    /** How long the query may run. */
    static final int QUERY_SECONDS = 30;

    /**
     * rpm's SQLite database: each row of {@code Packages} is a header blob (index count, data size,
     * index, data). The file comes from whoever made the image, and SQLite runs what a schema
     * says: only a plain table {@code Packages} with stored columns is read, no view, virtual
     * table or computed column, with the schema untrusted, blobs at most {@value #MAX_HEADER}
     * bytes, at most {@value #MAX_PACKAGES} rows and a time limit on the query.
     */
    static List<OsPackage> rpm(byte[] bytes, String path) throws IOException {
        Path copy = Files.createTempFile("rpmdb", ".sqlite");
        try {
            Files.write(copy, bytes);
            List<OsPackage> out = new ArrayList<>();
            org.sqlite.SQLiteConfig config = new org.sqlite.SQLiteConfig();
            config.setReadOnly(true);
            try (Connection db = config.createConnection("jdbc:sqlite:file:" + copy + "?mode=ro");
                    Statement query = db.createStatement()) {
                db.unwrap(org.sqlite.SQLiteConnection.class).setLimit(org.sqlite.SQLiteLimits.SQLITE_LIMIT_LENGTH, MAX_HEADER);
                query.execute("PRAGMA trusted_schema = OFF");
                query.setQueryTimeout(QUERY_SECONDS);
                plainTable(query);
                try (ResultSet rows = query.executeQuery("SELECT blob FROM Packages ORDER BY hnum")) {
                    read(rows, path, out);
                }
            } catch (SQLException e) {
                throw new IOException("/" + path + " is not an rpm SQLite database: " + e.getMessage(), e);
            }
            return out;
        } finally {
            Files.deleteIfExists(copy);
        }
    }

    /** Refuses a {@code Packages} that is not a plain table of stored columns. */
    private static void plainTable(Statement query) throws SQLException {
        try (ResultSet kind = query.executeQuery("SELECT type, sql FROM sqlite_schema WHERE name = 'Packages' COLLATE NOCASE")) {
            if (!kind.next() || !"table".equals(kind.getString(1)) || kind.getString(2) == null
                    || kind.getString(2).stripLeading().regionMatches(true, 0, "CREATE VIRTUAL", 0, 14)) {
                throw new SQLException("its Packages is not a plain table");
            }
        }
        try (ResultSet columns = query.executeQuery("SELECT hidden FROM pragma_table_xinfo('Packages')")) {
            while (columns.next()) {
                if (columns.getInt(1) != 0) {
                    throw new SQLException("its Packages has computed or hidden columns");
                }
            }
        }
    }

    private static void read(ResultSet rows, String path, List<OsPackage> out) throws SQLException, IOException {
        int count = 0;
        while (rows.next()) {
            if (++count > MAX_PACKAGES) {
                throw new SQLException("it lists more than " + MAX_PACKAGES + " packages");
            }
            RpmHeader header = RpmHeader.fromDatabase(rows.getBytes(1), "/" + path);
            Optional<String> name = header.string(RpmTag.NAME);
            if (name.isEmpty() || name.get().equals("gpg-pubkey")) {
                continue; // an imported key, not a package
            }
            String version = header.string(RpmTag.VERSION).orElse("")
                    + header.string(RpmTag.RELEASE).map(r -> "-" + r).orElse("");
            Optional<Long> epoch = header.has(RpmTag.EPOCH) ? header.number(RpmTag.EPOCH) : Optional.empty();
            out.add(new OsPackage("rpm", name.get(), epoch.map(e -> e + ":").orElse("") + version,
                    header.string(RpmTag.ARCH), header.string(RpmTag.LICENSE), "/" + path));
        }
    }
}
