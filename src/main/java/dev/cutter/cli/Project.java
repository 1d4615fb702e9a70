package dev.cutter.cli;

import dev.cutter.ledger.Ledger;
import dev.cutter.spec.Spec;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;

/**
 * The spec and ledger a command works on ({@code -f FILE}, {@code --ledger LOCATION}) and what its
 * command line gives it ({@link Wiring}): the one mixin of every command that reads a spec and
 * records in, or reads, its ledger.
 */
@picocli.CommandLine.Command // a mixin of mixins
final class Project extends Wiring {
    @Mixin
    SpecOptions spec;

    @Mixin
    LedgerOptions ledger;

    /** The spec's file as given ({@code cutter.yaml} unless {@code -f} says otherwise). */
    Path file() {
        return spec.file;
    }

    /** {@code --ledger} as given, or null. */
    String ledgerOption() {
        return ledger.ledger;
    }

    /** The spec {@code -f} names, against the working directory. */
    Spec spec() {
        return spec(spec.file);
    }

    /** Where the spec's ledger is, as {@code --ledger} and the environment say. */
    String ledgerLocation() {
        return ledger(ledger, spec.file);
    }

    /** The spec's ledger, opened. */
    Ledger openLedger() {
        return services().ledger(ledgerLocation());
    }
}
