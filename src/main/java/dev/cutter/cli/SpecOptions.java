package dev.cutter.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code -f FILE}, shared by every command that reads a spec. */
final class SpecOptions {
    @Option(names = {"-f", "--file"}, paramLabel = "FILE", defaultValue = "cutter.yaml",
            description = "The spec to read (default: ${DEFAULT-VALUE}).")
    Path file;
}
