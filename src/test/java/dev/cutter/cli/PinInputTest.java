package dev.cutter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A pin that cannot be made is told at validate, with the spec's file:line:column, exit 2. */
class PinInputTest {
    @TempDir
    Path dir;

    private CliTest.Result validate(String pins) throws Exception {
        Files.writeString(dir.resolve("CITATION.cff"), "cff-version: 1.2.0\ndate-released: 2024-01-01\n");
        Files.writeString(dir.resolve("Cargo.toml"), "[package]\nversion = \"0.1.0\"\n");
        Path file = dir.resolve("cutter.yaml");
        Files.writeString(file, "project: demo\npins:\n" + pins);
        return CliTest.run("validate", "-f", file.toString());
    }

    @Test
    void theSeedsPinsOfADateAndATomlKeyAreValid() throws Exception {
        CliTest.Result ok = validate("""
                  - { file: CITATION.cff, yaml: date-released, value: "{date:yyyy-MM-dd}" }
                  - { file: Cargo.toml, toml: package.version, value: "{version}" }
                """);
        assertThat(ok.code()).as(ok.out() + ok.err()).isZero();
    }

    @Test
    void anInvalidDateFormatIsBadInputAtItsColumn() throws Exception {
        CliTest.Result bad = validate("""
                  - file: CITATION.cff
                    yaml: date-released
                    value: "{date:yyyy-MM-dd HH:mm}"
                """);
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.out() + bad.err()).contains("cutter.yaml:5:").contains("more than a date");
    }

    @Test
    void aPinnedFileOrKeyThatDoesNotExistIsBadInputWhereThePinIs() throws Exception {
        CliTest.Result file = validate("""
                  - { file: CITATION.yaml, yaml: date-released, value: "{version}" }
                """);
        assertThat(file.code()).isEqualTo(2);
        assertThat(file.out() + file.err()).contains("cutter.yaml:3:").contains("the pinned file CITATION.yaml does not exist");

        CliTest.Result key = validate("""
                  - id: version
                    file: Cargo.toml
                    toml: package.versoin
                    value: "{version}"
                """);
        assertThat(key.code()).isEqualTo(2);
        assertThat(key.out() + key.err()).contains("cutter.yaml:3:").contains("no line 'versoin = …' in table [package]");
    }

    @Test
    void aRequirementNamingAPinThatIsNotThereIsBadInputAtItsField() throws Exception {
        CliTest.Result bad = validate("""
                  - { id: kbs, file: Cargo.toml, toml: package.version, value: "0.10.1" }
                requires:
                  - id: trustee
                    git: "https://github.com/confidential-containers/trustee"
                    tag: "v{pins.trustee}"
                """);
        assertThat(bad.code()).as(bad.out() + bad.err()).isEqualTo(2);
        assertThat(bad.out() + bad.err()).contains("cutter.yaml:7:12: requires[0].tag: {pins.trustee} names no pin")
                .doesNotContain("internal error");
    }
}
