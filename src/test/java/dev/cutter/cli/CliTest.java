package dev.cutter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line run in-process: exit codes and messages a user sees. */
class CliTest {
    record Result(int code, String out, String err) {}

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Cutter.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    @TempDir
    Path dir;

    Path spec(String text) throws IOException {
        Path file = dir.resolve("cutter.yaml");
        Files.writeString(file, text);
        return file;
    }

    @Test
    void helpListsTheCommands() {
        Result result = run("--help");

        assertThat(result.code()).isZero();
        assertThat(result.out()).contains("validate", "plan");
    }

    @Test
    void everyCommandHasHelpEvenThoseWithAVersionOption() {
        Result result = run("plan", "--help");

        assertThat(result.code()).isZero();
        assertThat(result.out()).contains("Usage: cutter plan").contains("--version=VERSION");
    }

    @Test
    void versionNamesTheProgramAndItsJava() {
        Result result = run("--version");

        assertThat(result.code()).isZero();
        assertThat(result.out()).startsWith("cutter ").contains("Java ");
    }

    @Test
    void validateAcceptsAnExample() {
        Result result = run("validate", "-f", "examples/serverless-init/cutter.yaml");

        assertThat(result.code()).isZero();
        assertThat(result.out()).contains("ok (project serverless-init");
    }

