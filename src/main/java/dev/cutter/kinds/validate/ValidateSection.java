package dev.cutter.kinds.validate;

import dev.cutter.kinds.image.ImageSection;
import dev.cutter.spec.Fields;
import dev.cutter.spec.PlaceholderScope;
import dev.cutter.spec.Platforms;
import dev.cutter.spec.EntrySection;
import dev.cutter.spec.SectionChecks;
import dev.cutter.spec.SectionReader;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code validate:}: checks after publication (commands, images, assets, installs); they gate promotion. */
public final class ValidateSection extends EntrySection<ValidateSpec> {
    public static final ValidateSection SECTION = new ValidateSection();

    private ValidateSection() {
        super("validate");
    }

    @Override
    protected ValidateSpec entry(SectionReader reader, Fields f, String id, String at) {
        String check = f.choice("check", f.has("run") ? "run" : "images",
                List.of("run", "images", "assets", "apt-install", "yum-install", "attestations"));
        ValidateSpec validate = new ValidateSpec(id, check, f.template("run"), f.string("image"), f.string("platform"),
                f.env("env"), f.duration("timeout"), f.location());
        if (check.equals("run") && validate.run().isEmpty()) {
            f.problem(f.location(), at, "check: run needs a 'run' command, e.g. run: ./scripts/smoke.sh");
        }
        validate.platform().ifPresent(platform -> {
            if (validate.image().isEmpty() || !check.equals("run")) {
                f.problem(f.location(), at + ".platform", "platform only chooses which image filesystem a check: run"
                        + " gets unpacked; give the check an image (image: ID) or remove platform");
            }
            Platforms.problem(platform).ifPresent(p -> f.problem(f.location(), at + ".platform", p));
        });
        return validate;
    }



    @Override
    protected void check(ValidateSpec v, String at, SectionChecks checks) {
        Set<String> images = ImageSection.SECTION.ids(checks.spec());
        PlaceholderScope scope = PlaceholderScope.none(at);
        v.run().ifPresent(t -> checks.check(t, scope, false));
        v.env().values().forEach(t -> checks.check(t, scope, true));
        v.image().ifPresent(img -> checks.references(List.of(img), images, "images", at + ".image", v.location()));
        String reads = switch (v.check()) {
            case "apt-install", "yum-install" -> dev.cutter.kinds.repository.RepositorySection.SECTION.of(checks.spec()).stream()
                    .anyMatch(r -> r.type().equals(v.check().substring(0, v.check().indexOf('-')))) ? ""
                    : "a" + (v.check().startsWith("apt") ? "n " : " ") + v.check().substring(0, v.check().indexOf('-')) + " repository, and the spec publishes none; add one under"
                            + " repositories: or remove the check";
            case "attestations" -> dev.cutter.kinds.attest.AttestSection.SECTION.of(checks.spec()).isEmpty()
                    ? "what attestations: makes, and the spec has no attestations: section; add one or remove the check" : "";
            case "assets" -> dev.cutter.kinds.release.ReleaseSection.SECTION.of(checks.spec()).isEmpty()
                    ? "a release's assets, and the spec publishes no release; add one under releases: or remove the check" : "";
            default -> "";
        };
        if (!reads.isEmpty()) {
            checks.problem(v.location(), at + ".check", "check '" + v.check() + "' reads " + reads);
        }
    }

    @Override
    public Map<String, List<String>> selectable(List<ValidateSpec> validations) {
        return selectableAs("validate", validations);
    }
}
