package dev.cutter.run;

import dev.cutter.plan.Action;
import dev.cutter.run.requires.Requirement;
import java.util.Optional;

/**
 * A handler whose jobs need something outside the release to be there before its first job (an
 * upstream release, see {@code requires:}): the release waits for it, all at once with the
 * others, beside the questions to its targets ({@link TargetProbe}), and refuses to start
 * without it. It is the {@code ActionHandler<A>} of the same {@code A}.
 */
public interface Awaiting<A extends Action> {
    /** What the job of {@code action} needs to be there; empty when nothing. */
    Optional<Requirement> requirement(A action, TargetProbe.Context context);
}
