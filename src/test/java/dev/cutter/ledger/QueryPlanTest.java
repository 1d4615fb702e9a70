package dev.cutter.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ledger's queries that every release, promotion and dashboard poll runs find their rows by
 * index, so they cost the same at 100,000 runs as at 10: SQLite's own query plans, read with
 * {@code EXPLAIN QUERY PLAN} on a ledger as Cutter makes it. A plan that scans the runs table, or
 * sorts a project's runs, would cost time growing with the ledger (about 150 ms a call at 100,000
 * runs on the benchmark machine).
 */
class QueryPlanTest {
    @TempDir
    Path dir;

    @Test
    void aVersionsRunsAreFoundInStartOrderByIndex() throws Exception {
        assertThat(plan(SqlLedger.RUNS_OF, "app", "1.0.0")).singleElement().asString()
                .contains("runs_by_version_start").doesNotContain("SCAN").doesNotContain("TEMP B-TREE");
    }

    @Test
    void aProjectsVersionsAreReadNewestFirstWithoutGroupingItsRuns() throws Exception {
        assertThat(plan(SqlRunSearch.VERSIONS, "app", 20)).singleElement().asString()
                .contains("run_versions_by_start").doesNotContain("SCAN").doesNotContain("TEMP B-TREE");
    }

    @Test
    void whatAWatcherPollsReadsOnlyTheRunsThatChanged() throws Exception {
        assertThat(plan(SqlRunSearch.CHANGED.get(0), "RUNNING")).singleElement().asString().contains("runs_by_state_start");
        assertThat(plan(SqlRunSearch.CHANGED.get(1), 5L)).singleElement().asString().contains("SEARCH runs USING")
                .contains("runs_by_start");
        assertThat(plan(SqlRunSearch.CHANGED.get(2), 5L)).singleElement().asString().contains("runs_by_finish");
    }

    private List<String> plan(String sql, Object... parameters) throws Exception {
        Path file = dir.resolve("ledger.db");
        Ledger.open(file.toString()).close();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
                PreparedStatement explain = c.prepareStatement("EXPLAIN QUERY PLAN " + sql)) {
            for (int i = 0; i < parameters.length; i++) {
                explain.setObject(i + 1, parameters[i]);
            }
            List<String> steps = new ArrayList<>();
            try (ResultSet rs = explain.executeQuery()) {
                while (rs.next()) {
                    steps.add(rs.getString("detail"));
                }
            }
            return steps;
        }
    }
}
