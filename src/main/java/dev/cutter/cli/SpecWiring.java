package dev.cutter.cli;

import dev.cutter.spec.Spec;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;

/**
 * The spec a command reads ({@code -f FILE}) and what its command line gives it ({@link Wiring}):
 * the one mixin of every command that reads a spec; {@link Project} adds the spec's ledger.
 */
@picocli.CommandLine.Command // a mixin of mixins
class SpecWiring extends Wiring {
    @Mixin
    SpecOptions spec;

    /** The spec's file as given ({@code cutter.yaml} unless {@code -f} says otherwise). */
    Path file() {
        return spec.file;
    }

    /** The spec {@code -f} names, against the working directory. */
    Spec spec() {
        return spec(spec.file);
    }
}
