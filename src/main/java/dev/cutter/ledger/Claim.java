package dev.cutter.ledger;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * The answer to {@link Ledger#claim} (and {@link Ledger#standing}): how each publication a run
 * asked for stands. The run may publish when none is held by another live run or was published
 * by a succeeded run with other content; it then holds every publication {@link State#CLAIMED},
 * and those {@link State#PUBLISHED} stay with the run that published them.
 */
public record Claim(List<Standing> publications) {

    /**
     * The publication a release that publishes nothing claims: the whole version, as every claim
     * did before claims by publication (and as older ledgers hold them).
     */
    public static final String WHOLE_VERSION = "*";

    /** How one publication stands for the claiming run. */
    public enum State {
        /** Nobody else holds it (any more): it is the claimer's now. */
        CLAIMED,
        /** A succeeded run published it exactly as the claimer plans it: nothing to do, and it stays that run's. */
        PUBLISHED,
        /** A succeeded run published it with other content: a released version never changes. */
        CONFLICT,
        /** A live run holds it: it is being published right now. */
        BUSY
    }

    /**
     * @param publication its key, as the claimer gave it (or {@link #WHOLE_VERSION})
     * @param holder      for {@code CLAIMED}, the failed, cancelled or stale run it was taken from,
     *                    if any; otherwise the run that holds it
     */
    public record Standing(String publication, State state, Optional<Run> holder) {
        public Standing {
            requireNonNull(publication, "publication");
            requireNonNull(state, "state");
            requireNonNull(holder, "holder");
            if (state != State.CLAIMED && holder.isEmpty()) {
                throw new IllegalArgumentException("a publication held by another run names that run");
            }
        }
    }

    public Claim {
        publications = List.copyOf(publications);
    }

    /** Whether the run may publish: nothing it claims is being published by another run or was published otherwise. */
    public boolean granted() {
        return in(State.CONFLICT).isEmpty() && in(State.BUSY).isEmpty();
    }

    /** The publications that stand so, in the order claimed. */
    public List<Standing> in(State state) {
        return publications.stream().filter(s -> s.state() == state).toList();
    }

    /** Whether every publication was published already, as planned: there is nothing to do. */
    public boolean allPublished() {
        return !publications.isEmpty() && in(State.PUBLISHED).size() == publications.size();
    }
}
