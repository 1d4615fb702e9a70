package dev.cutter.run;

import dev.cutter.content.Digest;
import java.nio.file.Path;

/**
 * Something a job produced, known by its digest: a build output, an archive, a checksums file, a
 * signature. {@code path} is relative to the project directory. Later jobs find their inputs in
 * the run's {@link Artifacts} rather than reaching into earlier jobs.
 */
public record Output(String jobId, String kind, String name, Path path, Digest digest, long size) {}
