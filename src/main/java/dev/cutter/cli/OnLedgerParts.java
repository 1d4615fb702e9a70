package dev.cutter.cli;

import dev.cutter.ledger.LedgerParts;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;

/**
 * A subcommand that looks after the ledger (its access records, its upkeep): its options checked,
 * the ledger opened, the subcommand's work on it, the ledger closed.
 */
abstract class OnLedgerParts implements Callable<Integer> {
    @Mixin
    Project project;

    /** What the subcommand checks of its options before the ledger is opened, so that a bad one opens (or makes) none. */
    void check() {}

    @Override
    public final Integer call() throws Exception {
        check();
        try (LedgerParts ledger = project.openLedgerParts()) {
            return call(ledger, project.out());
        }
    }

    /** The subcommand's work on the open {@code ledger}, printing to {@code out}; its exit code. */
    abstract int call(LedgerParts ledger, PrintWriter out) throws Exception;
}
