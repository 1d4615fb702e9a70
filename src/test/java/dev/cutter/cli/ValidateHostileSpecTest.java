package dev.cutter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cutter validate} on hostile specs: exit 2, each fault at its line, never an internal error. */
@org.junit.jupiter.api.Tag("security")
class ValidateHostileSpecTest {
    @TempDir
    Path dir;

    private record Result(int code, String out, String err) {}

    private Result validate(String yaml) throws IOException {
        Path file = dir.resolve("cutter.yaml");
        Files.writeString(file, yaml);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Cutter.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute("validate", "-f", file.toString());
        return new Result(code, out.toString(), err.toString());
    }

    private void assertBadInput(Result result, String... faults) {
        assertThat(result.code()).as(result.err()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(result.err()).contains(faults).doesNotContain("internal error", "Exception", "\tat ");
        assertThat(result.out()).isEmpty();
    }

    @Test
    void anImageFileFromOutsideTheProjectAndAPackageNameWithASlashAreBadInput() throws IOException {
        Result result = validate("""
                project: demo
                registries: { local: { layout: dist/oci } }
                images:
                  - id: app
                    platforms: [linux/amd64]
                    files: { /app: ../../etc/passwd }
                    push: local/app
                    tags: [latest]
                packages:
                  - id: pk
                    name: "evil/../../x"
                    formats: [rpm]
                    platforms: [linux/amd64]
                    files: { /usr/bin/p: dist/p }
                """);

        assertBadInput(result, "cutter.yaml:6:20: images[0].files./app: '../../etc/passwd' leads outside the project",
                "cutter.yaml:11:12: packages[0].name: 'evil/../../x' is not an rpm package name");
    }

    @Test
    void aBinaryTagAnOverflowingTimeoutAndANulAreAllReportedTogether() throws IOException {
        Result result = validate("""
                project: demo
                builds:
                  - id: bin
                    run: "make\\0"
                    timeout: 9999999999999999h
                    env: { "A=B": x, OK: !!binary aGVsbG8= }
                """);

        assertBadInput(result, "cutter.yaml:4:11: builds[0].run: contains the control character U+0000",
                "cutter.yaml:5:14: builds[0].timeout: '9999999999999999h' is outside the allowed range of 1s to 7 days",
                "builds[0].env.A=B: 'A=B' is not an environment variable name",
                "builds[0].env.OK: the YAML tag !!binary is not allowed", "4 errors");
    }

    @Test
    void aMatrixOfMoreJobsThanTheLimitIsBadInputNamingItsCount() throws IOException {
        StringBuilder axes = new StringBuilder();
        for (int i = 0; i < 7; i++) {
            axes.append("      a").append(i).append(": [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]\n");
        }

        Result result = validate("project: demo\nbuilds:\n  - id: bin\n    run: make\n    matrix:\n" + axes);

        assertBadInput(result, "cutter.yaml:3:5: builds[0].matrix: makes 10000000 jobs", "execution: { max-jobs: N }");
    }

    @Test
    void aSpecOverTheSizeLimitIsBadInputBeforeItIsParsed() throws IOException {
        Result result = validate("project: \"" + "a".repeat(2 << 20) + "\"\n");

        assertBadInput(result, "cutter.yaml: the file is 2097164 bytes, more than the 1048576 bytes (1 MiB)");
    }

    @Test
    void yesIsNotABoolean() throws IOException {
        Result result = validate("project: demo\nexecution: { fail-fast: yes }\n");

        assertBadInput(result, "cutter.yaml:2:25: execution.fail-fast: 'yes' is not a boolean; write true or false");
    }
}
