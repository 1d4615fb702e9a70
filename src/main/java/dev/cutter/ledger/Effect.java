package dev.cutter.ledger;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;

/**
 * One change a job made outside Cutter: a blob or manifest pushed, a tag created or moved, a file
 * written, a release asset uploaded.
 *
 * @param kind   what kind of change, e.g. {@code push}, {@code tag}, {@code upload}
 * @param target where, e.g. {@code registry.example/app:1.2.3} or a file path
 * @param before what the target pointed at before (a digest, a commit), empty when it did not exist
 * @param after  what it points at now
 */
public record Effect(String runId, String jobId, String kind, String target, Optional<String> before, String after,
        Instant at) {

    public Effect {
        requireNonNull(runId, "runId");
        requireNonNull(jobId, "jobId");
        requireNonNull(kind, "kind");
        requireNonNull(target, "target");
        requireNonNull(before, "before");
        requireNonNull(after, "after");
        requireNonNull(at, "at");
    }
}
