package dev.cutter.git;

import java.util.List;

/**
 * What a push did, ref by ref in the order they were handled: {@code sent} refs were pushed by this
 * call; the others were already on the remote at the same commit, so nothing was sent for them.
 *
 * @param url the remote's URL, without credentials
 */
public record PushResult(String url, List<Ref> refs) {
    public PushResult {
        refs = List.copyOf(refs);
    }

    /** One ref: its full name on the remote ({@code refs/tags/v1.2.0}), its commit, and whether we sent it. */
    public record Ref(String name, String commit, boolean sent) {}

    /** Full names of the refs this call pushed, in push order. */
    public List<String> sent() {
        return refs.stream().filter(Ref::sent).map(Ref::name).toList();
    }

    /** Full names of the refs that were already there at the same commit. */
    public List<String> alreadyThere() {
        return refs.stream().filter(r -> !r.sent()).map(Ref::name).toList();
    }
}
