package dev.cutter.kinds.checksums;

import dev.cutter.content.ProjectPaths;
import dev.cutter.spec.Cell;
import dev.cutter.spec.PlaceholderScope;
import dev.cutter.spec.Section;
import dev.cutter.spec.SectionChecks;
import dev.cutter.spec.SectionReader;
import dev.cutter.spec.Template;
import java.util.List;
import java.util.Optional;

/** {@code checksums:}: {@code true}, or {@code { name, algorithm }}. */
public final class ChecksumSection implements Section<Optional<ChecksumSpec>> {
    public static final ChecksumSection SECTION = new ChecksumSection();

    private ChecksumSection() {}

    @Override
    public String key() {
        return "checksums";
    }

    @Override
    public Optional<ChecksumSpec> read(SectionReader reader) {
        return reader.top().switchOrMap(key(), () -> new ChecksumSpec(Template.literal("SHA256SUMS"), "sha256"), f -> {
            String algorithm = f.choice("algorithm", "sha256", List.of("sha256", "sha512"));
            ChecksumSpec spec = new ChecksumSpec(f.template("name", algorithm.toUpperCase() + "SUMS"), algorithm);
            f.finish();
            return spec;
        });
    }

    @Override
    public void check(Optional<ChecksumSpec> checksums, SectionChecks checks) {
        checksums.ifPresent(c -> checks.check(c.name(), PlaceholderScope.none("checksums"), false));
    }

    @Override
    public void checkFiles(Optional<ChecksumSpec> checksums, SectionChecks checks) {
        checksums.ifPresent(c -> {
            Optional<String> problem = ProjectPaths.fileNameProblem(checks.sample(c.name(), Cell.EMPTY, "x"));
            problem.ifPresent(p -> checks.problem(c.name().location(), "checksums.name", p));
            if (problem.isEmpty()) {
                checks.uniqueOutput(checks.sample(c.name(), Cell.EMPTY, null), "checksums", Cell.EMPTY, c.name(), "checksums file");
            }
        });
    }
}
