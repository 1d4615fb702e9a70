package dev.cutter.ci;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.cutter.testing.StaticServer;
import dev.cutter.testing.Tools;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CI on-ramps (docs/ci.md): the GitHub Action {@code action.yml}, the GitLab template
 * {@code ci/gitlab/cutter.gitlab-ci.yml} and the script both run, {@code ci/install-cutter}. They
 * install a release served on a loopback port as GitHub serves release downloads (a file per
 * {@code vVERSION/NAME}), and refuse one whose {@code SHA256SUMS} does not match.
 */
class OnRampsTest {
    static final String VERSION = "1.2.3";
    static final Path ROOT = Path.of("").toAbsolutePath();

    @TempDir
    Path tmp;

    Path releases;

    /** A release of a stand-in Cutter, laid out as {@code OWNER/NAME/releases/download/vVERSION/}. */
    @BeforeEach
    void release() throws Exception {
        Path bin = Files.createDirectories(tmp.resolve("pkg/cutter-" + VERSION + "-linux-" + arch() + "/bin"));
        Files.writeString(bin.resolve("cutter"), "#!/bin/sh\necho \"cutter " + VERSION + "\"\n");
        bin.resolve("cutter").toFile().setExecutable(true);
        releases = Files.createDirectories(tmp.resolve("site/acme/cutter/releases/download/v" + VERSION));
        String name = tarball();
        run(List.of("tar", "-czf", releases.resolve(name).toString(), "-C", tmp.resolve("pkg").toString(),
                "cutter-" + VERSION + "-linux-" + arch()), tmp, Map.of(), 0);
        String digest = dev.cutter.content.Digest.sha256(releases.resolve(name)).hex();
        Files.writeString(releases.resolve("SHA256SUMS"), "0".repeat(64) + "  other.tar.gz\n" + digest + "  " + name + "\n");
    }

    static String arch() {
        return System.getProperty("os.arch").matches("aarch64|arm64") ? "arm64" : "amd64";
    }

    static String tarball() {
        return "cutter-" + VERSION + "-linux-" + arch() + ".tar.gz";
    }

    record Result(int status, String output) {}

