package dev.cutter.cli;

import dev.cutter.spec.Spec;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;

/**
 * A command on the spec {@code -f} names: the spec is read before anything else, so a fault in it
 * is the first thing the command says; then the command's own work on it.
 */
abstract class SpecCommand implements Callable<Integer> {
    /** The command's spec and what its command line gives it: picocli fills the instance given, whatever its class. */
    @Mixin
    final SpecWiring wiring;

    SpecCommand() {
        this(new SpecWiring());
    }

    SpecCommand(SpecWiring wiring) {
        this.wiring = wiring;
    }

    @Override
    public final Integer call() throws Exception {
        Spec spec = wiring.spec();
        return call(spec, wiring.out());
    }

    /** The command's work on {@code spec}, printing to {@code out}; its exit code. */
    abstract int call(Spec spec, PrintWriter out) throws Exception;
}
