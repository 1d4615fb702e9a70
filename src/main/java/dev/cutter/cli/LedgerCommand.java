package dev.cutter.cli;

import dev.cutter.ledger.LedgerParts;
import dev.cutter.ledger.Pruning;
import dev.cutter.plan.PlanException;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code cutter ledger prune}: the ledger's upkeep as it collects years of runs. */
@Command(name = "ledger", description = "Look after the ledger.", subcommands = {LedgerCommand.Prune.class})
final class LedgerCommand extends CommandGroup {

    @Command(name = "prune", description = "Drop the log lines of runs that ended more than N days ago. Runs, plans, jobs,"
            + " effects, artifacts, claims and tag locks stay, so every law refuses what it refused before.",
            footer = {"%nExamples:", "  cutter ledger prune --keep-days 90", "  cutter ledger prune --keep-days 30 --dry-run --json"})
    static final class Prune extends OnLedgerParts {
        @Mixin
        JsonOption json;

        @Option(names = "--keep-days", required = true, paramLabel = "N",
                description = "Keep the logs of runs that ended in the last N days (and of runs still running).")
        int keepDays;

        @Option(names = "--dry-run", description = "Count what would go; change nothing.")
        boolean dryRun;

        @Override
        void check() {
            if (keepDays < 0) {
                throw new PlanException("--keep-days " + keepDays + ": give a number of days, 0 or more");
            }
        }

        @Override
        int call(LedgerParts ledger, PrintWriter out) {
            Instant before = project.services().clock().instant().minus(Duration.ofDays(keepDays));
            Pruning.Pruned pruned = ledger.pruning().prune(before, dryRun);
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("endedBefore", before.toString());
            result.put("dryRun", dryRun);
            result.put("runs", pruned.runs());
            result.put("logLines", pruned.logLines());
            json.print(out, result, () -> out.println((dryRun ? "would drop " : "dropped ") + pruned.logLines() + " log lines of "
                    + pruned.runs() + " runs that ended before " + before + "; runs, effects, claims and tag locks kept"));
            return ExitCode.OK;
        }
    }
}
