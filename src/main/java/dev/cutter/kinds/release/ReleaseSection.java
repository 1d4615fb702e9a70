package dev.cutter.kinds.release;

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
import dev.cutter.spec.YamlNode;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code releases:}: named releases with assets, in a directory, over HTTP or on a forge. */
public final class ReleaseSection extends EntrySection<ReleaseSpec> {
    public static final ReleaseSection SECTION = new ReleaseSection();

    private ReleaseSection() {
        super("releases", ReleaseSpec::id, ReleaseSpec::location);
    }

    @Override
    protected ReleaseSpec entry(SectionReader reader, YamlNode node, String at) {
        Fields f = reader.top().open(node, at);
        String id = reader.id(f);
        ReleaseSpec release = new ReleaseSpec(id, f.template("name", "{version}"),
                f.requiredTemplate("store", "dir:dist/releases"), f.strings("assets"),
                f.choice("exists", "fail", List.of("fail", "replace")), f.optionalBool("draft"),
                f.choice("prerelease", "auto", List.of("auto", "true", "false")), f.template("notes"), f.template("token"),
                f.location());
        String store = release.store().source();
        if (!store.isEmpty() && !store.matches("(dir:|https?://|github:|gitlab:|gitea:).+")) {
            f.problem(release.store().location(), f.child("store"), "'" + store + "' is not a release store; write"
                    + " dir:PATH, http(s)://HOST/PATH, github:OWNER/REPO, gitlab:GROUP/PROJECT or gitea:HOST/OWNER/REPO");
        }
        f.finish();
        return release;
    }



    @Override
    protected void check(ReleaseSpec r, String at, SectionChecks checks) {
        Spec spec = checks.spec();
        Set<String> assets = new LinkedHashSet<>(ArchiveSection.SECTION.ids(spec));
        assets.addAll(PackageSection.SECTION.ids(spec));
        assets.addAll(SignSection.SECTION.ids(spec));
        ChecksumSection.of(spec).ifPresent(c -> assets.add("checksums"));
        PlaceholderScope scope = PlaceholderScope.none(at);
        checks.check(r.name(), scope, false);
        checks.check(r.store(), scope, false);
        r.notes().ifPresent(t -> checks.check(t, scope, false));
        r.token().ifPresent(t -> checks.check(t, scope, true));
        checks.references(r.assets(), assets, "archives, packages, signs or 'checksums'", at + ".assets", r.location());
    }

    @Override
    public List<String> targets(List<ReleaseSpec> releases) {
        return releases.stream().map(ReleaseSpec::id).toList();
    }

    @Override
    public Map<String, List<String>> selectable(List<ReleaseSpec> releases) {
        return selectableAs("release", releases);
    }
}
