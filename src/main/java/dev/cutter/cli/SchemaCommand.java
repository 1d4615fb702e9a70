package dev.cutter.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cutter.spec.SpecSchema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code cutter schema}: the JSON Schema of cutter.yaml, for editors and validators. */
@Command(footer = {"%nExamples:", "  cutter schema -o cutter.schema.json",
        "  # first line of cutter.yaml, for VS Code (YAML extension) and IntelliJ:",
        "  # yaml-language-server: $schema=./cutter.schema.json"},
        name = "schema",
        description = "Print the JSON Schema (draft 2020-12) of cutter.yaml, made from the keys Cutter's loader reads"
                + " (docs/editors.md).")
final class SchemaCommand implements Callable<Integer> {
    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write the schema to FILE (default: standard output).")
    Path output;

    @Mixin
    JsonOption json;

    @Mixin
    Wiring wiring;

    /** Where the probes are: the examples' specs, packed with Cutter. */
    static final String PROBES = "/dev/cutter/spec/probes";

    @Override
    public Integer call() throws IOException {
        String text = SpecSchema.text(schema(wiring.services().specLoader()));
        if (output != null) {
            Files.writeString(wiring.services().resolve(output), text);
        }
        if (json.json) {
            JsonOption.print(wiring.out(), output != null ? Map.of("file", output.toString()) : Map.of("schema",
                    JsonOption.mapper().readTree(text)));
        } else if (output == null) {
            wiring.out().print(text);
            wiring.out().flush();
        } else {
            wiring.err().println("the schema of cutter.yaml is in " + output);
            wiring.err().flush();
        }
        return ExitCode.OK;
    }

    /** The schema {@code loader} reads, learned from the probes packed with Cutter. */
    static ObjectNode schema(dev.cutter.spec.SpecLoader loader) {
        Map<String, String> probes = probes();
        return SpecSchema.of(loader, Path.of("/nonexistent-probe-project"), probes);
    }

    /** The probe specs by name ({@code km/cutter.yaml}…), in name order, from the jar or the classes directory. */
    static Map<String, String> probes() {
        try {
            URI uri = SchemaCommand.class.getResource(PROBES).toURI();
            if (uri.getScheme().equals("jar")) {
                try (FileSystem jar = FileSystems.newFileSystem(uri, Map.of())) {
                    return read(jar.getPath(PROBES));
                }
            }
            return read(Path.of(uri));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("Cutter was built without its probe specs (" + PROBES + ")", e);
        }
    }

    private static Map<String, String> read(Path root) throws IOException {
        Map<String, String> probes = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                probes.put(root.relativize(file).toString(), Files.readString(file));
            }
        }
        return probes;
    }
}
