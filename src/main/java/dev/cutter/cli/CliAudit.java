package dev.cutter.cli;

import dev.cutter.app.Services;
import dev.cutter.ledger.LedgerParts;
import dev.cutter.run.Outcome;

/**
 * A release, resume or promotion run from the command line, appended to its ledger's audit trail
 * as the server appends its own ({@code cli (user)}, what, on what, how it ended, pid and host), so
 * the trail names every release whoever started it.
 */
final class CliAudit {
    private CliAudit() {}

    static void record(Services services, String ledgerLocation, String action, String subject, Outcome outcome) {
        String how = outcome.status().name().toLowerCase(java.util.Locale.ROOT)
                + (outcome.runId() == null ? "" : " " + outcome.runId())
                + (outcome.status() == Outcome.Status.RELEASED || outcome.message() == null ? "" : ": " + outcome.message());
        try (LedgerParts parts = services.ledgerParts(ledgerLocation)) {
            String source = java.util.Optional.ofNullable(outcome.runId()).flatMap(parts.ledger()::run)
                    .map(run -> "pid " + run.pid() + " on " + run.host()).orElse("pid " + ProcessHandle.current().pid());
            parts.access().audit(TokenCommand.actor(), action, subject, how, source);
        }
    }
}
