package dev.cutter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutter.cli.CliTest.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Values a caller with fewer rights than the spec's author may set (vars, the commit) never
 * become shell text, and are checked before anything runs.
 */
@Tag("security")
class InjectionTest {
    @TempDir
    Path dir;

    private Path spec(String text) throws IOException {
        Path file = dir.resolve("cutter.yaml");
        Files.writeString(file, text);
        return file;
    }

    private static final String BUILD = """
            project: demo
            vars:
              FLAGS: "-s -w"
              TARGET: { default: app, pattern: "[a-z][a-z0-9-]*" }
            builds:
              - id: app
                run: mkdir -p out && printf '%s|%s|%s' {vars.FLAGS} "{vars.TARGET}" "{sha}" > out/flags
                outputs: [out/flags]
            """;

    @Test
    void aVarHoldingShellCodeIsPassedAsOneWordAndNeverRuns() throws IOException {
        Path file = spec(BUILD);
        String sha = "0123456789abcdef0123456789abcdef01234567";

        Result result = CliTest.run("release", "-f", file.toString(), "--version", "1.0.0", "--sha", sha,
                "--var", "FLAGS=$(touch " + dir.resolve("PWNED") + ")");

        assertThat(result.code()).as(result.err()).isZero();
        assertThat(dir.resolve("PWNED")).doesNotExist();
        assertThat(Files.readString(dir.resolve("out/flags"))).isEqualTo("$(touch " + dir.resolve("PWNED") + ")|app|" + sha);
    }

    @Test
    void thePlanShowsTheCommandWithTheValueOutsideItsShellText() throws IOException {
        Path file = spec(BUILD);

        Result result = CliTest.run("plan", "-f", file.toString(), "--version", "1.0.0", "--json",
                "--sha", "0123456789abcdef0123456789abcdef01234567", "--var", "FLAGS=a; rm -rf ~");

        assertThat(result.code()).as(result.err()).isZero();
        assertThat(result.out()).contains("printf '%s|%s|%s' \\\"${CUTTER_VALUE_VARS_FLAGS}\\\" \\\"app\\\"")
                .contains("\"CUTTER_VALUE_VARS_FLAGS\" : \"a; rm -rf ~\"");
    }

    @Test
    void aShaThatIsNotACommitIsBadInput() throws IOException {
        Path file = spec(BUILD);

        Result result = CliTest.run("release", "-f", file.toString(), "--version", "1.0.0", "--sha", "$(touch " + dir.resolve("y") + ")");

        assertThat(result.code()).isEqualTo(2);
        assertThat(result.err()).contains("--sha").contains("is not a commit");
        assertThat(dir.resolve("y")).doesNotExist();
        assertThat(dir.resolve("out")).doesNotExist();
    }

    @Test
    void aVarOutsideItsPatternIsBadInput() throws IOException {
        Path file = spec(BUILD);

        Result result = CliTest.run("plan", "-f", file.toString(), "--version", "1.0.0", "--var", "TARGET=../../etc");

        assertThat(result.code()).isEqualTo(2);
        assertThat(result.err()).contains("vars.TARGET").contains("does not match its pattern [a-z][a-z0-9-]*");
    }

    @Test
    void aVarThatWouldReadASecretIsBadInput() throws IOException {
        Path file = spec(BUILD);

        Result result = CliTest.run("plan", "-f", file.toString(), "--version", "1.0.0", "--var", "FLAGS=${env:HOME}");

        assertThat(result.code()).isEqualTo(2);
        assertThat(result.err()).contains("builds[0].run").contains("secret reference");
    }

    @Test
    void aVarThatLeadsAPathOutOfTheProjectIsBadInput() throws IOException {
        Path file = spec("""
                project: demo
                vars: { NAME: app, CONFIG: versions.yaml }
                builds:
                  - id: app
                    run: "true"
                    outputs: ["dist/{vars.NAME}"]
                archives:
                  - id: bundle
                    name: "{vars.NAME}.tar.gz"
                    files: [ { src: "dist/{vars.NAME}", dst: "bin/{vars.NAME}" } ]
                pins:
                  - id: pin
                    file: "{vars.CONFIG}"
                    yaml: version
                    value: "{version}"
                """);
        Files.writeString(dir.resolve("versions.yaml"), "version: 0.0.0\n");

        Result output = CliTest.run("plan", "-f", file.toString(), "--version", "1.0.0", "--var", "NAME=../../../tmp/x");
        Result pin = CliTest.run("plan", "-f", file.toString(), "--version", "1.0.0", "--var", "CONFIG=/etc/passwd");

        assertThat(output.code()).as(output.err()).isEqualTo(2);
        assertThat(output.err()).contains("builds[0].outputs[0]").contains("'dist/../../../tmp/x' leads outside the project");
        assertThat(pin.code()).as(pin.err()).isEqualTo(2);
        assertThat(pin.err()).contains("'/etc/passwd' is an absolute path");
    }
}
