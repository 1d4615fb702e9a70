package dev.cutter.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Where a ledger lives, as the user writes it; nothing here opens a database. */
class LedgerLocationTest {
    static PostgresLocation parse(String url) {
        return PostgresLocation.parse(url, Map.of());
    }

    @Test
    void aLibpqUrlBecomesADriverUrlWithTheCredentialsAsProperties() {
        PostgresLocation location = parse("postgresql://cutter:s3cret@db.internal:5433/ledger?sslmode=require");

        assertThat(location.jdbcUrl()).isEqualTo("jdbc:postgresql://db.internal:5433/ledger");
        assertThat(location.properties()).containsEntry("user", "cutter").containsEntry("password", "s3cret")
                .containsEntry("sslmode", "require").containsEntry("ApplicationName", "cutter");
        assertThat(location.shown()).isEqualTo("postgresql://cutter:***@db.internal:5433/ledger?sslmode=require");
        assertThat(location.toString()).doesNotContain("s3cret");
        assertThat(location.endpoints()).containsExactly("db.internal:5433");
    }

    @Test
    void theOtherSpellingsAndLibpqParameterNamesAreUnderstood() {
        PostgresLocation jdbc = parse("jdbc:postgresql://db:5432/ledger?user=ops&password=pw&connect_timeout=3&application_name=ci");
        assertThat(jdbc.user()).isEqualTo("ops");
        assertThat(jdbc.password()).contains("pw");
        assertThat(jdbc.properties()).containsEntry("connectTimeout", "3").containsEntry("ApplicationName", "ci")
                .doesNotContainKeys("connect_timeout", "application_name");
        assertThat(jdbc.shown()).isEqualTo("postgresql://ops:***@db:5432/ledger?connectTimeout=3&ApplicationName=ci");

        PostgresLocation shortScheme = parse("postgres://db/ledger");
        assertThat(shortScheme.endpoints()).containsExactly("db:5432");
        assertThat(PostgresLocation.matches("POSTGRESQL://db/ledger")).isTrue();
        assertThat(PostgresLocation.matches(".cutter/ledger.db")).isFalse();
    }

    @Test
    void escapesHostListsAndIpv6AddressesAreRead() {
        PostgresLocation escaped = parse("postgresql://us%40er:p%3Ass+w@[::1]:5432,db2/my%20ledger");
        assertThat(escaped.user()).isEqualTo("us@er");
        assertThat(escaped.password()).contains("p:ss+w");
        assertThat(escaped.database()).isEqualTo("my ledger");
        assertThat(escaped.endpoints()).containsExactly("[::1]:5432", "db2:5432");
        assertThat(escaped.jdbcUrl()).isEqualTo("jdbc:postgresql://[::1]:5432,db2:5432/my%20ledger");
    }

    @Test
    void thePasswordIsTheUrlsElsePgpasswordsAndTheUserTheUrlsElsePguser() {
        Map<String, String> env = Map.of("PGPASSWORD", "from-env", "PGUSER", "release-bot");
        PostgresLocation fromEnv = PostgresLocation.parse("postgresql://db/ledger", env);
        assertThat(fromEnv.user()).isEqualTo("release-bot");
        assertThat(fromEnv.password()).contains("from-env");
        assertThat(fromEnv.shown()).isEqualTo("postgresql://release-bot:***@db:5432/ledger");

        PostgresLocation fromUrl = PostgresLocation.parse("postgresql://ops:from-url@db/ledger", env);
        assertThat(fromUrl.user()).isEqualTo("ops");
        assertThat(fromUrl.password()).contains("from-url");

        PostgresLocation none = parse("postgresql://ops@db/ledger");
        assertThat(none.password()).as("left to the driver's ~/.pgpass").isEmpty();
        assertThat(none.properties()).doesNotContainKey("password");
        assertThat(none.shown()).isEqualTo("postgresql://ops@db:5432/ledger");
    }

