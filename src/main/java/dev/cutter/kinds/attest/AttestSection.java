package dev.cutter.kinds.attest;

import dev.cutter.spec.Fields;
import dev.cutter.spec.PlaceholderScope;
import dev.cutter.spec.Section;
import dev.cutter.spec.SectionChecks;
import dev.cutter.spec.SectionReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code attestations:}: {@code true} (both SBOM formats, no provenance, no signatures), or
 * {@code { sbom: [cyclonedx, spdx], provenance: true, signatures: true, key: "${file:…}", passphrase: … }};
 * {@code signatures} is on when a key is given, unless written {@code false}.
 */
public final class AttestSection implements Section<Optional<AttestSpec>> {
    public static final AttestSection SECTION = new AttestSection();
    static final List<String> FORMATS = List.of("cyclonedx", "spdx");

    private AttestSection() {}

    @Override
    public String key() {
        return "attestations";
    }

    @Override
    public Optional<AttestSpec> read(SectionReader reader) {
        Fields top = reader.top();
        return top.switchOrMap(key(), () -> new AttestSpec(FORMATS, false, false, Optional.empty(), Optional.empty(), Optional.empty(),
                        top.keyLocation(key())),
                AttestSection::map);
    }

    /** {@code { sbom, provenance, signatures, key, passphrase }}. */
    private static AttestSpec map(Fields f) {
        List<String> formats = new ArrayList<>();
        if (f.has("sbom")) {
            for (String format : f.strings("sbom")) {
                if (!FORMATS.contains(format)) {
                    f.problem(f.keyLocation("sbom"), f.child("sbom"), "unknown SBOM format '" + format + "'; write cyclonedx or spdx");
                } else if (!formats.contains(format)) {
                    formats.add(format);
                }
            }
        } else {
            formats.addAll(FORMATS);
        }
        boolean provenance = f.bool("provenance", true);
        var key = f.template("key");
        Optional<AttestSpec.Keyless> keyless = Optional.empty();
        boolean signatures;
        if (f.node("signatures").filter(n -> !(n instanceof dev.cutter.spec.YamlNode.ScalarNode)).isPresent()) {
            keyless = f.switchOrMap("signatures", Optional::<AttestSpec.Keyless>empty, AttestSection::signatures).flatMap(k -> k);
            signatures = true;
        } else {
            signatures = f.bool("signatures", key.isPresent());
        }
        AttestSpec spec = new AttestSpec(List.copyOf(formats), provenance, signatures, key, f.template("passphrase"), keyless, f.location());
        if (provenance && spec.key().isEmpty()) {
            f.problem(f.location(), f.child("key"), "provenance is signed with the release key; add key: \"${file:keys/release.asc}\""
                    + " or write provenance: false");
        } else if (signatures && keyless.isEmpty() && spec.key().isEmpty()) {
            f.problem(f.keyLocation("signatures"), f.child("signatures"), "signatures are made with the release key;"
                    + " add key: \"${file:keys/release.asc}\" or write signatures: false");
        }
        f.finish();
        return spec;
    }

    /** {@code signatures: { keyless: { fulcio, rekor, identity-token } }}: the only form of a map there. */
    private static Optional<AttestSpec.Keyless> signatures(Fields f) {
        Optional<AttestSpec.Keyless> keyless = f.switchOrMap("keyless",
                () -> new AttestSpec.Keyless(SIGSTORE_FULCIO, SIGSTORE_REKOR, Optional.empty(), Optional.empty(), f.keyLocation("keyless")),
                k -> {
                    String fulcio = url(k, "fulcio", SIGSTORE_FULCIO);
                    String rekor = url(k, "rekor", SIGSTORE_REKOR);
                    Optional<String> token = k.string("identity-token");
                    token.filter(t -> !t.matches("[A-Za-z_][A-Za-z0-9_]*")).ifPresent(t -> k.problem(k.keyLocation("identity-token"),
                            k.child("identity-token"), "'" + t + "' is not an environment variable's name; name the variable"
                                    + " the CI puts the OIDC token in, e.g. SIGSTORE_ID_TOKEN"));
                    Optional<AttestSpec.Trusted> trusted = trusted(k);
                    k.finish();
                    return new AttestSpec.Keyless(fulcio, rekor, token, trusted, k.location());
                });
        if (keyless.isEmpty()) {
            f.problem(f.location(), f.child("keyless"), "signatures is true, false or { keyless: { fulcio: URL, rekor: URL } }");
        }
        f.finish();
        return keyless;
    }

    /**
     * {@code trusted-root}, {@code identity} and {@code issuer}: all three (whom keyless signatures
     * are checked against), or none (they are left to cosign).
     */
    private static Optional<AttestSpec.Trusted> trusted(Fields k) {
        List<String> keys = List.of("trusted-root", "identity", "issuer");
        List<String> given = keys.stream().filter(k::has).toList();
        Optional<String> root = k.string("trusted-root");
        Optional<dev.cutter.spec.Template> identity = k.template("identity");
        Optional<String> issuer = k.string("issuer");
        if (given.isEmpty()) {
            return Optional.empty();
        }
        if (given.size() < keys.size()) {
            String missing = keys.stream().filter(key -> !given.contains(key)).collect(java.util.stream.Collectors.joining(" and "));
            k.problem(k.keyLocation(given.get(0)), k.child(given.get(0)), "keyless signatures are checked against a trusted root,"
                    + " an identity and an issuer together; add " + missing + " (e.g. trusted-root: sigstore/trusted_root.json,"
                    + " identity: \"https://github.com/OWNER/REPO/.github/workflows/release.yml@refs/tags/v{version}\","
                    + " issuer: https://token.actions.githubusercontent.com)");
            return Optional.empty();
        }
        return Optional.of(new AttestSpec.Trusted(root.orElseThrow(), identity.orElseThrow(), issuer.orElseThrow()));
    }

    /** An http(s) URL with a host, else a problem at its line. */
    private static String url(Fields f, String key, String fallback) {
        String value = f.string(key, fallback);
        try {
            java.net.URI uri = new java.net.URI(value);
            if ((uri.getScheme() == null || !uri.getScheme().matches("https?")) || uri.getHost() == null) {
                throw new java.net.URISyntaxException(value, "not an http or https URL with a host");
            }
        } catch (java.net.URISyntaxException e) {
            f.problem(f.keyLocation(key), f.child(key), "'" + value + "' is not an http or https URL with a host;"
                    + " write the service's address, e.g. " + fallback);
        }
        return value;
    }

    /** Sigstore's public-good instances, what cosign signs with unless told otherwise. */
    static final String SIGSTORE_FULCIO = "https://fulcio.sigstore.dev";
    static final String SIGSTORE_REKOR = "https://rekor.sigstore.dev";

    @Override
    public void check(Optional<AttestSpec> attest, SectionChecks checks) {
        attest.ifPresent(a -> {
            PlaceholderScope scope = PlaceholderScope.none(key());
            a.key().ifPresent(t -> checks.check(t, scope, true));
            a.passphrase().ifPresent(t -> checks.check(t, scope, true));
            a.keyless().flatMap(AttestSpec.Keyless::trusted).ifPresent(t -> checks.check(t.identity(), scope, false));
        });
    }
}
