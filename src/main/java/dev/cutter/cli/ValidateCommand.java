package dev.cutter.cli;

import dev.cutter.spec.Spec;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import dev.cutter.kinds.archive.ArchiveSection;
import dev.cutter.kinds.build.BuildSection;
import dev.cutter.kinds.image.ImageSection;
import dev.cutter.kinds.packages.PackageSection;
import dev.cutter.kinds.release.ReleaseSection;
import dev.cutter.kinds.repository.RepositorySection;

/** {@code cutter validate}: loads and checks a spec, nothing else. */
@Command(footer = {"%nExamples:", "  cutter validate", "  cutter validate -f deploy/cutter.yaml --json"},
        name = "validate",
        description = "Check a spec: keys, types, placeholders, references. Exit 2 with FILE:LINE:COLUMN on a fault.")
final class ValidateCommand extends SpecCommand {
    @Mixin
    JsonOption json;

    @Override
    int call(Spec spec, PrintWriter out) {
        Map<String, Object> counts = new LinkedHashMap<>();
        counts.put("builds", spec.sections().get(BuildSection.SECTION).size());
        counts.put("images", spec.sections().get(ImageSection.SECTION).size());
        counts.put("archives", spec.sections().get(ArchiveSection.SECTION).size());
        counts.put("packages", PackageSection.SECTION.of(spec).size());
        counts.put("repositories", RepositorySection.SECTION.of(spec).size());
        counts.put("releases", ReleaseSection.SECTION.of(spec).size());
        counts.put("components", spec.components().size());
        if (json.json) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("file", wiring.file().toString());
            body.put("project", spec.project());
            body.putAll(counts);
            JsonOption.print(out, body);
            return ExitCode.OK;
        }
        out.printf("%s: ok (project %s: %s)%n", wiring.file(), spec.project(), counts.entrySet().stream()
                .map(c -> c.getValue() + " " + c.getKey()).collect(java.util.stream.Collectors.joining(", ")));
        out.flush();
        return ExitCode.OK;
    }
}
