package dev.cutter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutter.content.Digest;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code matrix: { from: FILE, generate: COMMAND }}: the command writes the data file before it is
 * read, once per plan however many entries read it; a failing command is bad input told where it
 * is written, with its last lines; the plan names the data's digest, and a resume with other data
 * is refused naming the file and both digests.
 */
class MatrixGenerateTest {
    @TempDir
    Path dir;

    static final String SPEC = """
            project: demo
            builds:
              - id: first
                matrix: { from: data/cells.json, path: "$.include", generate: sh generate.sh }
                run: mkdir -p out && test ! -e stop && echo {name} > out/{name}-1
                outputs: [ "out/{name}-1" ]
              - id: second
                matrix: { from: data/cells.json, path: "$.include", generate: sh generate.sh }
                run: mkdir -p out && echo {name} > out/{name}-2
                outputs: [ "out/{name}-2" ]
            """;

    /** Writes the cells named in names.txt; counts its runs in runs.log. */
    static final String GENERATOR = """
            echo run >> runs.log
            mkdir -p data
            printf '{"include": [' > data/cells.json
            sep=""
            for n in $(cat names.txt); do printf '%s{"name": "%s"}' "$sep" "$n" >> data/cells.json; sep=","; done
            printf ']}\\n' >> data/cells.json
            """;

    private Path project(String names) throws Exception {
        Files.writeString(dir.resolve("generate.sh"), GENERATOR);
        Files.writeString(dir.resolve("names.txt"), names);
        Path file = dir.resolve("cutter.yaml");
        Files.writeString(file, SPEC);
        return file;
    }

    @Test
    void theCommandWritesTheDataOnceBeforeItIsReadAndThePlanNamesItsDigest() throws Exception {
        Path spec = project("alpha beta\n");

        CliTest.Result plan = CliTest.run("plan", "-f", spec.toString(), "--version", "1.0.0", "--json");

        assertThat(plan.code()).as(plan.out() + plan.err()).isZero();
        assertThat(plan.out()).contains("build/first/alpha", "build/first/beta", "build/second/beta");
        assertThat(Files.readAllLines(dir.resolve("runs.log"))).hasSize(1);
        assertThat(plan.out()).contains("\"data\" : {").contains("\"data/cells.json\" : \""
                + Digest.sha256(dir.resolve("data/cells.json")) + "\"");
    }

    @Test
    void aCommandThatFailsIsBadInputWhereItIsWrittenWithItsLastLines() throws Exception {
        Path spec = project("alpha\n");
        Files.writeString(dir.resolve("generate.sh"), "echo reading runtimes\necho 'no runtime 18.1 in catalog' >&2\nexit 3\n");

        CliTest.Result validate = CliTest.run("validate", "-f", spec.toString());

        assertThat(validate.code()).isEqualTo(2);
        assertThat(validate.out() + validate.err()).contains("cutter.yaml:4:").contains("builds[0].matrix.generate")
                .contains("exited with status 3").contains("no runtime 18.1 in catalog")
                .doesNotContain("builds[1].matrix.generate").doesNotContain("internal error");
    }

    @Test
    void aGenerateWithoutAFromIsBadInput() throws Exception {
        Path spec = project("alpha\n");
        Files.writeString(spec, SPEC.replace("from: data/cells.json, path: \"$.include\", generate", "generate"));

        CliTest.Result validate = CliTest.run("validate", "-f", spec.toString());

        assertThat(validate.code()).isEqualTo(2);
        assertThat(validate.out() + validate.err()).contains("cutter.yaml:4:").contains("add from: DATA_FILE");
    }

    @Test
    void aResumeWithOtherDataIsRefusedNamingTheFileAndBothDigests() throws Exception {
        Path spec = project("alpha\n");
        Files.writeString(dir.resolve("stop"), "");
        CliTest.Result failed = CliTest.run("release", "-f", spec.toString(), "--version", "1.0.0");
        assertThat(failed.code()).as(failed.out() + failed.err()).isEqualTo(1);
        String before = Digest.sha256(dir.resolve("data/cells.json")).toString();

        Files.delete(dir.resolve("stop"));
        Files.writeString(dir.resolve("names.txt"), "alpha gamma\n");
        CliTest.Result resumed = CliTest.run("release", "-f", spec.toString(), "--resume", "last");

        String after = Digest.sha256(dir.resolve("data/cells.json")).toString();
        assertThat(after).isNotEqualTo(before);
        assertThat(resumed.code()).as(resumed.out() + resumed.err()).isEqualTo(3);
        assertThat(resumed.out() + resumed.err()).contains("data/cells.json").contains(before).contains(after);

        Files.writeString(dir.resolve("names.txt"), "alpha\n");
        CliTest.Result same = CliTest.run("release", "-f", spec.toString(), "--resume", "last");
        assertThat(same.code()).as(same.out() + same.err()).isZero();
    }
}