    private static Result run(List<String> command, Path dir, Map<String, String> env, int expected) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process p = builder.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(3, TimeUnit.MINUTES)).isTrue();
        if (expected >= 0) {
            assertThat(p.exitValue()).as(String.join(" ", command) + ":\n" + out).isEqualTo(expected);
        }
        return new Result(p.exitValue(), out);
    }

    private static JsonNode action() throws Exception {
        return new YAMLMapper().readTree(ROOT.resolve("action.yml").toFile());
    }

    /** The action's install step run as the runner runs a composite step: bash, its env with the inputs, the command files. */
    private Result installStep(StaticServer server, Map<String, String> inputs, int expected) throws Exception {
        JsonNode step = action().path("runs").path("steps").get(0);
        Map<String, String> env = new HashMap<>();
        env.put("CUTTER_VERSION", inputs.getOrDefault("version", ""));
        env.put("CUTTER_REPOSITORY", inputs.getOrDefault("repository", "")); // github.action_repository: not given here
        env.put("CUTTER_DOWNLOAD_URL", inputs.getOrDefault("download-url", ""));
        env.put("GITHUB_SERVER_URL", server.url().replaceAll("/$", ""));
        env.put("GITHUB_ACTION_PATH", ROOT.toString());
        env.put("GITHUB_PATH", tmp.resolve("github_path").toString());
        env.put("GITHUB_OUTPUT", tmp.resolve("github_output").toString());
        env.put("RUNNER_TOOL_CACHE", tmp.resolve("toolcache").toString());
        Files.writeString(tmp.resolve("github_path"), "");
        Files.writeString(tmp.resolve("github_output"), "");
        assertThat(step.path("shell").asText()).isEqualTo("bash");
        return run(List.of("bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step.path("run").asText()), tmp, env, expected);
    }

    @Test
    void theActionPassesTheActionSchemaAndTheValidatorRefusesABrokenOne() throws Exception {
        Path validator = Tools.npm("action-validator");
        run(List.of(validator.toString(), ROOT.resolve("action.yml").toString()), tmp, Map.of(), 0);
        Path broken = Files.createDirectories(tmp.resolve("broken")).resolve("action.yml");
        Files.writeString(broken, Files.readString(ROOT.resolve("action.yml")).replace("using: composite", "using: compound"));
        run(List.of(validator.toString(), broken.toString()), tmp, Map.of(), 1);
    }

    @Test
    void theActionInstallsTheReleaseOfItsRepositoryPutsItOnPathAndRunsTheCommand() throws Exception {
        Tools.require("curl", "curl");
        try (StaticServer server = new StaticServer(tmp.resolve("site"))) {
            installStep(server, Map.of("version", "v" + VERSION, "repository", "acme/cutter"), 0);

            String bin = Files.readString(tmp.resolve("github_path")).strip();
            assertThat(bin).startsWith(tmp.resolve("toolcache/cutter/" + VERSION).toString());
            assertThat(Files.readString(tmp.resolve("github_output"))).isEqualTo("path=" + bin + "\n");
            assertThat(run(List.of(bin + "/cutter", "--version"), tmp, Map.of(), 0).output()).isEqualTo("cutter 1.2.3\n");
            assertThat(server.requests).containsExactly("GET /acme/cutter/releases/download/v1.2.3/" + tarball(),
                    "GET /acme/cutter/releases/download/v1.2.3/SHA256SUMS");

            JsonNode command = action().path("runs").path("steps").get(1);
            assertThat(command.path("if").asText()).isEqualTo("inputs.run != ''");
            Map<String, String> env = Map.of("CUTTER_PATH", bin, "CUTTER_COMMAND", "cutter --version > \"$OUT\"", "OUT",
                    tmp.resolve("out").toString());
            run(List.of("bash", "-c", command.path("run").asText()), tmp, env, 0);
            assertThat(Files.readString(tmp.resolve("out"))).isEqualTo("cutter 1.2.3\n");
        }
    }

    @Test
    void theActionRefusesATarballWhoseDigestIsNotTheReleasesAndInstallsNothing() throws Exception {
        Files.writeString(releases.resolve(tarball()), "changed on the way", java.nio.file.StandardOpenOption.APPEND);
        try (StaticServer server = new StaticServer(tmp.resolve("site"))) {
            Result refused = installStep(server, Map.of("version", VERSION, "download-url",
                    server.url() + "acme/cutter/releases/download"), 1);

            assertThat(refused.output()).contains(tarball() + " has sha256 ").contains("but SHA256SUMS of v1.2.3 says").contains("refusing it");
            assertThat(Files.readString(tmp.resolve("github_path"))).isEmpty();
            assertThat(tmp.resolve("toolcache/cutter/" + VERSION)).doesNotExist();
        }
    }

    @Test
    void aVersionThatIsNotOneIsRefusedBeforeAnyDownload() throws Exception {
        try (StaticServer server = new StaticServer(tmp.resolve("site"))) {
            Result refused = installStep(server, Map.of("version", "1.2.3/../../x", "repository", "acme/cutter"), 1);

            assertThat(refused.output()).contains("CUTTER_VERSION '1.2.3/../../x' is not a version");
            assertThat(server.requests).isEmpty();
            Result none = installStep(server, Map.of("version", VERSION), 1);
            assertThat(none.output()).contains("give 'repository: OWNER/NAME'");
        }
    }

    @Test
    void theGitLabTemplateCarriesTheInstallScriptAsItIs() throws Exception {
        JsonNode template = new YAMLMapper().readTree(ROOT.resolve("ci/gitlab/cutter.gitlab-ci.yml").toFile());
        String script = template.path(".cutter").path("before_script").get(0).asText();
        Matcher body = Pattern.compile("<<'CUTTER_INSTALL'\n(.*\n)CUTTER_INSTALL\n", Pattern.DOTALL).matcher(script);

        assertThat(body.find()).as(script).isTrue();
        assertThat(body.group(1)).isEqualTo(Files.readString(ROOT.resolve("ci/install-cutter")));
        assertThat(template.path(".cutter").has("variables")).as("the pipeline's own CUTTER_VERSION must count").isFalse();
    }

    /** A GitLab project holding {@code pipeline} and the template, committed, as gitlab-ci-local wants one. */
    private Path gitlabProject(String name, String pipeline) throws Exception {
        Path project = Files.createDirectories(tmp.resolve(name));
        Files.createDirectories(project.resolve("ci/gitlab"));
        Files.copy(ROOT.resolve("ci/gitlab/cutter.gitlab-ci.yml"), project.resolve("ci/gitlab/cutter.gitlab-ci.yml"));
        Files.writeString(project.resolve(".gitlab-ci.yml"), pipeline);
        Map<String, String> git = Map.of("GIT_AUTHOR_NAME", "t", "GIT_AUTHOR_EMAIL", "t@example.com", "GIT_COMMITTER_NAME", "t",
                "GIT_COMMITTER_EMAIL", "t@example.com");
        run(List.of("git", "init", "-q", "-b", "main", "."), project, git, 0);
        run(List.of("git", "add", "-A"), project, git, 0);
        run(List.of("git", "commit", "-qm", "pipeline"), project, git, 0);
        return project;
    }

    private Result gitlabCiLocal(Path project, List<String> arguments, int expected) throws Exception {
        List<String> command = new ArrayList<>(List.of(Tools.npm("gitlab-ci-local").toString(), "--home", tmp.resolve("home").toString()));
        command.addAll(arguments);
        return run(command, project, Map.of(), expected);
    }

    @Test
    void aGitLabJobExtendingTheTemplateInstallsCutterAndRunsIt() throws Exception {
        Tools.require("rsync", "rsync"); // gitlab-ci-local copies the project with it
        Path project = gitlabProject("gl", """
                include:
                  - local: ci/gitlab/cutter.gitlab-ci.yml
                variables:
                  CUTTER_VERSION: "1.2.3"
                release:
                  extends: .cutter
                  script:
                    - cutter --version
                """);
        try (StaticServer server = new StaticServer(tmp.resolve("site"))) {
            List<String> args = List.of("--variable", "CUTTER_DOWNLOAD_URL=" + server.url() + "acme/cutter/releases/download",
                    "--variable", "CUTTER_HOME=" + tmp.resolve("gl-cache"), "release");

            Result ran = gitlabCiLocal(project, args, 0);

            assertThat(ran.output()).contains("release > cutter 1.2.3").contains("PASS  release");
            Files.writeString(releases.resolve("SHA256SUMS"), "1".repeat(64) + "  " + tarball() + "\n");
            Result refused = gitlabCiLocal(project, args, 1);
            assertThat(refused.output()).contains("refusing it").doesNotContain("release > cutter 1.2.3");
        }
    }

    /** The fenced YAML blocks of docs/ci.md. */
    static List<String> docBlocks() throws Exception {
        Matcher blocks = Pattern.compile("```yaml\n(.*?)```", Pattern.DOTALL).matcher(Files.readString(ROOT.resolve("docs/ci.md")));
        List<String> out = new ArrayList<>();
        while (blocks.find()) {
            out.add(blocks.group(1));
        }
        return out;
    }

    @Test
    void everyWorkflowAndPipelineOfTheCiPagePassesItsEnginesSchema() throws Exception {
        int github = 0;
        int gitlab = 0;
        for (String block : docBlocks()) {
            JsonNode document = new YAMLMapper().readTree(block);
            if (document.has("jobs")) {
                Path file = tmp.resolve("workflow-" + github++ + ".yml");
                Files.writeString(file, block);
                run(List.of(Tools.npm("action-validator").toString(), file.toString()), tmp, Map.of(), 0);
            } else {
                assertThat(document.has("include")).as(block).isTrue();
                Path project = gitlabProject("doc-" + gitlab++, block);
                Result listed = gitlabCiLocal(project, List.of("--list-all", "--json-schema-validation"), 0);
                document.fieldNames().forEachRemaining(job -> {
                    if (document.path(job).isObject() && document.path(job).has("stage")) {
                        assertThat(listed.output()).contains(job);
                    }
                });
            }
        }
        assertThat(github).isEqualTo(2);
        assertThat(gitlab).isEqualTo(2);
    }
}
