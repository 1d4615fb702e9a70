package dev.cutter.sbom;

import dev.cutter.content.Digest;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What one subject contains: the model both formats are written from ({@link CycloneDx},
 * {@link Spdx}). Everything in it comes from the subject's bytes and the release, never from the
 * clock, so the same subject gives the same SBOM bytes.
 *
 * @param kind {@code image}, {@code archive} or {@code package}
 * @param name the subject's name: a repository, or a file name
 * @param version the release's version
 * @param digest the subject's digest (an image manifest, a file)
 * @param created the release's source date
 * @param tool the writer's name and version, {@code cutter 1.0}
 * @param distribution the image's {@code os-release} ID, when it has one
 */
public record Sbom(String kind, String name, String version, Digest digest, Instant created, Tool tool,
        List<SbomFile> files, List<OsPackage> packages, Optional<String> distribution) {

    public Sbom {
        files = List.copyOf(files);
        packages = List.copyOf(packages);
    }

    /** The program that wrote the SBOM. */
    public record Tool(String name, String version) {}

    /** A stable id for the document, from its subject alone (name-based UUID). */
    String uuid() {
        return java.util.UUID.nameUUIDFromBytes((kind + "\n" + name + "\n" + version + "\n" + digest)
                .getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString();
    }
}
