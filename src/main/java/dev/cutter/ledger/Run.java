package dev.cutter.ledger;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;

/**
 * One execution of a release plan.
 *
 * @param id        short and sortable, e.g. {@code r20261123-093512-7f3a} (UTC start time and 4 random hex digits)
 * @param kind      what the run does: release, promote or verify
 * @param heartbeat the last sign of life of the process running it; a claim held by a run whose
 *                  heartbeat is too old can be taken over (the process was killed)
 * @param host      the machine of the process running (or last resuming) it
 * @param pid       that process's id
 * @param lease     how long the run holds its version without a heartbeat, when longer than the
 *                  claimer's own window: a run whose jobs CI machines run one by one
 */
public record Run(String id, RunKind kind, String project, String version, String tag, String channel, String planDigest,
        RunState state, Instant started, Optional<Instant> finished, Instant heartbeat, String host, long pid,
        Optional<java.time.Duration> lease) {

    /**
     * Whether the run is running with a sign of life within {@code staleAfter}, or within its own
     * lease when that is longer (a run spread over CI machines, quiet while jobs wait for runners).
     */
    public boolean alive(Instant now, java.time.Duration staleAfter) {
        java.time.Duration window = lease.filter(l -> l.compareTo(staleAfter) > 0).orElse(staleAfter);
        return state == RunState.RUNNING && !heartbeat.isBefore(now.minus(window));
    }


    public Run {
        requireNonNull(id, "id");
        requireNonNull(kind, "kind");
        requireNonNull(project, "project");
        requireNonNull(version, "version");
        requireNonNull(tag, "tag");
        requireNonNull(channel, "channel");
        requireNonNull(planDigest, "planDigest");
        requireNonNull(state, "state");
        requireNonNull(started, "started");
        requireNonNull(finished, "finished");
        requireNonNull(heartbeat, "heartbeat");
        requireNonNull(host, "host");
        requireNonNull(lease, "lease");
    }
}
