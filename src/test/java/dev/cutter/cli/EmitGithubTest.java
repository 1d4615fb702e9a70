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

        // the next workflow run of a large release takes its batch of the recorded run; nothing is recorded again
        String run = cells.path("run").asText();
        CliTest.Result again = CliTest.run("emit", "github", "--matrix", "-f", spec.toString(), "--ledger", ledger.toString(),
                "--run", run, "--batch", "1");
        assertThat(again.code()).as(again.err()).isZero();
        assertThat(new ObjectMapper().readTree(again.out())).isEqualTo(cells);
        CliTest.Result past = CliTest.run("emit", "github", "--matrix", "-f", spec.toString(), "--ledger", ledger.toString(),
                "--run", run, "--batch", "2");
        assertThat(past.code()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(past.err()).contains("--batch 2: run " + run + " has 1 batch");
        CliTest.Result unknown = CliTest.run("emit", "github", "--matrix", "-f", spec.toString(), "--ledger", ledger.toString(),
                "--run", "r20000101-000000-0000");
        assertThat(unknown.code()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(unknown.err()).contains("--run r20000101-000000-0000: no such run");
        assertThat(CliTest.run("runs", "list", "-f", spec.toString(), "--ledger", ledger.toString(), "--json").out()
                .split("\"id\"", -1).length).isEqualTo(runs.out().split("\"id\"", -1).length);
    }

    @Test
    void aGitLabPipelinePastGitLabsLimitsIsWrittenAsPartsBesideTheFileAndNeedsAFileToBeWrittenTo() throws Exception {
        Path spec = dir.resolve("cutter.yaml");
        Files.writeString(spec, "project: big\nbuilds:\n  - id: unit\n    matrix: { shard: ["
                + String.join(",", java.util.stream.IntStream.rangeClosed(1, 1100).mapToObj(Integer::toString).toList())
                + "] }\n    run: \"true\"\n");
        Path ledger = dir.resolve("ledger.db");

        CliTest.Result stdout = CliTest.run("emit", "gitlab", "-f", spec.toString(), "--ledger", ledger.toString(), "--version", "1.0.0",
                "--artifacts", "127.0.0.1:5999/a");
        assertThat(stdout.code()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(stdout.err()).contains("the plan has 1100 jobs, more than one GitLab pipeline takes: give -o FILE");
        CliTest.Result none = CliTest.run("runs", "list", "-f", spec.toString(), "--ledger", ledger.toString(), "--json");
        assertThat(none.out()).as("refused before the run is recorded").doesNotContain("\"id\"");

        Path out = dir.resolve("ci/child.yml");
        Files.createDirectories(out.getParent());
        CliTest.Result emitted = CliTest.run("emit", "gitlab", "-f", spec.toString(), "--ledger", ledger.toString(), "--version",
                "1.0.0", "--artifacts", "127.0.0.1:5999/a", "-o", out.toString());

        assertThat(emitted.code()).as(emitted.err()).isZero();
        assertThat(emitted.err()).contains("in 3 parts");
        JsonNode dispatch = new YAMLMapper().readTree(out.toFile());
        assertThat(dispatch.path("cutter:part-3").path("trigger").path("include").get(0).path("artifact").asText())
                .isEqualTo(dir.resolve("ci/child-part-3.yml").toString());
        int jobs = 0;
        for (int part = 1; part <= 3; part++) {
            jobs += new YAMLMapper().readTree(dir.resolve("ci/child-part-" + part + ".yml").toFile()).size() - 2;
        }
        assertThat(jobs).isEqualTo(1100);
    }
}
