package dev.cutter.ci;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.cutter.plan.Action;
import dev.cutter.plan.Job;
import dev.cutter.plan.Plan;
import dev.cutter.plan.Planner;
import dev.cutter.plan.ReleaseContext;
import dev.cutter.plan.ReleaseRequest;
import dev.cutter.spec.Spec;
import dev.cutter.spec.SpecLoader;
import dev.cutter.testing.Tools;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The pipelines {@code cutter emit} writes, read back as the engines read them: every seed's plan
 * passes GitLab's CI schema (through gitlab-ci-local, which validates with it) and SchemaStore's
 * GitHub workflow schema (through action-validator); and their shape follows the plan's DAG.
 */
class PipelinesTest {
    static final String SHA = "6d7d2a3fe8243809b3c3a710792c8498292e2fc3";
    static final Pipelines.Settings SETTINGS = new Pipelines.Settings("r20261203-101010-abcd", "examples/x/cutter.yaml",
            Map.of("linux/arm64", List.of("arch:arm64"), "linux/amd64", List.of("arch:amd64"), "default", List.of("docker")));

    @TempDir
    Path tmp;

    static Plan plan(String example, String version) {
        Spec spec = dev.cutter.kinds.Capabilities.specLoader().load(Path.of("examples", example, "cutter.yaml"));
        return dev.cutter.kinds.Capabilities.planner().plan(spec, ReleaseContext.resolve(spec, new ReleaseRequest(Optional.empty(), Optional.of(version), Map.of(),
                Map.of(), Optional.empty(), Optional.of(SHA), "20261203")));
    }

    static Stream<Plan> seeds() {
        return Stream.of(plan("serverless-init", "1.7.8"), plan("dbx-runtime", "17.3.0"), plan("km", "0.9-beta"),
                plan("veilid", "0.4.1"));
    }

