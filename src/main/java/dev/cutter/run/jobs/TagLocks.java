package dev.cutter.run.jobs;

import dev.cutter.ledger.Ledger;
import dev.cutter.ledger.TagLock;
import dev.cutter.run.JobContext;
import dev.cutter.run.JobFailure;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The locks a push takes in the ledger before it reads a repository's tags and decides them, and
 * gives up once the tags are written and read back: two runs sharing a ledger (one machine's
 * SQLite file, or PostgreSQL across machines) decide a repository's tags one after the other, the
 * second reading what the first left. A lock is named {@code REPOSITORY:TAG}, one per tag the
 * push decides (its floating lines and its immutable tags), so releases of one line queue and
 * releases that share no tag do not. A lock held by a run whose process died is taken over once
 * its heartbeat is stale.
 */
public final class TagLocks {
    /** How long a run counts as alive after its last heartbeat, as for a version's claim. */
    static final Duration STALE_AFTER = Duration.ofMinutes(2);
    /** How long a push waits for another run's locks before it fails (to be resumed). */
    static final Duration PATIENCE = Duration.ofMinutes(15);

    private final Ledger ledger;

    public TagLocks(Ledger ledger) {
        this.ledger = ledger;
    }

    /** The locks held until closed. */
    public interface Held extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Waits until this job holds a lock on each of {@code tags} of {@code repository}, telling the
     * job's log whom it waits for; cancelling the job stops the wait.
     */
    public Held hold(JobContext context, String repository, Collection<String> tags) throws InterruptedException {
        List<String> keys = tags.stream().map(tag -> repository + ":" + tag).toList();
        String runId = context.runId();
        String jobId = context.job().id();
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        String told = "";
        for (int attempt = 1; ; attempt++) {
            TagLock lock = ledger.lockTags(runId, jobId, keys, STALE_AFTER);
            if (lock.held()) {
                return () -> ledger.unlockTags(runId, jobId);
            }
            String holder = "run " + lock.run().orElseThrow() + " (" + lock.job().orElseThrow() + ")";
            if (!holder.equals(told)) {
                context.log().info("waiting for " + holder + ", which is deciding " + lock.key().orElseThrow());
                told = holder;
            }
            if (System.nanoTime() > deadline) {
                throw JobFailure.failed("waited " + PATIENCE.toMinutes() + " min for " + holder + " to finish deciding "
                        + lock.key().orElseThrow() + "; resume this run once it has");
            }
            context.cancellation().throwIfCancelled();
            long pause = Math.min(2000, 100L << Math.min(attempt, 4));
            Thread.sleep(pause + ThreadLocalRandom.current().nextLong(pause / 2 + 1)); // polling the ledger for the lock
        }
    }

    /**
     * The run that last set {@code target} ({@code REPOSITORY:TAG}) to {@code digest}, when the
     * ledger recorded it: the run that won a race for the tag.
     */
    public java.util.Optional<String> taggedBy(String target, String digest) {
        return ledger.effectsOn(target).stream().filter(e -> e.kind().equals(dev.cutter.ledger.Effect.TAG) && e.after().equals(digest))
                .reduce((a, b) -> b).map(dev.cutter.ledger.Effect::runId);
    }
}
