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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** {@code pins:}: values set in files of the checkout before a version is tagged. */
public final class PinSection extends EntrySection<PinSpec> {
    public static final PinSection SECTION = new PinSection();

    private PinSection() {
        super("pins", "pin");
    }

    @Override
    protected PinSpec entry(SectionReader reader, Fields f, String id, String at) {
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
        PinSpec pin = new PinSpec(id, f.requiredTemplate("file", "versions.yaml"),
                kind, kind.equals("kustomize-image") ? target + "#" + field : target, replace,
                value, f.bool("revert-after", false), f.string("component"), digestOf, f.location());
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
        for (int i = 0; i < pins.size(); i++) {
            PinSpec pin = pins.get(i);
            checks.projectFile(pin.file(), Cell.EMPTY);
            present(pin, "pins[" + i + "]", checks);
        }
    }

    /**
     * A pin whose file is named without placeholders must find it, and (a key kind) its key in it,
     * when the spec is read: a typo is told at validate, not after the builds. A go.mod require and a
     * regex are found when the pin job runs (their values decide what is valid).
     */
    private static void present(PinSpec pin, String at, SectionChecks checks) {
        String name = checks.sample(pin.file(), Cell.EMPTY, null);
        if (!pin.file().placeholders().isEmpty() || !dev.cutter.content.ProjectPaths.problem(name).isEmpty()) {
            return;
        }
        java.nio.file.Path file = checks.spec().directory().resolve(name).normalize();
        if (!java.nio.file.Files.isRegularFile(file)) {
            checks.problem(pin.file().location(), at + ".file", "the pinned file " + name + " does not exist in "
                    + checks.spec().directory());
            return;
        }
        String probe = switch (pin.kind()) {
            case "yaml", "json", "toml" -> "x";
            case "kustomize-image" -> pin.target().endsWith("#digest") ? "sha256:" + "0".repeat(64) : "x";
            default -> null;
        };
        if (probe == null) {
            return;
        }
        try {
            String text = java.nio.file.Files.readString(file).replaceFirst("^\uFEFF", "");
            dev.cutter.pin.PinEdit.apply(text, PinJob.pin(new dev.cutter.plan.Action.Pin(name, pin.kind(), pin.target(),
                    pin.replace(), probe, false, Optional.empty())), probe);
        } catch (dev.cutter.pin.PinException e) {
            checks.problem(pin.location(), at + "." + pin.kind(), name + ": " + e.problem());
        } catch (java.io.IOException | RuntimeException e) {
            checks.problem(pin.location(), at + ".file", name + ": cannot be read: " + e.getMessage());
        }
    }
}