    /** Runs a validator; its exit status and what it said. */
    private String validate(List<String> command, Path dir, boolean valid) throws Exception {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue() == 0).as(String.join(" ", command) + ":\n" + out).isEqualTo(valid);
        return out;
    }

    private String gitlabCiLocal(Path file, boolean valid) throws Exception {
        Path bin = Tools.npm("gitlab-ci-local");
        Files.createDirectories(file.getParent().resolve(".git")); // it wants to be in a checkout; it reads no history for --list
        return validate(List.of(bin.toString(), "--file", file.getFileName().toString(), "--list", "--json-schema-validation",
                "--home", tmp.resolve("home").toString()), file.getParent(), valid);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void everySeedsGitLabPipelinePassesGitLabsSchemaAndListsEveryJob(Plan plan) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve(plan.project()));
        Path file = dir.resolve("child.yml");
        Files.writeString(file, Pipelines.gitlab(plan, SETTINGS));

        String listed = gitlabCiLocal(file, true);

        for (Job job : plan.jobs()) {
            assertThat(listed).contains(job.id());
        }
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void everySeedsGitHubWorkflowPassesTheWorkflowSchemaAndItsMatrixHoldsEveryJobInPlanOrder(Plan plan) throws Exception {
        Path file = tmp.resolve(plan.project() + ".yml");
        Files.writeString(file, Pipelines.githubWorkflow(plan.project(), SETTINGS, Optional.of("acme/cutter@v1")));

        validate(List.of(Tools.npm("action-validator").toString(), file.toString()), tmp, true);
        JsonNode matrix = new com.fasterxml.jackson.databind.ObjectMapper().valueToTree(Pipelines.githubMatrix(plan, SETTINGS));
        List<String> cells = new ArrayList<>();
        matrix.path("matrix").forEach(part -> part.path("include").forEach(cell -> cells.add(cell.path("job").asText())));
        assertThat(cells).isEqualTo(plan.jobs().stream().map(Job::id).toList());
        assertThat(matrix.path("run").asText()).isEqualTo(SETTINGS.runId());
    }

    @Test
    void theGitHubWorkflowNamesNoReleaseTakesItsRunFromTheDispatchAndPassesInputsAsData() throws Exception {
        String text = Pipelines.githubWorkflow("serverless-init", SETTINGS, Optional.empty());
        JsonNode workflow = new YAMLMapper().readTree(text);

        assertThat(text).doesNotContain(SETTINGS.runId());
        JsonNode inputs = workflow.path("on").path("workflow_dispatch").path("inputs");
        assertThat(inputs.path("version").path("required").asBoolean()).isTrue();
        assertThat(inputs.path("ref").path("required").asBoolean()).isFalse();
        JsonNode emit = workflow.path("jobs").path("plan").path("steps").get(1);
        assertThat(emit.path("env").path("VERSION").asText()).isEqualTo("${{ inputs.version }}");
        assertThat(emit.path("run").asText()).contains("emit github --matrix -f examples/x/cutter.yaml --version \"$VERSION\"")
                .doesNotContain("inputs.");
        assertThat(workflow.path("jobs").path("plan").path("runs-on").get(0).asText()).isEqualTo("docker");
        JsonNode second = workflow.path("jobs").path("jobs-2");
        assertThat(second.path("needs")).extracting(JsonNode::asText).containsExactly("plan", "jobs-1");
        assertThat(second.path("strategy").path("matrix").asText()).isEqualTo("${{ fromJSON(needs.plan.outputs.matrix).matrix[1] }}");
        assertThat(second.path("if").asText()).contains("fromJSON(needs.plan.outputs.matrix).parts >= 2");
        assertThat(second.path("steps").get(0).path("with").path("ref").asText()).isEqualTo("${{ needs.plan.outputs.sha }}");
        assertThat(second.path("steps").get(1).path("run").asText())
                .isEqualTo("\"${CUTTER:-./cutter}\" job run \"$CUTTER_RUN\" \"$CUTTER_JOB\" -f examples/x/cutter.yaml");
        assertThat(workflow.path("jobs").size()).isEqualTo(2 + Pipelines.GITHUB_PARTS);
        JsonNode next = workflow.path("jobs").path("next");
        assertThat(next.path("needs")).extracting(JsonNode::asText).containsExactly("plan", "jobs-1", "jobs-2", "jobs-3", "jobs-4");
        assertThat(next.path("if").asText()).contains("always()").contains("fromJSON(needs.plan.outputs.matrix).next > 0");
        assertThat(next.path("permissions").path("actions").asText()).isEqualTo("write");
        assertThat(next.path("steps").get(0).path("run").asText()).contains("gh workflow run").contains("-f run=\"$RUN\"")
                .contains("-f batch=\"$NEXT\"").contains("-f ref=\"$SHA\"").doesNotContain("${{");
        assertThat(emit.path("env").path("RUN").asText()).isEqualTo("${{ inputs.run }}");
        assertThat(emit.path("run").asText()).contains("emit github --matrix -f examples/x/cutter.yaml --run \"$RUN\" --batch \"$BATCH\"");
    }

    @Test
    void theValidatorsRefuseWhatTheEnginesWouldRefuse() throws Exception {
        Plan plan = plan("serverless-init", "1.7.8");
        Path dir = Files.createDirectories(tmp.resolve("bad"));
        Files.writeString(dir.resolve("child.yml"), Pipelines.gitlab(plan, SETTINGS).replace("max: 2", "max: 7"));
        gitlabCiLocal(dir.resolve("child.yml"), false);
        Path workflow = tmp.resolve("bad.yml");
        Files.writeString(workflow, Pipelines.githubWorkflow(plan.project(), SETTINGS, Optional.empty())
                .replace("runs-on: \"${{", "run-on: \"${{"));
        validate(List.of(Tools.npm("action-validator").toString(), workflow.toString()), tmp, false);
    }

    @Test
    void gitLabJobsFollowTheDagWithRunnerTagsPerPlatformAndOneAtATimeGroupsAsResourceGroups() throws Exception {
        Plan plan = plan("serverless-init", "1.7.8");
        JsonNode pipeline = new YAMLMapper().readTree(Pipelines.gitlab(plan, SETTINGS));

        assertThat(pipeline.path("variables").path("CUTTER_RUN").asText()).isEqualTo(SETTINGS.runId());
        JsonNode arm = pipeline.path("build/binary/linux-arm64");
        assertThat(arm.path("stage").asText()).isEqualTo("cutter-0");
        assertThat(arm.path("tags").get(0).asText()).isEqualTo("arch:arm64");
        assertThat(arm.path("script").get(0).asText())
                .isEqualTo("\"${CUTTER:-./cutter}\" job run \"$CUTTER_RUN\" build/binary/linux-arm64 -f examples/x/cutter.yaml");
        JsonNode push = pipeline.path("push/serverless-init/standard");
        assertThat(push.path("needs")).extracting(JsonNode::asText).containsExactly("barrier/publication",
                "index/serverless-init/standard");
        assertThat(push.path("tags").get(0).asText()).as("no platform: the default runners").isEqualTo("docker");
        // replication runs two at a time: GitLab has no such limit, so the ledger keeps it, not a resource group
        assertThat(pipeline.path("replicate/serverless-init/standard/ecr").has("resource_group")).isFalse();
        for (Job job : plan.jobs()) {
            int stage = Integer.parseInt(pipeline.path(job.id()).path("stage").asText().substring("cutter-".length()));
            for (String need : job.needs()) {
                assertThat(Integer.parseInt(pipeline.path(need).path("stage").asText().substring("cutter-".length())))
                        .as(job.id() + " comes after " + need).isLessThan(stage);
            }
        }
    }

    @Test
    void aJobNeedingMoreThanGitLabAllowsWaitsForTheStagesBeforeItAndAOneSlotGroupIsAResourceGroup() throws Exception {
        List<Job> jobs = new ArrayList<>();
        List<String> all = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            jobs.add(new Job("build/b" + i, "build", "b" + i, List.of(), Map.of(), Optional.of("serial"),
                    new Action.Build("true", Map.of(), "project", List.of(), List.of(), Optional.empty(), 0)));
            all.add("build/b" + i);
        }
        jobs.add(new Job("notify/n", "notify", "n", all, Map.of(), Optional.empty(), new Action.Notify("http://x", "json", List.of())));
        Plan plan = new Plan(1, "p", "1.0.0", "semver", "v1.0.0", "stable", false, Optional.empty(), Optional.empty(), jobs, List.of(),
                Map.of("serial", 1));

        JsonNode pipeline = new YAMLMapper().readTree(Pipelines.gitlab(plan, SETTINGS));

        assertThat(pipeline.path("notify/n").has("needs")).isFalse();
        assertThat(pipeline.path("notify/n").path("stage").asText()).isEqualTo("cutter-1");
        assertThat(pipeline.path("build/b7").path("resource_group").asText()).isEqualTo("cutter-serial");
    }

    @Test
    void aLargePlanIsCutIntoPartsOf256CellsInPlanOrderAndBatchesOf1024WorkflowRunsTakeOneAfterAnother() {
        Plan plan = builds(300);

        JsonNode matrix = new com.fasterxml.jackson.databind.ObjectMapper().valueToTree(Pipelines.githubMatrix(plan, SETTINGS));

        assertThat(matrix.path("parts").asInt()).isEqualTo(2);
        assertThat(matrix.path("next").asInt()).as("one batch: no workflow run follows").isZero();
        assertThat(matrix.path("matrix").get(0).path("include").size()).isEqualTo(256);
        assertThat(matrix.path("matrix").get(1).path("include").size()).isEqualTo(45);
        assertThat(matrix.path("matrix").get(1).path("include").get(44).path("job").asText()).isEqualTo("validate/all");
        assertThat(matrix.path("matrix").get(0).path("include").get(0).path("runs-on").asText()).isEqualTo("[\"docker\"]");

        Plan larger = builds(1024);
        JsonNode first = new com.fasterxml.jackson.databind.ObjectMapper().valueToTree(Pipelines.githubMatrix(larger, SETTINGS, 1));
        JsonNode second = new com.fasterxml.jackson.databind.ObjectMapper().valueToTree(Pipelines.githubMatrix(larger, SETTINGS, 2));
        assertThat(first.path("parts").asInt()).isEqualTo(4);
        assertThat(first.path("next").asInt()).isEqualTo(2);
        assertThat(second.path("next").asInt()).isZero();
        assertThat(second.path("matrix").get(0).path("include").get(0).path("job").asText()).isEqualTo("validate/all");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Pipelines.githubMatrix(larger, SETTINGS, 3))
                .hasMessageContaining("--batch 3: run r20261203-101010-abcd has 2 batches");
    }

    @Test
    @org.junit.jupiter.api.Tag("e2e")
    void aPlanOf100000JobsIsEmittedWithinEveryLimitOfEitherEngine() throws Exception {
        Plan plan = builds(99_999);
        YAMLMapper yaml = new YAMLMapper();
        Pipelines.GitLabLimits limits = Pipelines.GitLabLimits.DEFAULT;

        List<Pipelines.PipelineFile> files = Pipelines.gitlabFiles(plan, SETTINGS, "child.yml", "release:plan", limits);

        long jobs = 0;
        for (Pipelines.PipelineFile file : files) {
            assertThat(file.text().getBytes(StandardCharsets.UTF_8).length).as(file.path()).isLessThanOrEqualTo(limits.bytes());
            JsonNode pipeline = yaml.readTree(file.text());
            assertThat(pipeline.size() - 2).as(file.path()).isLessThanOrEqualTo(limits.jobs());
            for (JsonNode job : pipeline) {
                assertThat(job.path("needs").size()).isLessThanOrEqualTo(50);
            }
            jobs += file == files.get(0) ? 0 : pipeline.size() - 2;
        }
        assertThat(jobs).isEqualTo(100_000);
        assertThat(files.size() - 1).isEqualTo(200).isLessThanOrEqualTo(limits.parts());

        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        int cells = 0;
        for (int batch = 1; batch > 0; ) {
            Map<String, Object> matrix = Pipelines.githubMatrix(plan, SETTINGS, batch);
            String output = json.writeValueAsString(matrix);
            assertThat(2L * output.length()).as("GitHub counts an output in UTF-16, at most 1 MB a job").isLessThan(1024 * 1024);
            JsonNode read = json.readTree(output);
            assertThat(read.path("matrix").size()).isLessThanOrEqualTo(Pipelines.GITHUB_PARTS);
            for (JsonNode part : read.path("matrix")) {
                assertThat(part.path("include").size()).isLessThanOrEqualTo(Pipelines.GITHUB_MAX_MATRIX);
                cells += part.path("include").size();
            }
            batch = read.path("next").asInt();
        }
        assertThat(cells).isEqualTo(100_000);
        String workflow = Pipelines.githubWorkflow("p", SETTINGS, Optional.empty());
        assertThat(workflow.getBytes(StandardCharsets.UTF_8).length).as("GitHub starts no run of a workflow above 500 KB")
                .isLessThan(500 * 1024);
    }

    @Test
    void aGitHubBatchKeepsItsMatrixOutputWithinAMegabyteHoweverLongTheJobIds() {
        List<Job> jobs = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            jobs.add(new Job("build/" + "x".repeat(400) + "/" + i, "build", "many", List.of(), Map.of("i", "" + i), Optional.empty(),
                    new Action.Build("true", Map.of(), "project", List.of(), List.of(), Optional.empty(), 0)));
        }
        Plan plan = new Plan(1, "p", "1.0.0", "semver", "v1.0.0", "stable", false, Optional.empty(), Optional.empty(), jobs, List.of(),
                Map.of());
        int cells = 0;
        for (int batch = 1; batch > 0; ) {
            Map<String, Object> matrix = Pipelines.githubMatrix(plan, SETTINGS, batch);
            JsonNode read = new com.fasterxml.jackson.databind.ObjectMapper().valueToTree(matrix);
            assertThat(2L * read.toString().length()).isLessThan(1024 * 1024);
            for (JsonNode part : read.path("matrix")) {
                cells += part.path("include").size();
            }
            assertThat(read.path("batch").asInt()).isEqualTo(batch);
            batch = read.path("next").asInt();
        }
        assertThat(cells).isEqualTo(3000);
    }

    @Test
    void aPlanPastGitLabsLimitsIsCutIntoPartsEachWithinThemRunOneAfterAnotherWithEveryJobOnceInPlanOrder() throws Exception {
        // 1,200 builds, 300 of them needing 40 builds each (long ids: the bytes bind before the jobs), and a check needing 60
        List<Job> jobs = new ArrayList<>();
        for (int i = 0; i < 1200; i++) {
            List<String> needs = new ArrayList<>();
            if (i >= 900) {
                for (int n = 0; n < 40; n++) {
                    needs.add(jobs.get(i - 1 - n).id());
                }
            }
            jobs.add(new Job("build/a-build-entry-with-a-rather-long-name/component-" + i + "-shard-" + (i * 7), "build", "many",
                    List.copyOf(new java.util.TreeSet<>(needs)), Map.of("i", "" + i), Optional.empty(),
                    new Action.Build("true", Map.of(), "project", List.of(), List.of(), Optional.empty(), 0)));
        }
        jobs.add(new Job("validate/all", "validate", "all", jobs.subList(1140, 1200).stream().map(Job::id).toList(), Map.of(),
                Optional.empty(), new Action.Validate("run", Optional.of("true"), Optional.empty(), Optional.empty(), Map.of(),
                Optional.empty())));
        Plan plan = new Plan(1, "p", "1.0.0", "semver", "v1.0.0", "stable", false, Optional.empty(), Optional.empty(), jobs, List.of(),
                Map.of());
        Pipelines.GitLabLimits limits = Pipelines.GitLabLimits.DEFAULT;

        List<Pipelines.PipelineFile> files = Pipelines.gitlabFiles(plan, SETTINGS, "ci/child.yml", "release:plan", limits);

        assertThat(files.get(0).path()).isEqualTo("ci/child.yml");
        List<String> emitted = new ArrayList<>();
        YAMLMapper yaml = new YAMLMapper();
        for (Pipelines.PipelineFile part : files.subList(1, files.size())) {
            assertThat(part.path()).matches("ci/child-part-[0-9]+\\.yml");
            assertThat(part.text().getBytes(StandardCharsets.UTF_8).length).as(part.path()).isLessThanOrEqualTo(limits.bytes());
            JsonNode pipeline = yaml.readTree(part.text());
            List<String> names = new ArrayList<>();
            pipeline.fieldNames().forEachRemaining(names::add);
            names.removeAll(List.of("stages", "variables"));
            assertThat(names.size()).as(part.path()).isLessThanOrEqualTo(limits.jobs()).isPositive();
            assertThat(pipeline.path("variables").path("CUTTER_RUN").asText()).isEqualTo(SETTINGS.runId());
            for (String name : names) {
                JsonNode needs = pipeline.path(name).path("needs");
                assertThat(needs.size()).as(name).isLessThanOrEqualTo(50);
                needs.forEach(n -> assertThat(names).as(name + " needs a job of its own pipeline").contains(n.asText()));
            }
            emitted.addAll(names);
        }
        assertThat(emitted).isEqualTo(plan.jobs().stream().map(Job::id).toList());
        assertThat(files.size() - 1).as("the bytes bind before the jobs").isGreaterThan((plan.jobs().size() + 499) / 500);

        JsonNode dispatch = yaml.readTree(files.get(0).text());
        assertThat(dispatch.size() - 2).isLessThanOrEqualTo(limits.jobs());
        assertThat(dispatch.path("cutter:parts").path("needs").get(0).path("pipeline").asText()).isEqualTo("$PARENT_PIPELINE_ID");
        assertThat(dispatch.path("cutter:parts").path("needs").get(0).path("job").asText()).isEqualTo("release:plan");
        assertThat(dispatch.path("cutter:parts").path("artifacts").path("paths")).extracting(JsonNode::asText)
                .isEqualTo(files.subList(1, files.size()).stream().map(Pipelines.PipelineFile::path).toList());
        for (int i = 1; i < files.size(); i++) {
            JsonNode trigger = dispatch.path("cutter:part-" + i);
            assertThat(trigger.path("when").asText()).isEqualTo("always");
            assertThat(trigger.path("trigger").path("strategy").asText()).isEqualTo("depend");
            assertThat(trigger.path("trigger").path("include").get(0).path("artifact").asText()).isEqualTo(files.get(i).path());
            assertThat(trigger.path("needs")).extracting(JsonNode::asText).containsExactlyElementsOf(
                    i == 1 ? List.of("cutter:parts") : List.of("cutter:parts", "cutter:part-" + (i - 1)));
        }
        Path dir = Files.createDirectories(tmp.resolve("split"));
        for (Pipelines.PipelineFile file : List.of(files.get(0), files.get(1), files.get(files.size() - 1))) {
            Path written = dir.resolve(Path.of(file.path()).getFileName());
            Files.writeString(written, file.text());
            gitlabCiLocal(written, true);
        }
    }

    @Test
    void aPlanWithinGitLabsLimitsStaysOnePipelineAndOneTooLargeForThePartsIsRefused() {
        Plan plan = builds(499);
        assertThat(Pipelines.gitlabFiles(plan, SETTINGS, "child.yml", "release:plan", Pipelines.GitLabLimits.DEFAULT))
                .containsExactly(new Pipelines.PipelineFile("child.yml", Pipelines.gitlab(plan, SETTINGS)));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Pipelines.gitlabFiles(builds(2000), SETTINGS, "child.yml",
                "release:plan", new Pipelines.GitLabLimits(500, 200 * 1024, 3)))
                .hasMessageContaining("the plan has 2001 jobs, 5 GitLab pipelines of at most 500 jobs");
    }

    private static Plan builds(int count) {
        List<Job> jobs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            jobs.add(new Job("build/many/" + i, "build", "many", List.of(), Map.of("i", "" + i), Optional.empty(),
                    new Action.Build("true", Map.of(), "project", List.of(), List.of(), Optional.empty(), 0)));
        }
        jobs.add(new Job("validate/all", "validate", "all", List.of("build/many/0", "build/many/" + (count - 1)), Map.of(),
                Optional.empty(), new Action.Validate("run", Optional.of("true"), Optional.empty(), Optional.empty(), Map.of(),
                Optional.empty())));
        return new Plan(1, "p", "1.0.0", "semver", "v1.0.0", "stable", false, Optional.empty(), Optional.empty(), jobs, List.of(),
                Map.of());
    }
}
