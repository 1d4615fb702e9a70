package dev.cutter.run;

import dev.cutter.ledger.Effect;
import dev.cutter.plan.Plan;
import java.nio.file.Path;
import java.util.List;

/**
 * What a run reads back from its targets just before it reports success: every tag it decided, on
 * every repository it tagged (the primary and each replica), must still be where it put it. A
 * registry has no compare-and-set, so another machine can tag over a release between its push and
 * its end; a run that finds that out says so (exit 3) instead of reporting a release that is no
 * longer there.
 */
public interface ReadBack {
    /** Reads nothing: for runs that publish no tags. */
    ReadBack NONE = (plan, effects, projectDir, secrets) -> new Found(List.of(), List.of());

    /**
     * @param moved   each tag that moved under the run: the tag, where the run put it, where it is
     *                now and, when the ledger knows it, the run that moved it
     * @param unread  each tag that could not be read back (the registry failed to answer)
     */
    record Found(List<String> moved, List<String> unread) {
        public Found {
            moved = List.copyOf(moved);
            unread = List.copyOf(unread);
        }

        public boolean clean() {
            return moved.isEmpty() && unread.isEmpty();
        }
    }

    /** The tags among {@code effects} (the run's, as the ledger recorded them) that are no longer where the run put them. */
    Found check(Plan plan, List<Effect> effects, Path projectDir, Secrets secrets);
}
