package dev.cutter.kinds.build;

import dev.cutter.spec.Fields;
import dev.cutter.spec.Matrix;
import dev.cutter.spec.MatrixSpec;
import dev.cutter.spec.PlaceholderScope;
import dev.cutter.spec.Section;
import dev.cutter.spec.SectionChecks;
import dev.cutter.spec.SectionReader;
import dev.cutter.spec.YamlNode;
import dev.cutter.spec.Spec;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code builds:}: commands that produce files, each with its matrix, inputs and outputs. */
public final class BuildSection implements Section<List<BuildSpec>> {
    public static final BuildSection SECTION = new BuildSection();

    private BuildSection() {}

    @Override
    public String key() {
        return "builds";
    }

    @Override
    public List<BuildSpec> read(SectionReader reader) {
        return reader.top().list(key(), (node, at) -> build(reader, node, at));
    }

    private static BuildSpec build(SectionReader reader, YamlNode node, String at) {
        Fields f = reader.top().open(node, at);
        String id = reader.id(f);
        MatrixSpec matrix = reader.matrix(f);
        BuildSpec build = new BuildSpec(id, matrix, f.requiredTemplate("run", "make dist"), f.env("env"),
                f.choice("dir", "project", List.of("project", "clean")), f.templates("inputs"), f.templates("outputs"),
                f.strings("needs"), f.duration("timeout"), f.integer("retries", 0, 0), f.integer("concurrency", 0, 0),
                f.location());
        f.finish();
        return build;
    }

    @Override
    public void check(List<BuildSpec> builds, SectionChecks checks) {
        Set<String> ids = checks.unique("builds", builds, BuildSpec::id, BuildSpec::location);
        for (int i = 0; i < builds.size(); i++) {
            var b = builds.get(i);
            String at = "builds[" + i + "]";
            PlaceholderScope scope = checks.scope(b.matrix(), at);
            checks.check(b.run(), scope, false);
            b.env().values().forEach(t -> checks.check(t, scope, true));
            b.inputs().forEach(t -> checks.check(t, scope, false));
            b.outputs().forEach(t -> checks.check(t, scope, false));
            checks.references(b.needs(), ids, "builds", at + ".needs", b.location());
        }
        checks.cycles("builds", builds, BuildSpec::id, BuildSpec::needs, BuildSpec::location);
    }

    /** The ids of {@code spec}'s builds: what other sections' {@code needs} may name. */
    public static Set<String> ids(Spec spec) {
        return new LinkedHashSet<>(spec.sections().get(SECTION).stream().map(BuildSpec::id).toList());
    }

    @Override
    public List<SectionChecks.MatrixEntry> matrices(List<BuildSpec> builds) {
        List<SectionChecks.MatrixEntry> entries = new ArrayList<>();
        for (int i = 0; i < builds.size(); i++) {
            var b = builds.get(i);
            entries.add(new SectionChecks.MatrixEntry("builds[" + i + "]", b.location(), b.matrix(), Matrix.count(b.matrix())));
        }
        return entries;
    }

    @Override
    public Map<String, List<String>> selectable(List<BuildSpec> builds) {
        return Map.of("build", builds.stream().map(BuildSpec::id).toList());
    }
}
