package dev.cutter.ledger;

import static dev.cutter.ledger.Database.query;
import static dev.cutter.ledger.Database.update;

import java.time.Instant;
import java.util.Objects;

/** {@link Pruning} over the ledger's database: one statement per table, the same SQL for both databases. */
final class SqlPruning implements Pruning {
    /** The runs whose logs go: ended (any state but running) before the cut-off. */
    private static final String ENDED = "SELECT id FROM runs WHERE state <> 'RUNNING' AND finished_at < ?";

    private final Database database;

    SqlPruning(Database database) {
        this.database = database;
    }

    @Override
    public Pruned prune(Instant endedBefore, boolean dryRun) {
        Objects.requireNonNull(endedBefore, "endedBefore");
        long cutoff = endedBefore.toEpochMilli();
        Pruned pruned = database.write("prune the logs of runs ended before " + endedBefore, c -> {
            long runs = query(c, "SELECT COUNT(DISTINCT run_id) FROM logs WHERE run_id IN (" + ENDED + ")",
                    rs -> rs.getLong(1), cutoff).get(0);
            long lines = dryRun ? query(c, "SELECT COUNT(*) FROM logs WHERE run_id IN (" + ENDED + ")", rs -> rs.getLong(1),
                    cutoff).get(0) : update(c, "DELETE FROM logs WHERE run_id IN (" + ENDED + ")", cutoff);
            return new Pruned(runs, lines);
        });
        if (!dryRun && pruned.logLines() > 0 && database.dialect() == Dialect.SQLITE) {
            database.read("compact the ledger", c -> {
                try (var statement = c.createStatement()) {
                    statement.execute("VACUUM"); // outside a transaction: the file gives the pages back
                }
                return null;
            });
        }
        return pruned;
    }
}
