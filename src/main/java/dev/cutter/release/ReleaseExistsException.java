package dev.cutter.release;

import java.util.List;

/**
 * The release exists in the store with other content and the policy is {@link ExistsPolicy#FAIL}:
 * a published version is never overwritten (law 3). Nothing was changed. Exit code 3.
 */
public class ReleaseExistsException extends ReleaseException {
    private final String store;
    private final String release;
    private final List<String> differences;

    /**
     * @param store the store, as {@link ReleaseStore#describe()} names it
     * @param differences each difference written {@code <what> <published> ≠ <new>}
     */
    public ReleaseExistsException(String store, String release, List<String> differences) {
        super("release " + release + " already exists in " + store + " with other content (published ≠ new: "
                + String.join("; ", differences) + "); a published release is never replaced outside a rolling"
                + " channel: release under a new tag, or delete " + release + " from the store first if it must change");
        this.store = store;
        this.release = release;
        this.differences = List.copyOf(differences);
    }

    public String store() {
        return store;
    }

    public String release() {
        return release;
    }

    public List<String> differences() {
        return differences;
    }
}
