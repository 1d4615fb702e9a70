package dev.cutter.kinds.requires;

import dev.cutter.spec.EntrySection;
import dev.cutter.spec.Fields;
import dev.cutter.spec.PlaceholderScope;
import dev.cutter.spec.SectionChecks;
import dev.cutter.spec.SectionReader;
import dev.cutter.spec.Spec;
import dev.cutter.spec.Template;
import dev.cutter.spec.YamlNode;
import dev.cutter.spec.Cell;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code requires:}: the upstream releases a release depends on (the versions its pins name),
 * each looked for before the first job and waited for up to its {@code wait:}.
 */
public final class RequireSection extends EntrySection<RequireSpec> {
    public static final RequireSection SECTION = new RequireSection();

    /** Where an upstream release may be looked for, each a key of its own. */
    static final List<String> SOURCES = List.of("git", "release", "image");

    private RequireSection() {
        super("requires", RequireSpec::id, RequireSpec::location);
    }

    @Override
    protected RequireSpec entry(SectionReader reader, YamlNode node, String at) {
        Fields f = reader.top().open(node, at);
        List<String> given = SOURCES.stream().filter(f::has).toList();
        if (given.size() != 1) {
            f.problem(f.location(), at, "give exactly one of git (a remote's URL), release (a forge's releases, e.g."
                    + " github:OWNER/REPO) or image (REGISTRY/path): where the upstream release is, e.g."
                    + " git: https://github.com/confidential-containers/guest-components");
        }
        String source = given.isEmpty() ? "git" : given.get(0);
        Optional<Template> from = source.equals("image") ? Optional.empty() : f.template(source);
        Optional<Spec.RepositoryRef> image = source.equals("image")
                ? f.node("image").flatMap(n -> reader.repositoryRef(f, n, f.child("image"))) : Optional.empty();
        SOURCES.forEach(f::node); // the others were told above
        Optional<Template> token = f.template("token");
        if (token.isPresent() && !source.equals("release")) {
            f.problem(f.keyLocation("token"), f.child("token"), "'token' goes with 'release' only (a forge's API token); remove it");
        }
        RequireSpec spec = new RequireSpec(f.string("id", "requires-" + at.replaceAll("\\D", "")), source, from, image,
                f.requiredTemplate("tag", "\"v{vars.GUEST_COMPONENTS}\""), f.duration("wait"), f.string("component"), token,
                f.location());
        f.finish();
        return spec;
    }

    @Override
    protected void check(RequireSpec r, String at, SectionChecks checks) {
        PlaceholderScope scope = PlaceholderScope.none(at);
        r.from().ifPresent(from -> checks.check(from, scope, false));
        r.image().ifPresent(image -> checks.repository(image, scope, at + ".image"));
        checks.check(r.tag(), scope, false);
        r.token().ifPresent(token -> checks.check(token, scope, true));
        Set<String> components = new LinkedHashSet<>(checks.spec().components().stream().map(Spec.ComponentSpec::id).toList());
        r.component().ifPresent(c -> checks.references(List.of(c), components, "components", at + ".component", r.location()));
        r.from().filter(from -> r.source().equals("release") && from.placeholders().isEmpty()).ifPresent(from -> {
            String store = checks.sample(from, Cell.EMPTY, null);
            if (!Requires.isForge(store)) {
                checks.problem(from.location(), at + ".release", "'" + store + "' is no forge's releases; write github:OWNER/REPO,"
                        + " gitlab:GROUP/PROJECT or gitea:HOST/OWNER/REPO");
            }
        });
        r.from().filter(from -> r.source().equals("git") && from.placeholders().isEmpty()
                && checks.sample(from, Cell.EMPTY, null).isBlank())
                .ifPresent(from -> checks.problem(from.location(), at + ".git", "the remote's URL is empty; write e.g."
                        + " https://github.com/confidential-containers/guest-components"));
    }
}
