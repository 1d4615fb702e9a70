package dev.cutter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cutter.testing.Tools;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cutter schema}: the JSON Schema of cutter.yaml made from the loader, committed as
 * docs/cutter.schema.json, and checked by an independent validator (ajv, from npm): every
 * example's spec passes it, and specs the loader refuses for a key or a type fail it.
 */
class SchemaCommandTest {
    static final Path COMMITTED = Path.of("docs", "cutter.schema.json");

    @TempDir
    Path dir;

    @Test
    void theCommittedSchemaIsTheOneCutterMakes() throws Exception {
        CliTest.Result result = CliTest.run("schema");
        assertThat(result.code()).as(result.err()).isZero();
        if (Boolean.getBoolean("golden.update")) {
            Files.writeString(COMMITTED, result.out());
        }

        assertThat(Files.readString(COMMITTED)).as("docs/cutter.schema.json is stale: run `cutter schema -o docs/cutter.schema.json`"
                + " (or this test with -Dgolden.update=true)").isEqualTo(result.out());
        JsonNode schema = new ObjectMapper().readTree(result.out());
        assertThat(schema.path("$schema").asText()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
        assertThat(schema.path("required")).extracting(JsonNode::asText).contains("project");
        assertThat(schema.path("additionalProperties").asBoolean()).isFalse();
        List<String> top = new ArrayList<>();
        schema.path("properties").fieldNames().forEachRemaining(top::add);
        assertThat(top).as("every top-level key the loader knows").containsExactlyInAnyOrderElementsOf(
                dev.cutter.kinds.Capabilities.specLoader().keys());
    }

    private record Validation(int status, String output) {}

    private Validation ajv(Path data) throws Exception {
        List<String> command = List.of(Tools.npm("ajv").toString(), "validate", "--spec=draft2020", "--strict=false", "--all-errors",
                "-s", COMMITTED.toAbsolutePath().toString(), "-d", data.toAbsolutePath().toString());
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(1, TimeUnit.MINUTES)).isTrue();
        return new Validation(p.exitValue(), out);
    }

    @Test
    void everyExamplesSpecPassesTheSchemaInAnIndependentValidator() throws Exception {
        List<Path> examples;
        try (Stream<Path> files = Files.list(Path.of("examples"))) {
            examples = files.map(d -> d.resolve("cutter.yaml")).filter(Files::isRegularFile).sorted().toList();
        }
        assertThat(examples).hasSizeGreaterThanOrEqualTo(5);
        for (Path example : examples) {
            Validation v = ajv(example);
            assertThat(v.status()).as(example + ":\n" + v.output()).isZero();
        }
    }

    @Test
    void specsTheLoaderRefusesForAKeyOrATypeFailTheSchema() throws Exception {
        List<String> bad = List.of(
                "project: demo\nbuilds:\n  - id: b\n    rnu: \"true\"\n",                    // a misspelt key
                "project: demo\nversion:\n  scheme: calver\n",                              // a word not among the choices
                "project: demo\nexecution:\n  parallel: many\n",                            // not a whole number
                "builds:\n  - id: b\n    run: make\n",                                      // no project
                "project: demo\nimages:\n  - id: app\n    platforms: { linux: amd64 }\n");  // a map where a list goes
        for (String text : bad) {
            Path file = dir.resolve("bad.yaml");
            Files.writeString(file, text);
            CliTest.Result loader = CliTest.run("validate", "-f", file.toString());
            assertThat(loader.code()).as("the loader refuses:\n" + text).isEqualTo(ExitCode.BAD_INPUT);

            Validation v = ajv(file);

            assertThat(v.status()).as("ajv refuses:\n" + text + "\n" + v.output()).isNotZero();
            assertThat(v.output()).contains("invalid");
        }
    }

    @Test
    void theSchemaCanBeWrittenToAFileAndNamedInJson() throws Exception {
        Path out = dir.resolve("cutter.schema.json");

        CliTest.Result result = CliTest.run("schema", "-o", out.toString(), "--json");

        assertThat(result.code()).as(result.err()).isZero();
        assertThat(new ObjectMapper().readTree(result.out()).path("file").asText()).isEqualTo(out.toString());
        assertThat(Files.readString(out)).isEqualTo(Files.readString(COMMITTED));
    }
}
