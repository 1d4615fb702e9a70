package dev.cutter.cli;

import dev.cutter.spec.Spec;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import dev.cutter.kinds.archive.ArchiveSection;
import dev.cutter.kinds.build.BuildSection;
import dev.cutter.kinds.image.ImageSection;
import dev.cutter.kinds.packages.PackageSection;
import dev.cutter.kinds.release.ReleaseSection;
import dev.cutter.kinds.repository.RepositorySection;

/** {@code cutter validate}: loads and checks a spec, nothing else. */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = "Check a spec: keys, types, placeholders, references. Exit 2 with FILE:LINE:COLUMN on a fault.")
final class ValidateCommand implements Callable<Integer> {
    @Mixin
    SpecOptions options;

    @Mixin
    Wiring wiring;

    @Override
    public Integer call() {
        Spec spec = wiring.spec(options.file);
        var out = wiring.out();
        out.printf("%s: ok (project %s: %d builds, %d images, %d archives, %d packages, %d repositories, %d releases, %d components)%n",
                options.file, spec.project(), spec.sections().get(BuildSection.SECTION).size(), spec.sections().get(ImageSection.SECTION).size(),
                spec.sections().get(ArchiveSection.SECTION).size(), PackageSection.SECTION.of(spec).size(), RepositorySection.SECTION.of(spec).size(),
                ReleaseSection.SECTION.of(spec).size(), spec.components().size());
        out.flush();
        return ExitCode.OK;
    }
}
