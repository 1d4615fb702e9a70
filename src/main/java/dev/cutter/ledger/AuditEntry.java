package dev.cutter.ledger;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * One state-changing call to the server, allowed or not: who, what, on what, when, how it ended.
 *
 * @param seq     increases by one per entry, for paging
 * @param actor   e.g. {@code token t3f9 (ci-bot)}, {@code webhook github}, {@code cli}
 * @param action  e.g. {@code release}, {@code promote}, {@code cancel}, {@code login}, {@code token create}
 * @param subject what it was about, e.g. {@code demo v1.2.3} or a run id
 * @param outcome e.g. {@code started r20261201-101500-ab12}, {@code denied: …}, {@code refused: …}
 * @param source  where the call came from: a remote address, or {@code cli}
 */
public record AuditEntry(long seq, Instant at, String actor, String action, String subject, String outcome, String source) {
    public AuditEntry {
        requireNonNull(at, "at");
        requireNonNull(actor, "actor");
        requireNonNull(action, "action");
        requireNonNull(subject, "subject");
        requireNonNull(outcome, "outcome");
        requireNonNull(source, "source");
    }
}
