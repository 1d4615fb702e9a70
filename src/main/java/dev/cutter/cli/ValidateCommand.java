package dev.cutter.cli;

import dev.cutter.spec.Spec;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

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
                options.file, spec.project(), spec.builds().size(), spec.images().size(), spec.archives().size(),
                spec.packages().size(), spec.repositories().size(), spec.releases().size(), spec.components().size());
        out.flush();
        return ExitCode.OK;
    }
}
