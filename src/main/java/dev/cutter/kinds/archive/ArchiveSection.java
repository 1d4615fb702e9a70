package dev.cutter.kinds.archive;

import dev.cutter.content.ProjectPaths;
import dev.cutter.kinds.build.BuildSection;
import dev.cutter.spec.Cell;
import dev.cutter.spec.Fields;
import dev.cutter.spec.Matrix;
import dev.cutter.spec.MatrixSpec;
import dev.cutter.spec.PlaceholderScope;
import dev.cutter.spec.EntrySection;
import dev.cutter.spec.SectionChecks;
import dev.cutter.spec.SectionReader;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code archives:}: reproducible archives of file selections, with an optional install order. */
public final class ArchiveSection extends EntrySection<ArchiveSpec> {
    public static final ArchiveSection SECTION = new ArchiveSection();

    private ArchiveSection() {
        super("archives");
    }

    @Override
    protected ArchiveSpec entry(SectionReader reader, Fields f, String id, String at) {
        MatrixSpec matrix = reader.matrix(f);
        String format = f.choice("format", "tar.gz", List.of("tar.gz", "tar.zst", "zip"));
        String defaultName = matrix.hasPlatforms() ? "{project}-{version}-{platform.os}-{platform.arch}." + format
                : "{project}-{version}." + format;
        ArchiveSpec archive = new ArchiveSpec(id, matrix, format, f.template("name", defaultName),
                f.list("files", (n, a) -> reader.fileSpec(f, n, a)),
                f.node("install-order").map(n -> f.integer("install-order", 0, 0)), f.strings("needs"), f.location());
        if (archive.files().isEmpty()) {
            f.problem(f.location(), at, "holds no files; add e.g. files: [ \"dist/**\" ]");
        }
        return archive;
    }

    @Override
    protected void check(ArchiveSpec a, String at, SectionChecks checks) {
        PlaceholderScope scope = checks.scope(a.matrix(), at);
        checks.check(a.name(), scope, false);
        a.files().forEach(file -> checks.files(file, scope));
        BuildSection.checkNeeds(a.needs(), at, a.location(), checks);
    }

    @Override
    public void checkFiles(List<ArchiveSpec> archives, SectionChecks checks) {
        for (var archive : archives) {
            for (Cell cell : Matrix.expand(archive.matrix())) {
                archive.files().forEach(f -> checks.projectFile(f.src(), cell));
            }
        }
        for (int i = 0; i < archives.size(); i++) {
            var archive = archives.get(i);
            for (Cell cell : Matrix.expand(archive.matrix())) {
                String at = "archives[" + i + "]";
                Optional<String> problem = ProjectPaths.fileNameProblem(checks.sample(archive.name(), cell, "x"));
                problem.filter(checks::firstTime).ifPresent(p -> checks.problem(archive.name().location(), at + ".name", p));
                if (problem.isEmpty()) {
                    checks.uniqueOutput(checks.sample(archive.name(), cell, null), at, cell, archive.name(), "archive");
                }
            }
        }
    }

    @Override
    public List<SectionChecks.MatrixEntry> matrices(List<ArchiveSpec> archives) {
        return matrices(archives, ArchiveSpec::matrix, a -> Matrix.count(a.matrix()));
    }

    @Override
    public Map<String, List<String>> selectable(List<ArchiveSpec> archives) {
        return selectableAs("archive", archives);
    }
}
