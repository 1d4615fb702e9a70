package dev.cutter.sbom;

import dev.cutter.testing.Tools;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * CycloneDX's and SPDX's own JSON Schemas (src/test/resources/supply/schemas, their licences in
 * its README) applied by ajv-cli, a validator Cutter's authors did not write.
 */
public final class Schemas {
    private static final Path DIR = Path.of("src/test/resources/supply/schemas").toAbsolutePath();

    private Schemas() {}

    /** ajv's verdict on {@code document} against CycloneDX 1.6: empty when valid, else its report. */
    public static String cycloneDxProblems(Path document) throws IOException, InterruptedException {
        return ajv(document, "bom-1.6.schema.json", "spdx.schema.json", "jsf-0.82.schema.json");
    }

    /** ajv's verdict on {@code document} against SPDX 2.3: empty when valid, else its report. */
    public static String spdxProblems(Path document) throws IOException, InterruptedException {
        return ajv(document, "spdx-2.3.schema.json");
    }

    private static String ajv(Path document, String schema, String... refs) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of(Tools.npm("ajv").toString(), "validate", "--spec=draft7",
                "--strict=false", "--all-errors", "-c", "ajv-formats", "-s", DIR.resolve(schema).toString()));
        for (String ref : refs) {
            command.add("-r");
            command.add(DIR.resolve(ref).toString());
        }
        command.add("-d");
        command.add(document.toString());
        Process process = new ProcessBuilder(command).directory(Path.of(".tools/npm").toAbsolutePath().toFile())
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int exit = process.waitFor();
        if (exit == 0 && output.contains(" valid")) {
            return "";
        }
        return "ajv exit " + exit + ":\n" + output.lines().filter(l -> !l.startsWith("unknown format")).reduce("", (a, b) -> a + b + "\n");
    }

    /** Writes {@code bytes} to a file in {@code dir} named {@code name}. */
    public static Path file(Path dir, String name, byte[] bytes) throws IOException {
        Path file = dir.resolve(name);
        Files.write(file, bytes);
        return file;
    }
}
