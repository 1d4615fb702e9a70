package dev.cutter.cli;

import dev.cutter.ledger.Ledger;
import dev.cutter.ledger.LedgerParts;
import picocli.CommandLine.Mixin;

/**
 * The spec and ledger a command works on ({@code -f FILE}, {@code --ledger LOCATION}) and what its
 * command line gives it ({@link Wiring}): the one mixin of every command that reads a spec and
 * records in, or reads, its ledger ({@link SpecWiring} with {@code --ledger}).
 */
@picocli.CommandLine.Command // a mixin of mixins
final class Project extends SpecWiring {
    @Mixin
    LedgerOptions ledger;

    /** {@code --ledger} as given, or null. */
    String ledgerOption() {
        return ledger.ledger;
    }

    /** Where the spec's ledger is, as {@code --ledger} and the environment say. */
    String ledgerLocation() {
        return ledger(ledger, spec.file);
    }

    /** The spec's ledger with its access records, opened. */
    LedgerParts openLedgerParts() {
        return services().ledgerParts(ledgerLocation());
    }

    /** The spec's ledger, opened. */
    Ledger openLedger() {
        return services().ledger(ledgerLocation());
    }
}
