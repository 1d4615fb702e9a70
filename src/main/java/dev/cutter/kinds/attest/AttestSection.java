package dev.cutter.kinds.attest;

import dev.cutter.spec.Fields;
import dev.cutter.spec.PlaceholderScope;
import dev.cutter.spec.Section;
import dev.cutter.spec.SectionChecks;
import dev.cutter.spec.SectionReader;
import dev.cutter.spec.Spec;
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

    public static Optional<AttestSpec> of(Spec spec) {
        return spec.sections().get(SECTION);
    }

    @Override
    public Optional<AttestSpec> read(SectionReader reader) {
        Fields top = reader.top();
        return top.switchOrMap(key(), () -> new AttestSpec(FORMATS, false, false, Optional.empty(), Optional.empty(), top.keyLocation(key())),
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
        boolean signatures = f.bool("signatures", key.isPresent());
        AttestSpec spec = new AttestSpec(List.copyOf(formats), provenance, signatures, key, f.template("passphrase"), f.location());
        if (provenance && spec.key().isEmpty()) {
            f.problem(f.location(), f.child("key"), "provenance is signed with the release key; add key: \"${file:keys/release.asc}\""
                    + " or write provenance: false");
        } else if (signatures && spec.key().isEmpty()) {
            f.problem(f.keyLocation("signatures"), f.child("signatures"), "signatures are made with the release key;"
                    + " add key: \"${file:keys/release.asc}\" or write signatures: false");
        }
        f.finish();
        return spec;
    }

    @Override
    public void check(Optional<AttestSpec> attest, SectionChecks checks) {
        attest.ifPresent(a -> {
            PlaceholderScope scope = PlaceholderScope.none(key());
            a.key().ifPresent(t -> checks.check(t, scope, true));
            a.passphrase().ifPresent(t -> checks.check(t, scope, true));
        });
    }
}
