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
    /**
     * A signed record of how the release was made (its run, its times): unlike every other asset it
     * differs from one run of the same release to another, so a release that holds one keeps it (the
     * first record stays) instead of counting the difference as other content. Its signatures
     * (a Sigstore bundle, an OpenPGP signature of it) are of this kind too, kept with it.
     */
    public static final String PROVENANCE = "provenance";

    /** The kinds of artifact a release publishes as its assets. */
    public static final java.util.Set<String> RELEASE_ASSETS = java.util.Set.of("archive", "checksums", "signature", "package", "sbom",
            PROVENANCE);

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
