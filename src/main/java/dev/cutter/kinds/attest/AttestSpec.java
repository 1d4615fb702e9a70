package dev.cutter.kinds.attest;

import dev.cutter.spec.Location;
import dev.cutter.spec.Template;
import java.util.List;
import java.util.Optional;

/**
 * {@code attestations:}: which SBOM formats are written ({@code cyclonedx}, {@code spdx}) and
 * whether SLSA provenance is, signed with {@code key} (a secret reference to an OpenPGP secret key,
 * the release key signatures use), and whether that key also signs images in cosign's format and
 * archives, packages and the checksums file as Sigstore bundles ({@code signatures}).
 */
public record AttestSpec(List<String> sbom, boolean provenance, boolean signatures, Optional<Template> key,
        Optional<Template> passphrase, Location location) {}
