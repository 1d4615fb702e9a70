package dev.cutter.ledger;

import static java.util.Objects.requireNonNull;

import dev.cutter.content.Digest;
import java.nio.file.Path;

/**
 * A file or image a job produced, known by its digest (law 2): a build output, an archive, a checksums
 * file, a signature. Later jobs of the run find it in the run's artifact set rather than reaching
 * into earlier jobs.
 *
 * @param name   unique among the artifacts of one job
 * @param path   relative to the project directory
 * @param size   in bytes
 * @param kind   e.g. {@code binary}, {@code archive}, {@code image}, {@code deb}
 */
public record Artifact(String runId, String jobId, String name, Path path, Digest digest, long size, String kind) {

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
