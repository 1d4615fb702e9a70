package dev.cutter.sbom;

import dev.cutter.content.Digest;
import java.util.Objects;

/**
 * A regular file an SBOM lists, by its path inside the subject (no leading slash), its SHA-256
 * and SHA-1 (SPDX 2.3 wants SHA-1 on every file) and its size.
 */
public record SbomFile(String path, Digest sha256, String sha1, long size) {
    public SbomFile {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(sha1, "sha1");
    }
}