    @Test
    void aBadSpecExitsTwoWithEveryFaultAtItsLine() throws IOException {
        Path file = spec("""
                project: demo
                registries:
                  local: { layout: dist/oci }
                images:
                  - id: app
                    platforms: [linux/amd64]
                    push: local/app
                    tags: ["{verison}"]
                    entrypiont: [/app]
                """);

        Result result = run("validate", "-f", file.toString());

        assertThat(result.code()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(result.err()).contains(file + ":8:13: images[0].tags[0]: unknown placeholder {verison}; did you mean {version}?")
                .contains(file + ":9:5: images[0].entrypiont: unknown key; did you mean 'entrypoint'?")
                .contains("2 errors")
                .doesNotContain("Exception", "\tat ");
        assertThat(result.out()).isEmpty();
    }

    @Test
    void aLedgerThatCannotBeReachedIsOneLineAndExitFourAndABadLocationIsBadInput() {
        Result unreachable = run("runs", "list", "--ledger", "postgresql://cutter:hunter2@127.0.0.1:1/ledger");
        Result bad = run("runs", "list", "--ledger", "postgresql://cutter@127.0.0.1:notaport/ledger");

        assertThat(unreachable.code()).as(unreachable.err()).isEqualTo(4);
        assertThat(unreachable.err()).startsWith("cutter: cannot open the ledger postgresql://cutter:***@127.0.0.1:1/ledger")
                .doesNotContain("hunter2").doesNotContain("\tat ").doesNotContain("internal error");
        assertThat(bad.code()).as(bad.err()).isEqualTo(2);
        assertThat(bad.err()).startsWith("cutter: ledger postgresql://").doesNotContain("internal error");
    }

    @Test
    void aMissingFileIsBadInput() {
        Result result = run("validate", "-f", dir.resolve("nope.yaml").toString());

        assertThat(result.code()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(result.err()).contains("nope.yaml: file not found");
    }

    @Test
    void aTagOutsideThePatternIsBadInput() {
        Result result = run("plan", "-f", "examples/serverless-init/cutter.yaml", "--tag", "v1.7.8");

        assertThat(result.code()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(result.err()).contains("v1.7.8").contains("serverless-init-{version}");
    }

    @Test
    void anInvalidVersionIsBadInput() {
        Result result = run("plan", "-f", "examples/serverless-init/cutter.yaml", "--version", "1.07.8", "--sha", "0".repeat(40));

        assertThat(result.code()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(result.err()).contains("1.07.8");
    }

    @Test
    void anUndeclaredVariableIsBadInput() {
        Result result = run("plan", "-f", "examples/serverless-init/cutter.yaml", "--version", "1.7.8", "--var", "BUILDTAGS=x");

        assertThat(result.code()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(result.err()).contains("--var BUILDTAGS: the spec declares no variable 'BUILDTAGS'");
    }

    @Test
    void tagAndVersionTogetherAreAUsageError() {
        Result result = run("plan", "-f", "examples/serverless-init/cutter.yaml", "--version", "1.7.8", "--tag", "serverless-init-1.7.8");

        assertThat(result.code()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(result.err()).contains("mutually exclusive");
    }

    @Test
    void planPrintsJobsAndPublicationsAndJsonForScripts() {
        Result text = run("plan", "-f", "examples/serverless-init/cutter.yaml", "--tag", "serverless-init-1.7.8",
                "--sha", "0".repeat(40), "--var", "BUILD_REGISTRY=registry.internal:5000");
        Result json = run("plan", "-f", "examples/serverless-init/cutter.yaml", "--tag", "serverless-init-1.7.8",
                "--sha", "0".repeat(40), "--json");

        assertThat(text.code()).isZero();
        assertThat(text.out()).contains("Plan: serverless-init 1.7.8 (tag serverless-init-1.7.8, channel stable)")
                .contains("registry.internal:5000/ci/datadog-agent/serverless-init  (push, {variant=standard})")
                .contains("latest  (floating: moves only if 1.7.8 is the highest stable version)");
        assertThat(json.code()).isZero();
        assertThat(json.out()).startsWith("{").contains("\"publications\"").contains("\"floating\"");
    }

    @Test
    void triggerTurnsATagIntoItsReleaseAndOtherRefsIntoNothingOrABuild() {
        Result tag = run("trigger", "-f", "examples/km/cutter.yaml", "--ref", "refs/tags/v0.1-test", "--dry-run");
        Result feature = run("trigger", "-f", "examples/km/cutter.yaml", "--ref", "refs/heads/feature/x");
        Result pr = run("trigger", "-f", "examples/dbx-runtime/cutter.yaml", "--ref", "refs/pull/7/merge", "--event", "pull_request",
                "--dry-run");

        assertThat(tag.code()).as(tag.err()).isZero();
        assertThat(tag.out()).contains("trigger: tag v0.1-test matches triggers[0]")
                .contains("→ cutter release -f examples/km/cutter.yaml --tag v0.1-test --dry-run").contains("archive/kontain");
        assertThat(feature.code()).isZero();
        assertThat(feature.out()).contains("refs/heads/feature/x matches no trigger; nothing to do");
        assertThat(pr.code()).as(pr.err()).isZero();
        assertThat(pr.out()).contains("--version 0.0.0-pr.7 --build-only --dry-run");
    }

    @Test
    void aBranchReleaseWithoutAVersionNeedsAVersionTagAtHead() throws IOException {
        Path file = spec("""
                project: demo
                version: { tag: "v{version}" }
                builds: [ { id: b, run: "true" } ]
                triggers:
                  - branch: "releases/*"
                """);
        Result result = run("trigger", "-f", file.toString(), "--ref", "refs/heads/releases/1.x");

        assertThat(result.code()).isEqualTo(2);
        assertThat(result.err()).contains("names no version and HEAD carries no tag matching v{version}");
    }

    @Test
    void withoutTagOrVersionTheVersionTagAtHeadIsTheOneReleased() throws Exception {
        Path file = spec("""
                project: demo
                version: { tag: "v{version}" }
                builds: [ { id: b, run: "true" } ]
                """);
        Result untagged = run("plan", "-f", file.toString(), "--sha", "0".repeat(40));
        git("init", "-q", "-b", "main");
        git("add", "-A");
        git("-c", "user.name=T", "-c", "user.email=t@t", "commit", "-q", "-m", "init");
        git("-c", "user.name=T", "-c", "user.email=t@t", "tag", "-a", "-m", "x", "v2.0.0");
        git("-c", "user.name=T", "-c", "user.email=t@t", "tag", "nightly");
        Result tagged = run("plan", "-f", file.toString());

        assertThat(untagged.code()).isEqualTo(2);
        assertThat(untagged.err()).contains("give --tag TAG or --version VERSION (HEAD carries no tag matching v{version})");
        assertThat(tagged.code()).as(tagged.err()).isZero();
        assertThat(tagged.out()).contains("Plan: demo 2.0.0 (tag v2.0.0");
    }

    @Test
    void planAllShowsEveryComponentInDependencyOrder() {
        Result result = run("plan", "-f", "examples/peer-pods/cutter.yaml", "--all", "--version", "0.10.0", "--sha", "0".repeat(40));

        assertThat(result.code()).as(result.err()).isZero();
        assertThat(result.out().lines().filter(l -> l.startsWith("Component: ")).toList()).containsExactly(
                "Component: cloud-providers", "Component: peerpod-ctrl", "Component: cloud-api-adaptor", "Component: csi-wrapper",
                "Component: webhook");
        assertThat(run("plan", "-f", "examples/peer-pods/cutter.yaml", "--all", "--tag", "v0.10.0").code()).isEqualTo(2);
    }

    private void git(String... args) throws Exception {
        var command = new java.util.ArrayList<>(java.util.List.of("git"));
        command.addAll(java.util.List.of(args));
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(out).isZero();
    }
}