    @Test
    void aPasswordInAnyParameterIsMaskedWhereverTheLocationIsShown() {
        PostgresLocation location = parse("postgresql://ops@db/ledger?sslpassword=k3y&sslmode=verify-full");
        assertThat(location.shown()).isEqualTo("postgresql://ops@db:5432/ledger?sslpassword=***&sslmode=verify-full");
        assertThat(parse("postgresql://ops:s3cret@db/ledger").mask("FATAL: s3cret is wrong")).isEqualTo("FATAL: *** is wrong");
    }

    @Test
    void aMalformedUrlIsOneClearErrorThatNeverRepeatsThePassword() {
        Map<String, String> problems = Map.of(
                "postgresql://ops:s3cret@/ledger", "names no host",
                "postgresql://ops:s3cret@db:notaport/ledger", "port 'notaport' of host db is not a number from 1 to 65535",
                "postgresql://ops:s3cret@db:99999/ledger", "port '99999'",
                "postgresql://ops:s3cret@db:5432", "names no database",
                "postgresql://ops:s3cret@db/", "names no database",
                "postgresql://ops:s3cret@db/ledger?sslmode", "parameter 'sslmode' has no value",
                "postgresql://ops:s3cret@db/ledger?=s3cret", "a parameter has no name",
                "postgresql://ops:s3cret%zz@db/ledger", "the password has a malformed %-escape");
        problems.forEach((url, problem) -> assertThatThrownBy(() -> Ledger.open(url))
                .as(problem)
                .isInstanceOf(LedgerException.class)
                .hasMessageContaining(problem)
                .hasMessageContaining("postgresql://[USER[:PASSWORD]@]HOST[:PORT]/DATABASE")
                .message().doesNotContain("s3cret"));
    }

    @Test
    void otherLocationsAreRefusedOrNameAFile() {
        assertThatThrownBy(() -> Ledger.open("mysql://ops:s3cret@db/ledger"))
                .isInstanceOf(LedgerException.class).hasMessageContaining("unsupported location")
                .hasMessageContaining("postgresql://").message().doesNotContain("s3cret");
        assertThatThrownBy(() -> Ledger.open("sqlite:"))
                .isInstanceOf(LedgerException.class).hasMessageContaining("names no file");
    }

    /** The same SQL must run on PostgreSQL: keep SQLite's own dialect out of the schema. */
    @Test
    void theSchemaUsesNoSqliteOnlySyntax() {
        Pattern sqliteOnly = Pattern.compile(
                "(?i)\\b(AUTOINCREMENT|WITHOUT\\s+ROWID|PRAGMA|INSERT\\s+OR|REPLACE\\s+INTO|STRICT|DATETIME|STRFTIME|GLOB)\\b"
                        + "|\\b(BLOB|REAL|NUMERIC|VARCHAR)\\b");
        for (Schema.Migration migration : Schema.MIGRATIONS) {
            assertThat(sqliteOnly.matcher(migration.sql()).find()).as("migration " + migration.version()).isFalse();
            for (String statement : migration.statements()) {
                // DDL, or a new table filled from existing rows (INSERT … SELECT, the same in both)
                assertThat(statement).matches("(?s)(CREATE TABLE|CREATE INDEX|CREATE UNIQUE INDEX|ALTER TABLE) .*"
                        + "|INSERT INTO \\w+ \\([a-z_, ]+\\)\\s+SELECT .*");
            }
        }
    }

    @Test
    void runIdsAreShortAndSortByStartTime() {
        assertThat(SqlLedger.runId(java.time.Instant.parse("2026-11-23T09:35:12.999Z"), 0x7f3a))
                .isEqualTo("r20261123-093512-7f3a");
        assertThat(SqlLedger.runId(java.time.Instant.parse("2026-11-23T09:35:13Z"), 0))
                .isEqualTo("r20261123-093513-0000")
                .isGreaterThan(SqlLedger.runId(java.time.Instant.parse("2026-11-23T09:35:12Z"), 0xffff));
    }
}
