package dev.cutter.kinds.sign;

import dev.cutter.kinds.checksums.ChecksumSection;
import dev.cutter.spec.Fields;
import dev.cutter.spec.PlaceholderScope;
import dev.cutter.spec.Section;
import dev.cutter.spec.SectionChecks;
import dev.cutter.spec.SectionReader;
import dev.cutter.spec.Spec;
import dev.cutter.spec.YamlNode;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** {@code signs:}: detached or clearsigned OpenPGP signatures over checksums, archives or packages. */
public final class SignSection implements Section<List<SignSpec>> {
    public static final SignSection SECTION = new SignSection();

    private SignSection() {}

    @Override
    public String key() {
        return "signs";
    }

    /** {@code spec}'s signatures. */
    public static List<SignSpec> of(Spec spec) {
        return spec.sections().get(SECTION);
    }

    /** The ids of {@code spec}'s signatures: what a release's assets may name. */
    public static Set<String> ids(Spec spec) {
        return new LinkedHashSet<>(of(spec).stream().map(SignSpec::id).toList());
    }

    @Override
    public List<SignSpec> read(SectionReader reader) {
        return reader.top().list(key(), (node, at) -> sign(reader, node, at));
    }

    private static SignSpec sign(SectionReader reader, YamlNode node, String at) {
        Fields f = reader.top().open(node, at);
        SignSpec sign = new SignSpec(reader.id(f), f.choice("artifacts", "checksums", List.of("checksums", "archives", "packages", "all")),
                f.requiredTemplate("key", "\"${file:keys/release.asc}\""), f.template("passphrase"),
                f.choice("mode", "detached", List.of("detached", "clearsign")), f.location());
        f.finish();
        return sign;
    }

    @Override
    public void check(List<SignSpec> signs, SectionChecks checks) {
        checks.unique("signs", signs, SignSpec::id, SignSpec::location);
        for (int i = 0; i < signs.size(); i++) {
            var s = signs.get(i);
            PlaceholderScope scope = PlaceholderScope.none("signs[" + i + "]");
            checks.check(s.key(), scope, true);
            s.passphrase().ifPresent(t -> checks.check(t, scope, true));
            if (s.artifacts().equals("checksums") && ChecksumSection.of(checks.spec()).isEmpty()) {
                checks.problem(s.location(), "signs[" + i + "].artifacts", "signs the checksums file but the spec has no"
                        + " 'checksums:' section; add checksums: true or sign archives");
            }
        }
    }
}
