package dev.cutter.kinds.pin;

import dev.cutter.kinds.image.ImageSection;
import dev.cutter.spec.Cell;
import dev.cutter.spec.Fields;
import dev.cutter.spec.PlaceholderScope;
import dev.cutter.spec.EntrySection;
import dev.cutter.spec.SectionChecks;
import dev.cutter.spec.SectionReader;
import dev.cutter.spec.Spec;
import dev.cutter.spec.Template;
import dev.cutter.spec.YamlNode;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** {@code pins:}: values set in files of the checkout before a version is tagged. */
public final class PinSection extends EntrySection<PinSpec> {
    public static final PinSection SECTION = new PinSection();

    private PinSection() {
        super("pins", PinSpec::id, PinSpec::location);
    }

    @Override
    protected PinSpec entry(SectionReader reader, YamlNode node, String at) {
        Fields f = reader.top().open(node, at);
        List<String> kinds = List.of("yaml", "json", "toml", "go-require", "kustomize-image", "regex");
        List<String> given = kinds.stream().filter(f::has).toList();
        if (given.size() != 1) {
            f.problem(f.location(), at, "give exactly one of " + String.join(", ", kinds)
                    + " (what to edit in the file), e.g. yaml: oci.guest-components.reference");
        }
        String kind = given.isEmpty() ? "yaml" : given.get(0);
        kinds.forEach(f::node);
        String target = f.string(kind, "");
        Optional<String> replace = f.string("replace");
        if (kind.equals("regex")) {
            try {
                java.util.regex.Pattern.compile(target);
            } catch (java.util.regex.PatternSyntaxException e) {
                f.problem(f.keyLocation("regex"), f.child("regex"), "not a valid regular expression: " + e.getDescription());
            }
        } else if (replace.isPresent()) {
            f.problem(f.keyLocation("replace"), f.child("replace"), "'replace' goes with 'regex' only; remove it");
        }
        if (kind.equals("kustomize-image")) {
            f.choice("field", "newTag", List.of("newTag", "digest"));
        }
        String field = kind.equals("kustomize-image") ? f.string("field", "newTag") : "";
        Optional<String> digestOf = f.string("digest-of");
        if (digestOf.isPresent() && f.has("value")) {
            f.problem(f.location(), at, "give value or digest-of, not both");
        }
        Template value = digestOf.isPresent() ? Template.literal("") : f.requiredTemplate("value", "\"{version}\"");
        PinSpec pin = new PinSpec(f.string("id", "pin-" + at.replaceAll("\\D", "")), f.requiredTemplate("file", "versions.yaml"),
                kind, kind.equals("kustomize-image") ? target + "#" + field : target, replace,
                value, f.bool("revert-after", false), f.string("component"), digestOf, f.location());
        f.finish();
        return pin;
    }



    @Override
    protected void check(PinSpec p, String at, SectionChecks checks) {
        Set<String> components = new LinkedHashSet<>(checks.spec().components().stream().map(Spec.ComponentSpec::id).toList());
        Set<String> images = ImageSection.SECTION.ids(checks.spec());
        PlaceholderScope scope = PlaceholderScope.none(at);
        checks.check(p.file(), scope, false);
        checks.check(p.value(), scope, false);
        p.component().ifPresent(c -> checks.references(List.of(c), components, "components", at + ".component", p.location()));
        p.digestOf().ifPresent(image -> checks.references(List.of(image), images, "images", at + ".digest-of", p.location()));
    }

    @Override
    public void checkFiles(List<PinSpec> pins, SectionChecks checks) {
        pins.forEach(pin -> checks.projectFile(pin.file(), Cell.EMPTY));
    }
}
