package dev.cutter.kinds.release;

import dev.cutter.kinds.attest.AttestSection;
import dev.cutter.kinds.attest.Attestations;
import dev.cutter.kinds.archive.ArchiveSection;
import dev.cutter.kinds.checksums.ChecksumSection;
import dev.cutter.kinds.packages.PackageSection;
import dev.cutter.kinds.sign.SignSection;
import dev.cutter.spec.Fields;
import dev.cutter.spec.PlaceholderScope;
import dev.cutter.spec.EntrySection;
import dev.cutter.spec.SectionChecks;
import dev.cutter.spec.SectionReader;
import dev.cutter.spec.Spec;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code releases:}: named releases with assets, in a directory, over HTTP or on a forge. */
public final class ReleaseSection extends EntrySection<ReleaseSpec> {
    public static final ReleaseSection SECTION = new ReleaseSection();

    private ReleaseSection() {
        super("releases");
    }

    @Override
    protected ReleaseSpec entry(SectionReader reader, Fields f, String id, String at) {
        ReleaseSpec release = new ReleaseSpec(id, f.template("name", "{version}"),
                f.requiredTemplate("store", "dir:dist/releases"), f.strings("assets"),
                f.choice("exists", "fail", List.of("fail", "replace")), f.optionalBool("draft"),
                f.choice("prerelease", "auto", List.of("auto", "true", "false")), f.template("notes"), f.template("token"),
                f.template("target"), f.location());
        String store = release.store().source();
        if (!store.isEmpty() && !store.matches("(dir:|https?://|github:|gitlab:|gitea:).+")) {
            f.problem(release.store().location(), f.child("store"), "'" + store + "' is not a release store; write"
                    + " dir:PATH, http(s)://HOST/PATH, github:OWNER/REPO, gitlab:GROUP/PROJECT or gitea:HOST/OWNER/REPO");
        }
        return release;
    }



    @Override
    protected void check(ReleaseSpec r, String at, SectionChecks checks) {
        Spec spec = checks.spec();
        Set<String> assets = new LinkedHashSet<>(ArchiveSection.SECTION.ids(spec));
        assets.addAll(PackageSection.SECTION.ids(spec));
        assets.addAll(SignSection.SECTION.ids(spec));
        ChecksumSection.SECTION.of(spec).ifPresent(c -> assets.add("checksums"));
        AttestSection.SECTION.of(spec).ifPresent(a -> assets.add(Attestations.FILES));
        PlaceholderScope scope = PlaceholderScope.none(at);
        checks.check(r.name(), scope, false);
        checks.check(r.store(), scope, false);
        r.notes().ifPresent(t -> checks.check(t, scope, false));
        r.token().ifPresent(t -> checks.check(t, scope, true));
        r.target().ifPresent(t -> checks.check(t, scope, false));
        checks.references(r.assets(), assets, "archives, packages, signs, 'checksums' or 'attestations'", at + ".assets", r.location());
        coherent(r, at, checks);
    }

    @Override
    public List<String> targets(List<ReleaseSpec> releases) {
        return releases.stream().map(ReleaseSpec::id).toList();
    }

    @Override
    public Map<String, List<String>> selectable(List<ReleaseSpec> releases) {
        return selectableAs("release", releases);
    }

    /**
     * A release publishes what its checksums file lists and what its signatures sign: the checksums
     * file lists every archive and package of the plan, so a release that publishes it publishes
     * them all (else its own {@code check: assets} fails and users download a SHA256SUMS naming
     * files that are not there).
     */
    private static void coherent(ReleaseSpec release, String at, SectionChecks checks) {
        if (release.assets().isEmpty()) {
            return; // the default assets are coherent by construction
        }
        Spec spec = checks.spec();
        List<String> files = new ArrayList<>(ArchiveSection.SECTION.ids(spec));
        files.addAll(PackageSection.SECTION.ids(spec));
        for (String asset : release.assets()) {
            if (asset.equals("checksums") && ChecksumSection.SECTION.of(spec).isPresent()) {
                List<String> missing = files.stream().filter(f -> !release.assets().contains(f)).toList();
                if (!missing.isEmpty()) {
                    checks.problem(release.location(), at + ".assets", "publishes checksums, whose file lists every archive and"
                            + " package (" + String.join(", ", files) + "), but not " + String.join(", ", missing) + "; add "
                            + String.join(", ", missing) + " to assets, or leave checksums out");
                }
            }
            SignSection.SECTION.find(spec, asset).ifPresent(sign -> {
                List<String> signed = new ArrayList<>();
                if (!sign.artifacts().equals("checksums")) {
                    signed.addAll(sign.artifacts().equals("packages") ? List.of() : ArchiveSection.SECTION.ids(spec));
                    signed.addAll(sign.artifacts().equals("archives") ? List.of() : PackageSection.SECTION.ids(spec));
                }
                if ((sign.artifacts().equals("checksums") || sign.artifacts().equals("all")) && ChecksumSection.SECTION.of(spec).isPresent()) {
                    signed.add("checksums");
                }
                List<String> missing = signed.stream().filter(f -> !release.assets().contains(f)).toList();
                if (!missing.isEmpty()) {
                    checks.problem(release.location(), at + ".assets", "publishes " + asset + ", which signs " + sign.artifacts()
                            + ", but not " + String.join(", ", missing) + "; add " + String.join(", ", missing)
                            + " to assets, or leave " + asset + " out");
                }
            });
        }
    }
}
