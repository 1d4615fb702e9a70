package dev.cutter.run;

import dev.cutter.ledger.Artifact;
import dev.cutter.ledger.Effect;
import java.util.List;

/**
 * How a job ended when it did not fail: {@code done} (it made its effects) or {@code skipped}
 * (the target already held them — a result, not an error; law 4), with what it produced.
 */
public record JobOutcome(boolean skipped, String detail, List<Artifact> outputs, List<Effect> effects) {
    public static JobOutcome done(List<Artifact> outputs, List<Effect> effects) {
        return new JobOutcome(false, "", List.copyOf(outputs), List.copyOf(effects));
    }

    public static JobOutcome done(String detail, List<Artifact> outputs, List<Effect> effects) {
        return new JobOutcome(false, detail, List.copyOf(outputs), List.copyOf(effects));
    }

    public static JobOutcome skipped(String reason, List<Artifact> outputs) {
        return new JobOutcome(true, reason, List.copyOf(outputs), List.of());
    }

    /** Skipped, with what it found already in place ({@code confirmed} effects) for the ledger. */
    public static JobOutcome skipped(String reason, List<Artifact> outputs, List<Effect> confirmed) {
        return new JobOutcome(true, reason, List.copyOf(outputs), List.copyOf(confirmed));
    }
}
