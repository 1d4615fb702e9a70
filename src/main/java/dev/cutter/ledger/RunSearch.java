package dev.cutter.ledger;

import java.time.Instant;
import java.util.List;

/**
 * The reads a dashboard needs beyond {@link Ledger}'s: pages of runs, the runs whose state may have
 * changed lately (what a watcher polls), and the versions a project released. Every query runs on
 * an index, so a ledger of ten thousand runs answers as fast as one of ten.
 */
public interface RunSearch {
    /** One page of runs, newest first. */
    List<Run> runs(RunFilter filter);

    /** Runs that are running, or that started or finished after {@code since}. */
    List<Run> runsChangedSince(Instant since);

    /** The versions of {@code project} that have runs, the most recently started first. */
    List<String> versions(String project, int limit);

    /**
     * Runs that released or promoted {@code text}: a version that starts with it, or an image tag,
     * file or artifact whose digest starts with it ({@code sha256:…} or its hex), or a commit that
     * starts with it; newest first.
     */
    List<Run> matching(String text, int limit);
}
