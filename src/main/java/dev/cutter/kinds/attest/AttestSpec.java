package dev.cutter.kinds.attest;

import dev.cutter.spec.Location;
import dev.cutter.spec.Template;
import java.util.List;
import java.util.Optional;

/**
 * {@code attestations:}: which SBOM formats are written ({@code cyclonedx}, {@code spdx}) and
 * whether SLSA provenance is, signed with {@code key} (a secret reference to an OpenPGP secret key,
 * the release key signatures use).
 */
public record AttestSpec(List<String> sbom, boolean provenance, Optional<Template> key, Optional<Template> passphrase,
        Location location) {}
