package dev.cutter.release;

import dev.cutter.version.Glob;
import java.util.List;
import java.util.Objects;

/** Removes stale releases ({@code cutter releases prune}): the releases a retention rule does not keep. */
public final class Prune {
    private Prune() {}

    /**
     * Keeps the {@code keep} newest ({@link ReleaseInfo#NEWEST_FIRST}) of the releases whose name
     * matches {@code matchGlob} ({@code *} any run of characters, {@code ?} one) and deletes the
     * other matching ones; releases that do not match are left alone.
     *
     * @param dryRun when true, deletes nothing and only reports
     * @return what was deleted (or would be), newest first
     */
    public static List<ReleaseInfo> prune(ReleaseStore store, int keep, String matchGlob, boolean dryRun) {
        List<ReleaseInfo> stale = stale(store.list(), keep, new Glob(matchGlob));
        if (!dryRun) {
            stale.forEach(release -> store.delete(release.name()));
        }
        return stale;
    }

    /** The releases among {@code releases} that the rule does not keep, newest first. */
    public static List<ReleaseInfo> stale(List<ReleaseInfo> releases, int keep, Glob match) {
        Objects.requireNonNull(match, "match");
        if (keep < 0) {
            throw new IllegalArgumentException("cannot keep " + keep + " releases; keep 0 or more");
        }
        List<ReleaseInfo> matching = releases.stream()
                .filter(release -> match.matches(release.name()))
                .sorted(ReleaseInfo.NEWEST_FIRST)
                .toList();
        return matching.subList(Math.min(keep, matching.size()), matching.size());
    }
}
