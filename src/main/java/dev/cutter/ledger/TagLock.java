package dev.cutter.ledger;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * The answer to a job asking to lock the tags it is about to decide ({@link Ledger#lockTags}):
 * two runs sharing a ledger decide a repository's tags one after the other, each reading what
 * the other left.
 *
 * @param held    whether the asking job holds every lock it asked for now
 * @param key     when not held, the lock another job holds
 * @param run     when not held, the run holding it
 * @param job     when not held, the job of that run holding it
 */
public record TagLock(boolean held, Optional<String> key, Optional<String> run, Optional<String> job) {
    public TagLock {
        requireNonNull(key, "key");
        requireNonNull(run, "run");
        requireNonNull(job, "job");
        if (!held && (key.isEmpty() || run.isEmpty() || job.isEmpty())) {
            throw new IllegalArgumentException("a lock not had names the lock and the run and job holding it");
        }
    }

    static TagLock granted() {
        return new TagLock(true, Optional.empty(), Optional.empty(), Optional.empty());
    }

    static TagLock busy(String key, String run, String job) {
        return new TagLock(false, Optional.of(key), Optional.of(run), Optional.of(job));
    }
}
