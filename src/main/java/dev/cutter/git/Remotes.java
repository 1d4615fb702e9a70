package dev.cutter.git;

import java.util.List;
import java.util.Map;
import org.eclipse.jgit.lib.ObjectId;

/** The remote side of a repository: list its refs, create or update one ref, fetch. Two ways: JGit and the git CLI. */
interface Remotes {
    /** An advertised ref; {@code peeled} is what an annotated tag points at, {@code id} itself when it is no tag object, null when the remote did not say. */
    record RemoteRef(String name, ObjectId id, ObjectId peeled) {}

    enum Status { OK, UP_TO_DATE, REJECTED }

    record Outcome(Status status, String reason) {}

    /** The remote's refs by full name ({@code refs/tags/v1}), as {@code git ls-remote} shows them. */
    Map<String, RemoteRef> refs(String url);

    /**
     * Sets {@code dst} on the remote to {@code id} (sent from the local ref or commit {@code src}), never by force:
     * refused unless the remote's value is still {@code expectedOld} (zero: must not exist).
     */
    Outcome push(String url, String src, ObjectId id, String dst, ObjectId expectedOld);

    void fetch(String url, List<String> refspecs);
}
