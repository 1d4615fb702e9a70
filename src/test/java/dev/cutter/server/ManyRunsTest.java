package dev.cutter.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ten thousand runs in the ledger: the runs page and the API answer any page, the first or the
 * last, on an index, in about the time of the first.
 */
class ManyRunsTest {
    static final int RUNS = 10_000;

    @TempDir
    Path dir;

    @Test
    void everyPageOfTenThousandRunsIsReadOnAnIndexAndAnswersQuickly() throws Exception {
        try (ServerFixture fixture = new ServerFixture(dir)) {
            Path db = dir.resolve(".cutter/ledger.db");
            List<String> ids = insert(db);
            String viewer = fixture.token(Role.VIEWER);

            List<String> plans = plans(db, ids.get(100));
            for (String plan : plans) {
                assertThat(plan.lines()).as("every runs query reads an index, never the whole table").doesNotContain("SCAN runs");
            }
            for (String plan : plans.subList(0, 4)) {
                assertThat(plan).as("a page comes in index order: nothing is sorted").doesNotContain("TEMP B-TREE");
            }
            fixture.get("/api/runs", viewer); // warm up the JIT and the page cache once
            long first = time(() -> assertThat(fixture.get("/api/runs?limit=50", viewer).json().get("runs")).hasSize(50));
            long deep = time(() -> assertThat(fixture.get("/api/runs?limit=50&before=" + ids.get(50), viewer).json().get("runs")).hasSize(50));
            long filtered = time(() -> assertThat(fixture.get("/api/runs?project=p3&state=failed", viewer).json().get("runs")).hasSize(50));
            String cookie = fixture.send(HttpRequest.newBuilder(URI.create(fixture.url("/login")))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("token=" + viewer)).build()).response().headers()
                    .firstValue("Set-Cookie").orElseThrow().split(";")[0];
            long page = time(() -> assertThat(fixture.send(HttpRequest.newBuilder(URI.create(fixture.url("/?before=" + ids.get(50))))
                    .header("Cookie", cookie).GET().build()).body()).contains("Older runs"));
            System.out.printf("10,000 runs: first page %d ms, last page %d ms, filtered %d ms, dashboard's last page %d ms%n",
                    first, deep, filtered, page);
            assertThat(List.of(first, deep, filtered, page)).allMatch(ms -> ms < 1000);
        }
    }

    /** Ten thousand finished runs across five projects, written in one transaction (oldest first). */
    static List<String> insert(Path db) throws Exception {
        List<String> ids = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
            c.setAutoCommit(false);
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO runs (id, project, version, tag, channel, plan_digest, state,"
                    + " started_at, finished_at, heartbeat_at, host, pid, kind) VALUES (?, ?, ?, ?, 'stable', 'sha256:00', ?, ?, ?, ?, 'h', 1,"
                    + " 'RELEASE')")) {
                long t0 = 1_700_000_000_000L;
                for (int i = 0; i < RUNS; i++) {
                    String id = String.format("r%08d", i);
                    ids.add(id);
                    long start = t0 + i * 1000L;
                    insert.setString(1, id);
                    insert.setString(2, "p" + (i % 5));
                    insert.setString(3, "1." + i);
                    insert.setString(4, "v1." + i);
                    insert.setString(5, i % 7 == 0 ? "FAILED" : "SUCCEEDED");
                    insert.setLong(6, start);
                    insert.setLong(7, start + 500);
                    insert.setLong(8, start + 500);
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            c.commit();
        }
        return ids;
    }

    /** SQLite's plans for the runs queries the server makes. */
    static List<String> plans(Path db, String before) throws Exception {
        List<String> sql = List.of(
                "SELECT * FROM runs WHERE 1 = 1 ORDER BY started_at DESC, id DESC LIMIT 50",
                "SELECT * FROM runs WHERE 1 = 1 AND project = 'p1' ORDER BY started_at DESC, id DESC LIMIT 50",
                "SELECT * FROM runs WHERE 1 = 1 AND state = 'FAILED' ORDER BY started_at DESC, id DESC LIMIT 50",
                "SELECT * FROM runs WHERE 1 = 1 AND started_at <= 1700000100000 AND (started_at < 1700000100000 OR id < '" + before
                        + "') ORDER BY started_at DESC, id DESC LIMIT 50",
                "SELECT * FROM runs WHERE state = 'RUNNING' OR started_at > 1 OR finished_at > 1 ORDER BY started_at, id");
        List<String> plans = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            for (String q : sql) {
                StringBuilder plan = new StringBuilder(q).append(" ->");
                try (ResultSet rs = s.executeQuery("EXPLAIN QUERY PLAN " + q)) {
                    while (rs.next()) {
                        plan.append("\n").append(rs.getString(4));
                    }
                }
                plans.add(plan.toString());
            }
        }
        return plans;
    }

    interface Step {
        void run() throws Exception;
    }

    static long time(Step step) throws Exception {
        long start = System.nanoTime();
        step.run();
        return (System.nanoTime() - start) / 1_000_000;
    }
}
