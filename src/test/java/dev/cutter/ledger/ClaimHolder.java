package dev.cutter.ledger;

import java.time.Duration;

/**
 * A release process in miniature, for tests: opens the ledger, starts a run, claims
 * {@code project}/{@code version}, prints {@code CLAIMED <run id>}, then beats its heart every
 * 100 ms until it is killed.
 *
 * <p>Arguments: {@code LEDGER PROJECT VERSION}.
 */
public final class ClaimHolder {
    private ClaimHolder() {
    }

    public static void main(String[] args) throws InterruptedException {
        Ledger ledger = Ledger.open(args[0]);
        Run run = ledger.startRun(Runs.of(args[1], args[2], "build"));
        Claim claim = ledger.claim(args[1], args[2], run.id(), Duration.ofSeconds(30));
        System.out.println((claim.granted() ? "CLAIMED " : "REFUSED ") + run.id());
        System.out.flush();
        while (true) {
            Thread.sleep(100); // a live holder beats until it is killed
            ledger.heartbeat(run.id());
        }
    }
}
