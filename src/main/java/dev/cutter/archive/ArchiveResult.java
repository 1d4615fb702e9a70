package dev.cutter.archive;

import dev.cutter.content.Digest;
import java.nio.file.Path;

/** A written archive or checksums file, known by its digest. */
public record ArchiveResult(Path file, Digest digest, long size) {}
