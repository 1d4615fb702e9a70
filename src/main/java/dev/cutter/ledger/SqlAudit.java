package dev.cutter.ledger;

import static dev.cutter.ledger.Database.exists;
import static dev.cutter.ledger.Database.query;
import static dev.cutter.ledger.Database.requireLimit;
import static dev.cutter.ledger.Database.update;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The audit trail: entries numbered without gaps across every process that shares the ledger. */
final class SqlAudit {
    private final Database database;

    SqlAudit(Database database) {
        this.database = database;
    }

    AuditEntry audit(String actor, String action, String subject, String outcome, String source) {
        return database.write("record an audit entry", c -> appendAudit(c, actor, action, subject, outcome, source, false)).orElseThrow();
    }

    Optional<AuditEntry> auditOnce(String actor, String action, String subject, String outcome, String source) {
        return database.write("record an audit entry", c -> appendAudit(c, actor, action, subject, outcome, source, true));
    }

    private Optional<AuditEntry> appendAudit(Connection c, String actor, String action, String subject, String outcome, String source,
            boolean once) throws SQLException {
        // writers queue on the one row of audit_sequence (PostgreSQL locks it; SQLite has one writer),
        // so two entries never take the same number, and a look for an entry before appending it is atomic
        update(c, "INSERT INTO audit_sequence (id, last_seq) VALUES (1, 0) ON CONFLICT (id) DO NOTHING");
        long seq = query(c, "SELECT last_seq FROM audit_sequence WHERE id = 1" + database.dialect().forUpdate(), rs -> rs.getLong(1))
                .getFirst() + 1;
        if (once && exists(c, "SELECT seq FROM audit WHERE action = ? AND subject = ?", action, subject)) {
            return Optional.empty();
        }
        update(c, "UPDATE audit_sequence SET last_seq = ? WHERE id = 1", seq);
        Instant at = database.now();
        update(c, "INSERT INTO audit (seq, at, actor, action, subject, outcome, source) VALUES (?, ?, ?, ?, ?, ?, ?)",
                seq, at.toEpochMilli(), actor, action, subject, outcome, source);
        return Optional.of(new AuditEntry(seq, at, actor, action, subject, outcome, source));
    }

    Optional<AuditEntry> starter(String runId) {
        // the server writes "started RUN", the command line "released RUN" (or how it ended); a resume is not the start
        return database.read("read who started run " + runId, c -> query(c, "SELECT seq, at, actor, action, subject, outcome, source "
                + "FROM audit WHERE action IN ('release', 'promote') AND (outcome LIKE ? OR outcome LIKE ?) ORDER BY seq LIMIT 1",
                rs -> new AuditEntry(rs.getLong(1), Instant.ofEpochMilli(rs.getLong(2)), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getString(6), rs.getString(7)), "% " + runId, "% " + runId + ":%")).stream().findFirst();
    }

    List<AuditEntry> auditEntries(long beforeSeq, int limit) {
        requireLimit(limit);
        return database.read("read the audit trail", c -> query(c, "SELECT seq, at, actor, action, subject, outcome, source FROM audit "
                + "WHERE seq < ? ORDER BY seq DESC LIMIT ?", rs -> new AuditEntry(rs.getLong(1), Instant.ofEpochMilli(rs.getLong(2)),
                        rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7)), beforeSeq, limit));
    }
}
