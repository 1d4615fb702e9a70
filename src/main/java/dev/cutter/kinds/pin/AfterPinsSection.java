package dev.cutter.kinds.pin;

import dev.cutter.spec.Cell;
import dev.cutter.spec.Entry;
import dev.cutter.spec.EntrySection;
import dev.cutter.spec.Fields;
import dev.cutter.spec.Location;
import dev.cutter.spec.PlaceholderScope;
import dev.cutter.spec.SectionChecks;
import dev.cutter.spec.SectionReader;
import dev.cutter.spec.Spec;
import dev.cutter.spec.Template;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code after-pins:}: commands run once a component's pins are set, before they are committed, in
 * the same commit (e.g. {@code go mod tidy}, so go.sum follows a pinned go.mod).
 */
public final class AfterPinsSection extends EntrySection<AfterPinsSection.AfterPinSpec> {
    public static final AfterPinsSection SECTION = new AfterPinsSection();

    /**
     * One command.
     *
     * @param run        the shell command ({@code /bin/sh -c})
     * @param dir        where it runs, a directory of the project ({@code .} by default)
     * @param component  the component whose release runs it
     * @param inheritEnv variables of Cutter's environment it sees besides the base set (PATH, HOME…)
     */
    public record AfterPinSpec(String id, Template run, Template dir, String component, List<String> inheritEnv,
            Location location) implements Entry {}

    private AfterPinsSection() {
        super("after-pins", "after-pins");
    }

    @Override
    protected AfterPinSpec entry(SectionReader reader, Fields f, String id, String at) {
        AfterPinSpec spec = new AfterPinSpec(id,
                f.requiredTemplate("run", "\"go mod tidy\""), f.template("dir", "."), f.required("component", "cloud-api-adaptor"),
                f.strings("inherit-env"), f.location());
        return spec;
    }

    @Override
    protected void check(AfterPinSpec a, String at, SectionChecks checks) {
        Set<String> components = new LinkedHashSet<>(checks.spec().components().stream().map(Spec.ComponentSpec::id).toList());
        PlaceholderScope scope = PlaceholderScope.none(at);
        checks.check(a.run(), scope, false);
        checks.check(a.dir(), scope, false);
        checks.references(List.of(a.component()), components, "components", at + ".component", a.location());
    }

    @Override
    public void checkFiles(List<AfterPinSpec> entries, SectionChecks checks) {
        entries.forEach(a -> checks.projectFile(a.dir(), Cell.EMPTY));
    }
}
