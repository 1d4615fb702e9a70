package dev.cutter.ledger;

import static java.util.Objects.requireNonNull;

/**
 * A file or image a job produced, known by its digest (law 2); later jobs of the run find it here.
 *
 * @param name   unique among the artifacts of one job
 * @param digest {@code sha256:<hex>}
 * @param size   in bytes
 * @param kind   e.g. {@code binary}, {@code archive}, {@code image}, {@code deb}
 */
public record Artifact(String runId, String jobId, String name, String path, String digest, long size, String kind) {

    public Artifact {
        requireNonNull(runId, "runId");
        requireNonNull(jobId, "jobId");
        requireNonNull(name, "name");
        requireNonNull(path, "path");
        requireNonNull(digest, "digest");
        requireNonNull(kind, "kind");
        if (size < 0) {
            throw new IllegalArgumentException("artifact " + name + " has a negative size " + size);
        }
    }
}
