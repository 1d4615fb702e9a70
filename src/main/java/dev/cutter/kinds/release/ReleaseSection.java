package dev.cutter.kinds.release;

import dev.cutter.kinds.archive.ArchiveSection;
import dev.cutter.kinds.checksums.ChecksumSection;
import dev.cutter.kinds.packages.PackageSection;
import dev.cutter.kinds.sign.SignSection;
import dev.cutter.spec.Fields;
import dev.cutter.spec.PlaceholderScope;
import dev.cutter.spec.Section;
import dev.cutter.spec.SectionChecks;
import dev.cutter.spec.SectionReader;
import dev.cutter.spec.Spec;
import dev.cutter.spec.YamlNode;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code releases:}: named releases with assets, in a directory, over HTTP or on a forge. */
public final class ReleaseSection implements Section<List<ReleaseSpec>> {
    public static final ReleaseSection SECTION = new ReleaseSection();

    private ReleaseSection() {}

    @Override
    public String key() {
        return "releases";
    }

    /** {@code spec}'s releases. */
    public static List<ReleaseSpec> of(Spec spec) {
        return spec.sections().get(SECTION);
    }

    @Override
    public List<ReleaseSpec> read(SectionReader reader) {
        return reader.top().list(key(), (node, at) -> release(reader, node, at));
    }

    private static ReleaseSpec release(SectionReader reader, YamlNode node, String at) {
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
    public void check(List<ReleaseSpec> releases, SectionChecks checks) {
        checks.unique("releases", releases, ReleaseSpec::id, ReleaseSpec::location);
        Spec spec = checks.spec();
        Set<String> assets = new LinkedHashSet<>(ArchiveSection.ids(spec));
        assets.addAll(PackageSection.ids(spec));
        assets.addAll(SignSection.ids(spec));
        ChecksumSection.of(spec).ifPresent(c -> assets.add("checksums"));
        for (int i = 0; i < releases.size(); i++) {
            var r = releases.get(i);
            String at = "releases[" + i + "]";
            PlaceholderScope scope = PlaceholderScope.none(at);
            checks.check(r.name(), scope, false);
            checks.check(r.store(), scope, false);
            r.notes().ifPresent(t -> checks.check(t, scope, false));
            r.token().ifPresent(t -> checks.check(t, scope, true));
            checks.references(r.assets(), assets, "archives, packages, signs or 'checksums'", at + ".assets", r.location());
        }
    }

    @Override
    public List<String> targets(List<ReleaseSpec> releases) {
        return releases.stream().map(ReleaseSpec::id).toList();
    }

    @Override
    public Map<String, List<String>> selectable(List<ReleaseSpec> releases) {
        return Map.of("release", releases.stream().map(ReleaseSpec::id).toList());
    }
}
