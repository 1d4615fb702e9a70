package dev.cutter.ledger;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * The answer to {@link Ledger#claim}: may this run publish this version?
 *
 * @param granted whether the run now holds the version
 * @param holder  when refused, the run that keeps the version (running with a fresh heartbeat, or
 *                succeeded: "already released"); when granted, the failed, cancelled or stale run
 *                it was taken from, if any
 */
public record Claim(boolean granted, Optional<Run> holder) {

    public Claim {
        requireNonNull(holder, "holder");
        if (!granted && holder.isEmpty()) {
            throw new IllegalArgumentException("a refused claim names the run that holds the version");
        }
    }

    static Claim granted(Optional<Run> previous) {
        return new Claim(true, previous);
    }

    static Claim refused(Run holder) {
        return new Claim(false, Optional.of(holder));
    }
}
