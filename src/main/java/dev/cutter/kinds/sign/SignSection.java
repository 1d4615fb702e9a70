package dev.cutter.kinds.sign;

import dev.cutter.kinds.checksums.ChecksumSection;
import dev.cutter.spec.Fields;
import dev.cutter.spec.PlaceholderScope;
import dev.cutter.spec.EntrySection;
import dev.cutter.spec.SectionChecks;
import dev.cutter.spec.SectionReader;
import java.util.List;

/** {@code signs:}: detached or clearsigned OpenPGP signatures over checksums, archives or packages. */
public final class SignSection extends EntrySection<SignSpec> {
    public static final SignSection SECTION = new SignSection();

    private SignSection() {
        super("signs");
    }

    @Override
    protected SignSpec entry(SectionReader reader, Fields f, String id, String at) {
        SignSpec sign = new SignSpec(id, f.choice("artifacts", "checksums", List.of("checksums", "archives", "packages", "all")),
                f.requiredTemplate("key", "\"${file:keys/release.asc}\""), f.template("passphrase"),
                f.choice("mode", "detached", List.of("detached", "clearsign")), f.location());
        return sign;
    }

    @Override
    protected void check(SignSpec s, String at, SectionChecks checks) {
        PlaceholderScope scope = PlaceholderScope.none(at);
        checks.check(s.key(), scope, true);
        s.passphrase().ifPresent(t -> checks.check(t, scope, true));
        if (s.artifacts().equals("checksums") && ChecksumSection.SECTION.of(checks.spec()).isEmpty()) {
            checks.problem(s.location(), at + ".artifacts", "signs the checksums file but the spec has no"
                    + " 'checksums:' section; add checksums: true or sign archives");
        }
    }
}
