package dev.cutter.cli;

import dev.cutter.ledger.Effect;
import java.io.PrintWriter;
import java.util.List;

/** The "published:" block a release and a promotion end with: each target and what it holds now. */
final class Published {
    private Published() {}

    static void print(PrintWriter out, List<Effect> effects) {
        out.println("published:");
        for (Effect e : effects) {
            out.println("  " + e.target() + "  " + e.after() + (e.kind().equals(Effect.CONFIRMED) ? " (already there)"
                    : e.before().map(b -> " (was " + b + ")").orElse("")));
        }
    }
}
