package dev.cutter.ledger;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * Which runs a page of {@link RunSearch#runs(RunFilter)} holds: newest first, of one project or
 * state when given, older than the run {@code before} (the last one of the previous page) when given.
 * Keyset paging, so the ten-thousandth page costs what the first does.
 */
public record RunFilter(Optional<String> project, Optional<RunState> state, Optional<String> before, int limit) {
    public RunFilter {
        requireNonNull(project, "project");
        requireNonNull(state, "state");
        requireNonNull(before, "before");
        if (limit < 0) {
            throw new IllegalArgumentException("limit must be 0 or more, not " + limit);
        }
    }
}
