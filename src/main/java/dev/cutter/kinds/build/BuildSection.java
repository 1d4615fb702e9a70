package dev.cutter.kinds.build;

import dev.cutter.spec.EntrySection;
import dev.cutter.spec.Fields;
import dev.cutter.spec.Location;
import dev.cutter.spec.Matrix;
import dev.cutter.spec.MatrixSpec;
import dev.cutter.spec.PlaceholderScope;
import dev.cutter.spec.SectionChecks;
import dev.cutter.spec.SectionReader;
import java.util.List;
import java.util.Map;

/** {@code builds:}: commands that produce files, each with its matrix, inputs and outputs. */
public final class BuildSection extends EntrySection<BuildSpec> {
    public static final BuildSection SECTION = new BuildSection();

    private BuildSection() {
        super("builds");
    }

    @Override
    protected BuildSpec entry(SectionReader reader, Fields f, String id, String at) {
        MatrixSpec matrix = reader.matrix(f);
        BuildSpec build = new BuildSpec(id, matrix, f.requiredTemplate("run", "make dist"), f.env("env"),
                f.choice("dir", "project", List.of("project", "clean")), f.templates("inputs"), f.templates("outputs"),
                f.strings("needs"), f.duration("timeout"), f.integer("retries", 0, 0), f.integer("concurrency", 0, 0),
                f.location());
        return build;
    }

    @Override
    protected void check(BuildSpec b, String at, SectionChecks checks) {
        PlaceholderScope scope = checks.scope(b.matrix(), at);
        checks.check(b.run(), scope, false);
        b.env().values().forEach(t -> checks.check(t, scope, true));
        b.inputs().forEach(t -> checks.check(t, scope, false));
        b.outputs().forEach(t -> checks.check(t, scope, false));
        checkNeeds(b.needs(), at, b.location(), checks);
    }

    /** Checks that the {@code needs} of the entry at {@code at} (a build, image, archive or package) name builds. */
    public static void checkNeeds(List<String> needs, String at, Location location, SectionChecks checks) {
        checks.references(needs, SECTION.ids(checks.spec()), "builds", at + ".needs", location);
    }

    @Override
    protected void checkAll(List<BuildSpec> builds, SectionChecks checks) {
        checks.cycles("builds", builds, BuildSpec::id, BuildSpec::needs, BuildSpec::location);
    }

    @Override
    public List<SectionChecks.MatrixEntry> matrices(List<BuildSpec> builds) {
        return matrices(builds, BuildSpec::matrix, b -> Matrix.count(b.matrix()));
    }

    @Override
    public Map<String, List<String>> selectable(List<BuildSpec> builds) {
        return selectableAs("build", builds);
    }
}
