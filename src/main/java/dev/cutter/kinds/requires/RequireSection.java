package dev.cutter.kinds.requires;

import dev.cutter.spec.EntrySection;
import dev.cutter.spec.Fields;
import dev.cutter.spec.PlaceholderScope;
import dev.cutter.spec.SectionChecks;
import dev.cutter.spec.SectionReader;
import dev.cutter.spec.Spec;
import dev.cutter.spec.Template;
import dev.cutter.spec.Cell;
import dev.cutter.kinds.pin.PinSection;
import dev.cutter.kinds.pin.PinSpec;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
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
        super("requires", "requires");
    }

    @Override
    protected RequireSpec entry(SectionReader reader, Fields f, String id, String at) {
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
        RequireSpec spec = new RequireSpec(id, source, from, image,
                f.requiredTemplate("tag", "\"v{vars.GUEST_COMPONENTS}\""), f.duration("wait"), f.string("component"), token,
                f.location());
        return spec;
    }

    @Override
    protected void check(RequireSpec r, String at, SectionChecks checks) {
        r.from().ifPresent(from -> checks.check(from, pinned(from, checks), false));
        r.image().ifPresent(image -> checks.repository(image, PlaceholderScope.none(at), at + ".image"));
        checks.check(r.tag(), pinned(r.tag(), checks), false);
        r.token().ifPresent(token -> checks.check(token, PlaceholderScope.none(at), true));
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

    /**
     * The scope of a requirement's tag or remote: the release's placeholders and {@code {pins.ID}},
     * the value pin {@code ID} sets. Each such placeholder is checked here, where it is written: it
     * names a pin, and one whose value is known when the plan is made (not a {@code digest-of}).
     */
    private static PlaceholderScope pinned(Template template, SectionChecks checks) {
        Map<String, PinSpec> pins = new LinkedHashMap<>();
        PinSection.SECTION.of(checks.spec()).forEach(p -> pins.putIfAbsent(p.id(), p));
        Set<String> named = new LinkedHashSet<>(pins.keySet());
        for (Template.Placeholder p : template.placeholders()) {
            if (!p.head().equals(Requires.PINS)) {
                continue;
            }
            Optional<String> id = p.field();
            id.ifPresent(named::add); // told here, not again as an unknown field
            Optional<String> problem;
            if (id.isEmpty()) {
                problem = Optional.of("{" + p.name() + "} names no pin; write {pins.ID}, the value the pin ID sets"
                        + (pins.isEmpty() ? "" : ", e.g. {pins." + pins.keySet().iterator().next() + "}"));
            } else if (!pins.containsKey(id.get())) {
                String hint = checks.suggestion(id.get(), pins.keySet());
                problem = Optional.of("{" + p.name() + "} names no pin" + (hint != null ? "; did you mean {pins." + hint + "}?"
                        : pins.isEmpty() ? "; pins: has none" : "; the pins are " + String.join(", ", pins.keySet())));
            } else {
                problem = pins.get(id.get()).digestOf().map(image -> "{" + p.name() + "}: that pin's value is the digest of image "
                        + image + ", read when its job runs; a requirement is known when the plan is made: name its tag instead");
            }
            problem.ifPresent(message -> checks.problem(template.locationOf(p.offset()), template.path(), message));
        }
        return new PlaceholderScope(Map.of(Requires.PINS, named), template.path());
    }
}
