package dev.cutter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A ledger an older Cutter wrote, which claimed whole versions: a version it released stays
 * released, and its claim becomes the claims of the publications its recorded plan made.
 */
class OlderLedgerClaimsTest {
    static final String SHA = "0123456789abcdef0123456789abcdef01234567";
    static final String LATER = "89abcdef0123456789abcdef0123456789abcdef";

    @TempDir
    Path dir;

    Path spec() throws Exception {
        Files.writeString(dir.resolve("app.txt"), "app\n");
        Path file = dir.resolve("cutter.yaml");
        Files.writeString(file, """
                project: demo
                registries:
                  local: { layout: "dist/oci" }
                images:
                  - id: app
                    platforms: [linux/amd64]
                    from: scratch
                    files: { /app: "app.txt" }
                    push: "local/demo/app"
                    tags: [ "{version}" ]
                """);
        return file;
    }

    /** The ledger as a Cutter before claims by publication leaves it: schema 6, the version claimed whole. */
    void asAnOlderCutterLeftIt(String runId) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(".cutter/ledger.db"));
                Statement s = c.createStatement()) {
            s.execute("DROP TABLE publication_claims");
            s.execute("DROP TABLE run_versions"); // and what migration 8 made
            s.execute("DROP INDEX runs_by_version_start");
            s.execute("DELETE FROM schema_version WHERE version >= 7");
            s.execute("INSERT INTO version_claims (project, version, run_id, claimed_at) VALUES ('demo', 'v1.0.0', '" + runId + "', 1)");
        }
    }

    List<String> rows(String sql) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(".cutter/ledger.db"));
                Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                rows.add(rs.getString(1));
            }
        }
        return rows;
    }

    @Test
    void aVersionAnOlderCutterReleasedStaysReleasedAndItsPublicationsAreClaimedFromItsRecordedPlan() throws Exception {
        Path file = spec();
        CliTest.Result first = CliTest.run("release", "-f", file.toString(), "--version", "1.0.0", "--sha", SHA);
        assertThat(first.code()).as(first.out() + first.err()).isZero();
        String runId = rows("SELECT id FROM runs").getFirst();
        asAnOlderCutterLeftIt(runId);

        CliTest.Result changed = CliTest.run("release", "-f", file.toString(), "--version", "1.0.0", "--sha", LATER);
        CliTest.Result same = CliTest.run("release", "-f", file.toString(), "--version", "1.0.0", "--sha", SHA);

        assertThat(changed.code()).as(changed.out() + changed.err()).isEqualTo(3);
        assertThat(changed.out()).contains("was already released by run " + runId + " with other content than this plan makes: push/app (");
        assertThat(same.code()).as(same.out() + same.err()).isZero();
        assertThat(same.out()).contains("was already released by run " + runId).contains("nothing to do");
        assertThat(rows("SELECT run_id FROM version_claims")).isEmpty();
        assertThat(rows("SELECT run_id || ' ' || publication FROM publication_claims")).singleElement().asString()
                .startsWith(runId + " push/app ");
    }
}
