package dev.cutter.run;

import dev.cutter.plan.Job;
import dev.cutter.run.requires.Requirement;
import java.util.Optional;

/**
 * A handler whose jobs need something outside the release to be there before its first job (an
 * upstream release, see {@code requires:}): the release waits for it, all at once with the
 * others, beside the questions to its targets ({@link TargetProbe}), and refuses to start
 * without it.
 */
public interface Awaiting {
    /** What {@code job} needs to be there; empty when nothing. */
    Optional<Requirement> requirement(Job job, TargetProbe.Context context);
}
