package dev.cutter.cli;

import picocli.CommandLine.Option;

/**
 * Where the ledger is: {@code --ledger}, else {@code CUTTER_LEDGER}, else {@code .cutter/ledger.db}
 * beside the spec ({@link dev.cutter.app.Services#ledgerLocation}). A file path or a {@code
 * postgresql://} URL; {@code Ledger.open} reads either.
 */
final class LedgerOptions {
    @Option(names = "--ledger", paramLabel = "LOCATION",
            description = "The ledger: a SQLite file, or postgresql://[USER[:PASSWORD]@]HOST[:PORT]/DATABASE for one "
                    + "shared by many machines (password from the URL, PGPASSWORD or ~/.pgpass). "
                    + "Default: $CUTTER_LEDGER, else .cutter/ledger.db beside the spec.")
    String ledger;
}
