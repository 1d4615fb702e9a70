package dev.cutter.ledger;

import static dev.cutter.ledger.Database.query;
import static dev.cutter.ledger.Database.requireLimit;
import static dev.cutter.ledger.SqlLedger.RUN_COLUMNS;
import static dev.cutter.ledger.SqlLedger.selectRun;
import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.Optional;

/** The dashboard's reads of runs, over the indexes and the table of versions migrations 4 and 8 made for them. */
final class SqlRunSearch implements RunSearch {
    /**
     * The runs running, started or finished after a time (what a watcher polls every quarter
     * second), as three queries each answered from its own index and merged here: one query with
     * {@code OR} or {@code UNION} and an order made SQLite read every run of the ledger instead.
     */
    static final List<String> CHANGED = List.of(
            "SELECT " + RUN_COLUMNS + " FROM runs WHERE state = ?",
            "SELECT " + RUN_COLUMNS + " FROM runs WHERE started_at > ?",
            "SELECT " + RUN_COLUMNS + " FROM runs WHERE finished_at > ?");
    /** A project's versions, the most recently started first, from the table each run's start keeps up. */
    static final String VERSIONS = "SELECT version FROM run_versions WHERE project = ? ORDER BY last_started DESC, version DESC LIMIT ?";

    private final Database database;

    SqlRunSearch(Database database) {
        this.database = database;
    }

    @Override
    public List<Run> runs(RunFilter filter) {
        requireNonNull(filter, "filter");
        return database.read("list runs", c -> {
            StringBuilder where = new StringBuilder(" WHERE 1 = 1");
            List<Object> parameters = new ArrayList<>();
            filter.project().ifPresent(p -> {
                where.append(" AND project = ?");
                parameters.add(p);
            });
            filter.state().ifPresent(s -> {
                where.append(" AND state = ?");
                parameters.add(s.name());
            });
            if (filter.before().isPresent()) {
                Optional<Run> last = selectRun(c, filter.before().get());
                if (last.isEmpty()) {
                    return List.<Run>of(); // a page after a run that is gone: nothing is older than nothing
                }
                long started = last.get().started().toEpochMilli();
                // the range on started_at alone lets the index seek to the page; the OR only breaks ties
                where.append(" AND started_at <= ? AND (started_at < ? OR id < ?)");
                parameters.addAll(List.of(started, started, last.get().id()));
            }
            parameters.add(filter.limit());
            return query(c, "SELECT " + RUN_COLUMNS + " FROM runs" + where + " ORDER BY started_at DESC, id DESC LIMIT ?",
                    SqlLedger::toRun, parameters.toArray());
        });
    }

    @Override
    public List<Run> runsChangedSince(Instant since) {
        long after = since.toEpochMilli();
        return database.read("list the runs changed since " + since, c -> {
            Map<String, Run> changed = new HashMap<>();
            List<Object> parameters = List.of(RunState.RUNNING.name(), after, after);
            for (int i = 0; i < CHANGED.size(); i++) {
                for (Run run : query(c, CHANGED.get(i), SqlLedger::toRun, parameters.get(i))) {
                    changed.put(run.id(), run); // a run read again was read later: as new or newer
                }
            }
            return changed.values().stream().sorted(Comparator.comparing(Run::started).thenComparing(Run::id)).toList();
        });
    }

    @Override
    public List<Run> matching(String text, int limit) {
        requireLimit(limit);
        String like = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
        String digest = text.startsWith("sha256:") ? like : "sha256:" + like;
        return database.read("search runs for " + text, c -> query(c, "SELECT " + RUN_COLUMNS + " FROM runs WHERE version LIKE ? ESCAPE '\\'"
                + " OR id IN (SELECT run_id FROM effects WHERE after_value LIKE ? ESCAPE '\\')"
                + " OR id IN (SELECT run_id FROM artifacts WHERE digest LIKE ? ESCAPE '\\')"
                + " OR id IN (SELECT run_id FROM run_plans WHERE plan_json LIKE ? ESCAPE '\\' OR plan_json LIKE ? ESCAPE '\\')"
                + " ORDER BY started_at DESC, id DESC LIMIT ?", SqlLedger::toRun, like, digest, digest,
                "%\"sha\":\"" + like, "%\"sha\" : \"" + like, limit));
    }

    @Override
    public List<String> versions(String project, int limit) {
        requireLimit(limit);
        return database.read("list the versions of " + project, c -> query(c, VERSIONS, rs -> rs.getString(1), project, limit));
    }
}
