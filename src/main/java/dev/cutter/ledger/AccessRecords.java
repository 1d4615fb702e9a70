package dev.cutter.ledger;

import java.util.List;
import java.util.Optional;

/**
 * What the server keeps in the ledger about who may do what, and what was done: API tokens
 * (hashed at rest) and the audit trail. Beside the runs, so a shared ledger shares both.
 */
public interface AccessRecords {
    /** Records a new token; its id must be new. */
    void addToken(ApiToken token);

    Optional<ApiToken> token(String id);

    /** Every token, revoked ones too, oldest first. */
    List<ApiToken> tokens();

    /** Revokes the token; false when there is no such token or it was revoked already. */
    boolean revokeToken(String id);

    /** Appends an entry at the ledger's time and returns it with its sequence number. */
    AuditEntry audit(String actor, String action, String subject, String outcome, String source);

    /**
     * Appends the entry unless the trail holds one with the same action and subject already, and
     * returns it; empty when it was there. Atomic, as writers of the trail queue on its sequence:
     * of two callers at once, one gets the entry. (The server records webhook deliveries by id so.)
     */
    Optional<AuditEntry> auditOnce(String actor, String action, String subject, String outcome, String source);

    /** Up to {@code limit} entries with a seq below {@code beforeSeq}, newest first. */
    List<AuditEntry> auditEntries(long beforeSeq, int limit);

    /** The entry of whoever started {@code runId} (a release or promotion, from the server or the command line), if recorded. */
    Optional<AuditEntry> starter(String runId);
}
