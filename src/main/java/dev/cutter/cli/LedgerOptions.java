package dev.cutter.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where the ledger is: {@code --ledger}, else {@code CUTTER_LEDGER}, else {@code .cutter/ledger.db} beside the spec. */
final class LedgerOptions {
    @Option(names = "--ledger", paramLabel = "LOCATION",
            description = "The ledger: a SQLite file (default .cutter/ledger.db beside the spec, or $CUTTER_LEDGER).")
    String ledger;

    String location(Path specFile) {
        if (ledger != null) {
            return ledger;
        }
        String env = System.getenv("CUTTER_LEDGER");
        if (env != null && !env.isBlank()) {
            return env;
        }
        Path dir = specFile.toAbsolutePath().getParent();
        return (dir == null ? Path.of(".cutter") : dir.resolve(".cutter")).resolve("ledger.db").toString();
    }
}
