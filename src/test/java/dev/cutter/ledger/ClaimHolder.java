package dev.cutter.ledger;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A release process in miniature, for tests: opens the ledger, starts a run, claims the
 * publication {@link ClaimTest#PUSH} of {@code project}/{@code version}, prints {@code CLAIMED <run id>} (or {@code REFUSED <run id> held
 * by <holder id>}), then beats its heart every 100 ms until it is killed.
 *
 * <p>Arguments: {@code LEDGER PROJECT VERSION [--on-go]}. With {@code --on-go} it prints
 * {@code READY <run id>} once its run is started and claims when a line arrives on its standard
 * input, so a test can release several processes at one moment.
 */
public final class ClaimHolder {
    private ClaimHolder() {
    }

    public static void main(String[] args) throws Exception {
        // a process of its own, as the CLI is: its ledger sees its environment (PGPASSWORD)
        Ledger ledger = Ledger.open(args[0], java.time.Clock.systemUTC(), System.getenv());
        Run run = ledger.startRun(Runs.of(args[1], args[2], "build"));
        if (args.length > 3 && args[3].equals("--on-go")) {
            System.out.println("READY " + run.id());
            System.out.flush();
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        }
        Claim claim = ledger.claim(args[1], args[2], run.id(), ClaimTest.PUSH, Duration.ofSeconds(30), false);
        System.out.println(claim.granted() ? "CLAIMED " + run.id()
                : "REFUSED " + run.id() + " held by " + claim.publications().getFirst().holder().orElseThrow().id());
        System.out.flush();
        while (true) {
            Thread.sleep(100); // a live holder beats until it is killed
            ledger.heartbeat(run.id());
        }
    }
}
