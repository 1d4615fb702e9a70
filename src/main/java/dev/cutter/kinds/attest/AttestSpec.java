package dev.cutter.kinds.attest;

import dev.cutter.spec.Location;
import dev.cutter.spec.Template;
import java.util.List;
import java.util.Optional;

/**
 * {@code attestations:}: which SBOM formats are written ({@code cyclonedx}, {@code spdx}) and
 * whether SLSA provenance is, signed with {@code key} (a secret reference to an OpenPGP secret key,
 * the release key signatures use), and whether that key also signs images in cosign's format and
 * archives, packages and the checksums file as Sigstore bundles ({@code signatures}); with
 * {@code keyless}, the files are signed keyless instead (images still need the key).
 */
public record AttestSpec(List<String> sbom, boolean provenance, boolean signatures, Optional<Template> key,
        Optional<Template> passphrase, Optional<Keyless> keyless, Location location) {
    /**
     * {@code signatures: { keyless: { fulcio: URL, rekor: URL, identity-token: VARIABLE, trusted-root: FILE,
     * identity: TEMPLATE, issuer: URL } }}: Sigstore's public instances unless named; the token from that
     * environment variable, else {@code SIGSTORE_ID_TOKEN}, else GitHub Actions' endpoint; with
     * {@code trusted}, whom {@code check: attestations} and {@code cutter verify} accept the signatures of.
     */
    public record Keyless(String fulcio, String rekor, Optional<String> identityToken, Optional<Trusted> trusted, Location location) {
        /** Where signing goes, without the identity token. */
        @Override
        public String toString() {
            return "Keyless[fulcio=" + fulcio + ", rekor=" + rekor + ", identityToken=" + identityToken.map(t -> "***").orElse("none")
                    + ", trusted=" + trusted + ", location=" + location + "]";
        }
    }

    /**
     * Whom keyless signatures are checked against: a Sigstore trusted root (a file of the project),
     * the signing identity (a certificate's subject alternative name, matched whole; a template,
     * as it names the tag) and its OIDC issuer.
     */
    public record Trusted(String trustedRoot, Template identity, String issuer) {}
}
