package dev.cutter.ledger;

import java.util.List;
import java.util.Optional;

/** {@link AccessRecords} as its two tables' parts: the tokens and the audit trail. */
final class SqlAccessRecords implements AccessRecords {
    private final SqlTokens tokens;
    private final SqlAudit trail;

    SqlAccessRecords(Database database) {
        this.tokens = new SqlTokens(database);
        this.trail = new SqlAudit(database);
    }

    @Override
    public void addToken(ApiToken token) {
        tokens.addToken(token);
    }

    @Override
    public Optional<ApiToken> token(String id) {
        return tokens.token(id);
    }

    @Override
    public List<ApiToken> tokens() {
        return tokens.tokens();
    }

    @Override
    public boolean revokeToken(String id) {
        return tokens.revokeToken(id);
    }

    @Override
    public AuditEntry audit(String actor, String action, String subject, String outcome, String source) {
        return trail.audit(actor, action, subject, outcome, source);
    }

    @Override
    public Optional<AuditEntry> auditOnce(String actor, String action, String subject, String outcome, String source) {
        return trail.auditOnce(actor, action, subject, outcome, source);
    }

    @Override
    public Optional<AuditEntry> starter(String runId) {
        return trail.starter(runId);
    }

    @Override
    public List<AuditEntry> auditEntries(long beforeSeq, int limit) {
        return trail.auditEntries(beforeSeq, limit);
    }
}
