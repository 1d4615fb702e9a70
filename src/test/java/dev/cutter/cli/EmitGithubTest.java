package dev.cutter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cutter emit github}: the workflow, which names no release, and {@code --matrix}, which
 * records the release in the ledger and prints its jobs for that workflow, once.
 */
class EmitGithubTest {
    @TempDir
    Path dir;

    private Path spec() throws Exception {
        Path spec = dir.resolve("cutter.yaml");
        Files.writeString(spec, """
                project: demo
                builds:
                  - id: app
                    platforms: [linux/amd64, linux/arm64]
                    run: "true"
                execution:
                  runners:
                    linux/arm64: [self-hosted, arm64]
                """);
        return spec;
    }

    @Test
    void theWorkflowIsWrittenWithoutARunAndARunIsChosenOnlyWithMatrix() throws Exception {
        Path spec = spec();
        Path ledger = dir.resolve("ledger.db");

        CliTest.Result workflow = CliTest.run("emit", "github", "-f", spec.toString(), "--ledger", ledger.toString(),
                "--action", "acme/cutter@v1");

        assertThat(workflow.code()).as(workflow.err()).isZero();
        JsonNode parsed = new YAMLMapper().readTree(workflow.out());
        assertThat(parsed.path("jobs").path("jobs-1").path("steps").get(1).path("uses").asText()).isEqualTo("acme/cutter@v1");
        assertThat(ledger).doesNotExist();
        CliTest.Result withVersion = CliTest.run("emit", "github", "-f", spec.toString(), "--version", "1.0.0");
        assertThat(withVersion.code()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(withVersion.err()).contains("the release is chosen when it is dispatched");

        CliTest.Result matrix = CliTest.run("emit", "github", "--matrix", "-f", spec.toString(), "--ledger", ledger.toString(),
                "--version", "1.0.0", "--artifacts", "127.0.0.1:5999/demo-artifacts");

        assertThat(matrix.code()).as(matrix.err()).isZero();
        assertThat(matrix.out().lines().count()).as("one line, for $GITHUB_OUTPUT").isEqualTo(1);
        JsonNode cells = new ObjectMapper().readTree(matrix.out());
        assertThat(cells.path("run").asText()).startsWith("r");
        assertThat(cells.path("parts").asInt()).isEqualTo(1);
        JsonNode include = cells.path("matrix").get(0).path("include");
        assertThat(include.get(0).path("job").asText()).isEqualTo("build/app/linux-amd64");
        assertThat(include.get(0).path("runs-on").asText()).isEqualTo("[\"ubuntu-latest\"]");
        assertThat(include.get(1).path("runs-on").asText()).isEqualTo("[\"self-hosted\",\"arm64\"]");
        CliTest.Result runs = CliTest.run("runs", "list", "-f", spec.toString(), "--ledger", ledger.toString(), "--json");
        assertThat(runs.out()).contains(cells.path("run").asText());
    }
}
