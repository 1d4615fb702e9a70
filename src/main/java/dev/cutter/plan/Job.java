package dev.cutter.plan;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One unit of work: an id unique in the plan ({@code kind/entry[/cell]}), the jobs it needs
 * finished first, the matrix cell it was made for, an optional concurrency group, and what it
 * does, fully rendered except for secret references.
 */
public record Job(String id, String kind, String entry, List<String> needs, Map<String, String> matrix,
        Optional<String> group, Action action) {

    /** What the job makes: its action, or for a {@code fetch}, the action of the candidate's job that made the file. */
    public Action made() {
        return action instanceof Action.Fetch fetch ? fetch.made() : action;
    }
}
