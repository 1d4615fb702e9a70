package dev.cutter.spec;

import java.nio.file.Path;

/**
 * Runs a matrix's {@code generate:} command, the program that writes its data file (dbx's
 * {@code dbx-container build} writes Dockerfiles and {@code build_summary.json}), before the file
 * is read. The loader stays pure: what runs the command is given to it.
 */
public interface MatrixGenerator {
    /**
     * Runs {@code command} in {@code directory} (the spec's) to its end.
     *
     * @throws Failure when it cannot start, runs out of time or exits with a status other than 0;
     *     the message says which, with the last lines it printed
     */
    void generate(String command, Path directory) throws Failure;

    /** A loader that runs no command: a spec with {@code generate:} is refused where it says so. */
    MatrixGenerator NONE = (command, directory) -> {
        throw new Failure("this loader runs no generate: commands; load the spec through cutter");
    };

    /** Why a generate command did not give its data. */
    final class Failure extends Exception {
        public Failure(String message) {
            super(message);
        }
    }
}
