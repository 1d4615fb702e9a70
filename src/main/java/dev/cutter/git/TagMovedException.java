package dev.cutter.git;

/**
 * Refusal to move a tag: {@code tag} already exists in {@code where} (the local repository or a
 * remote URL) at {@code existingCommit}, and we were asked to make it point at
 * {@code requestedCommit}. Tags are never moved (Go's module proxy, for one, caches the first
 * commit it saw for a module tag forever); the way out is a new version. When this is thrown by a
 * push, nothing of that call was pushed unless the message says otherwise.
 */
public final class TagMovedException extends GitException {
    private final String tag;
    private final String existingCommit;
    private final String requestedCommit;
    private final String where;

    public TagMovedException(String tag, String existingCommit, String requestedCommit, String where, String detail) {
        super("tag " + tag + " already exists in " + where + " at commit " + existingCommit
                + ", not at " + requestedCommit + "; tags are never moved: release a new version instead"
                + " (or, if the tag there is wrong and nobody has used it yet, delete it by hand)"
                + (detail.isEmpty() ? "" : "; " + detail));
        this.tag = tag;
        this.existingCommit = existingCommit;
        this.requestedCommit = requestedCommit;
        this.where = where;
    }

    /** The tag's short name, e.g. {@code src/cloud-providers/v0.8.0}. */
    public String tag() {
        return tag;
    }

    /** The commit the existing tag points at (peeled). */
    public String existingCommit() {
        return existingCommit;
    }

    /** The commit we wanted the tag at. */
    public String requestedCommit() {
        return requestedCommit;
    }

    /** Where the tag exists: the local repository's path or the remote's URL (no credentials). */
    public String where() {
        return where;
    }
}
