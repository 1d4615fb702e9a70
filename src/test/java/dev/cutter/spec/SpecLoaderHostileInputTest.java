package dev.cutter.spec;

import static dev.cutter.spec.SpecTexts.assertFaults;
import static dev.cutter.spec.SpecTexts.errors;
import static dev.cutter.spec.SpecTexts.fault;
import static dev.cutter.spec.SpecTexts.load;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Specs written by an attacker or an unlucky hand: each is refused at load with its line and what
 * to write instead, never read wrongly, never an exception of another kind.
 */
@org.junit.jupiter.api.Tag("security")
class SpecLoaderHostileInputTest {

    @Nested
    class PathsOutOfTheProject {
        @TempDir
        Path project;

        private List<SpecError> errorsIn(String yaml) {
            return errors(project.resolve("cutter.yaml"), yaml);
        }

        @ParameterizedTest
        @ValueSource(strings = {"../../etc/passwd", "/etc/passwd", "dist/../../x"})
        void refusesAnImageFileFromOutsideTheProject(String source) {
            assertFaults(errorsIn("""
                    project: demo
                    registries: { local: { layout: dist/oci } }
                    images:
                      - id: app
                        platforms: [linux/amd64]
                        files: { /app: "%s" }
                        push: local/app
                        tags: [latest]
                    """.formatted(source))).singleElement().satisfies(f -> {
                assertThat(f.toList().get(0)).isEqualTo(6);
                assertThat(f.toList().get(2)).isEqualTo("images[0].files./app");
                assertThat((String) f.toList().get(3)).contains("'" + source + "'").containsAnyOf("relative to the project",
                        "outside the project");
            });
        }

        @Test
        void refusesAnArchiveAndAPackageFileFromOutsideTheProject() {
            assertFaults(errorsIn("""
                    project: demo
                    archives:
                      - id: a
                        files: [ "../secrets/*" ]
                    packages:
                      - id: pk
                        platforms: [linux/amd64]
                        maintainer: "A <a@example.org>"
                        files: { /usr/bin/p: /etc/shadow }
                        scripts: { postinstall: ../../hook.sh }
                    """)).extracting(t -> t.toList().get(2)).containsExactly("archives[0].files[0]",
                    "packages[0].files./usr/bin/p", "packages[0].scripts.postinstall");
        }

        @Test
        void refusesAFileThroughASymbolicLinkThatLeadsOutOfTheProject() throws Exception {
            Path outside = Files.createTempDirectory("outside");
            Files.writeString(outside.resolve("secret"), "s");
            Files.createDirectories(project.resolve("dist"));
            Files.createSymbolicLink(project.resolve("dist/linked"), outside.resolve("secret"));
            Files.createSymbolicLink(project.resolve("elsewhere"), outside);

            assertFaults(errorsIn("""
                    project: demo
                    archives:
                      - id: a
                        files: [ dist/linked, "elsewhere/**" ]
                    """)).extracting(t -> t.toList().get(2), t -> ((String) t.toList().get(3)).contains("symbolic link"))
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("archives[0].files[0]", true),
                            org.assertj.core.groups.Tuple.tuple("archives[0].files[1]", true));
        }

        @Test
        void aMatrixDataFileIsReadOnlyInsideTheProjectAlsoThroughALink() throws Exception {
            Path outside = Files.createTempDirectory("outside");
            Files.writeString(outside.resolve("m.json"), "{\"include\": [{\"a\": \"1\"}]}");
            Files.createSymbolicLink(project.resolve("m.json"), outside.resolve("m.json"));

            assertFaults(errorsIn("""
                    project: demo
                    builds:
                      - id: a
                        run: make
                        matrix: { from: m.json, path: "$.include" }
                      - id: b
                        run: make
                        matrix: { from: ../m.json }
                    """)).extracting(t -> t.toList().get(0), t -> t.toList().get(2)).containsExactly(
                    org.assertj.core.groups.Tuple.tuple(5, "builds[0].matrix.from"),
                    org.assertj.core.groups.Tuple.tuple(8, "builds[1].matrix.from"));
        }

        @ParameterizedTest
        @ValueSource(strings = {"../../evil.tar.gz", "/tmp/evil.tar.gz", "sub/{platform.arch}.tar.gz", ".."})
        void refusesAnArchiveNameThatIsNotAPlainFileName(String name) {
            assertFaults(errorsIn("""
                    project: demo
                    archives:
                      - id: a
                        platforms: [linux/amd64]
                        name: "%s"
                        files: [ dist ]
                    """.formatted(name))).singleElement().satisfies(f -> {
                assertThat(f.toList().get(2)).isEqualTo("archives[0].name");
                assertThat((String) f.toList().get(3)).contains("file name");
            });
        }

        @Test
        void refusesTwoArchivesWhoseNamesAreTheSame() {
            assertFaults(errorsIn("""
                    project: demo
                    archives:
                      - id: a
                        name: "demo-{version}.tar.gz"
                        files: [ dist ]
                      - id: b
                        name: "{project}-{version}.tar.gz"
                        files: [ dist ]
                    """)).singleElement().satisfies(f -> {
                assertThat(f.toList().subList(0, 3)).containsExactly(7, 12, "archives[1].name");
                assertThat((String) f.toList().get(3)).contains("archives[0]", "overwrite");
            });
        }

        @Test
        void refusesAnArchiveWhoseCellsRenderOneName() {
            assertFaults(errorsIn("""
                    project: demo
                    archives:
                      - id: a
                        platforms: [linux/amd64, linux/arm64]
                        matrix: { flavor: [slim, full] }
                        name: "demo-{version}-{platform.arch}.tar.gz"
                        files: [ dist ]
                    """)).singleElement().satisfies(f -> assertThat((String) f.toList().get(3)).contains("flavor", "overwrite"));
        }

        @Test
        void archivesNamedByEveryAxisAreNotDuplicates() {
            assertThat(dev.cutter.kinds.Capabilities.specLoader().load(project.resolve("cutter.yaml"), """
                    project: demo
                    archives:
                      - id: a
                        platforms: [linux/amd64, linux/arm64]
                        matrix: { flavor: [slim, full] }
                        name: "demo-{version}-{flavor}-{platform.arch}.tar.gz"
                        files: [ dist ]
                    """).sections().get(dev.cutter.kinds.archive.ArchiveSection.SECTION)).hasSize(1);
        }

        @ParameterizedTest
        @ValueSource(strings = {"/../../x", "relative/x", "/a/./b", "/a//b", "/a/"})
        void refusesAnImagePathThatIsNotAbsoluteAndNormalized(String path) {
            assertFaults(errorsIn("""
                    project: demo
                    registries: { local: { layout: dist/oci } }
                    images:
                      - id: app
                        platforms: [linux/amd64]
                        files: { "%s": dist/app }
                        push: local/app
                        tags: [latest]
                    """.formatted(path))).singleElement().satisfies(f -> {
                assertThat(f.toList().get(2)).isEqualTo("images[0].files." + path);
                assertThat((String) f.toList().get(3)).contains("absolute, normalized path");
            });
        }

        @ParameterizedTest
        @ValueSource(strings = {"evil/../../x", "My_App", "-x", "a"})
        void refusesAPackageNameOutsideTheDebianGrammar(String name) {
            assertFaults(errorsIn("""
                    project: demo
                    packages:
                      - id: p
                        name: "%s"
                        formats: [deb]
                        platforms: [linux/amd64]
                        maintainer: "A <a@example.org>"
                        files: { /usr/bin/p: dist/p }
                    """.formatted(name))).singleElement().satisfies(f -> {
                assertThat(f.toList().get(2)).isEqualTo("packages[0].name");
                assertThat((String) f.toList().get(3)).contains("Debian Policy 5.6.7");
            });
        }

        @Test
        void refusesAnRpmNameWithASlashButAcceptsCapitals() {
            assertFaults(errorsIn("""
                    project: demo
                    packages:
                      - id: p
                        name: "My/App"
                        formats: [rpm]
                        platforms: [linux/amd64]
                        files: { /usr/bin/p: dist/p }
                      - id: q
                        name: "My_App"
                        formats: [rpm]
                        platforms: [linux/amd64]
                        files: { /usr/bin/q: dist/q }
                    """)).singleElement().satisfies(f -> assertThat((String) f.toList().get(3)).contains("rpm package name"));
        }

        @Test
        void refusesTwoPackagesThatWriteOneFile() {
            assertFaults(errorsIn("""
                    project: demo
                    packages:
                      - id: p
                        name: app
                        formats: [deb]
                        platforms: [linux/arm/v6, linux/arm/v7]
                        maintainer: "A <a@example.org>"
                        files: { /usr/bin/p: dist/p }
                    """)).singleElement().satisfies(f -> assertThat((String) f.toList().get(3)).contains("overwrite"));
        }

        @Test
        void refusesAPinThatWouldEditAFileOutsideTheProject() {
            assertFaults(errorsIn("""
                    project: demo
                    pins:
                      - file: ../other/versions.yaml
                        yaml: app.version
                        value: "{version}"
                    """)).extracting(t -> t.toList().get(2)).containsExactly("pins[0].file");
        }
    }

    @Nested
    class Timeouts {
        @ParameterizedTest
        @ValueSource(strings = {"9999999999999999h", "9223372036854775807s", "0s", "0", "169h", "-5s"})
        void refusesATimeoutOutsideOneSecondToAWeek(String timeout) {
            assertFaults("""
                    project: demo
                    builds:
                      - id: bin
                        run: make
                        timeout: %s
                    """.formatted(timeout)).singleElement().satisfies(f -> {
                assertThat(f.toList().subList(0, 3)).containsExactly(5, 14, "builds[0].timeout");
                assertThat((String) f.toList().get(3)).contains("1s to 7 days");
            });
        }

        @Test
        void acceptsAWeekAndASecond() {
            Spec spec = load("""
                    project: demo
                    builds:
                      - { id: a, run: make, timeout: 168h }
                      - { id: b, run: make, timeout: 1s }
                    validate:
                      - { id: c, run: make, timeout: 1h30m }
                    """);

            assertThat(dev.cutter.kinds.build.BuildSection.SECTION.of(spec)).extracting(b -> b.timeout().orElseThrow())
                    .containsExactly(Duration.ofDays(7), Duration.ofSeconds(1));
            assertThat(spec.sections().get(dev.cutter.kinds.validate.ValidateSection.SECTION).get(0).timeout()).contains(Duration.ofMinutes(90));
        }
    }

    @Nested
    class Tags {
        @Test
        void refusesABinaryValueAndStillReportsTheOtherFaults() {
            assertFaults("""
                    project: demo
                    builds:
                      - id: bin
                        run: !!binary aGVsbG8=
                        retries: many
                        entrypiont: x
                    """).containsExactly(
                    fault(4, 10, "builds[0].run", "the YAML tag !!binary is not allowed; remove it and write the value as"
                            + " plain text, a number, true or false"),
                    fault(5, 14, "builds[0].retries", "expected a whole number, found a string"),
                    fault(6, 5, "builds[0].entrypiont", "unknown key; known keys here: id, matrix, platforms, run, env, dir,"
                            + " inputs, outputs, needs, timeout, retries, concurrency"));
        }

        @ParameterizedTest
        @ValueSource(strings = {"!!python/object:os.system x", "!custom x", "!!set {}", "!!timestamp 2001-12-14",
                "!<tag:example.com,2000:x> y"})
        void refusesExplicitTags(String value) {
            assertFaults("""
                    project: demo
                    vars:
                      X: %s
                    """.formatted(value)).singleElement().satisfies(f -> {
                assertThat(f.toList().subList(0, 2)).containsExactly(3, 6);
                assertThat((String) f.toList().get(3)).contains("is not allowed; remove it");
            });
        }

        @Test
        void harmlessCoreTagsAreRead() {
            Spec spec = load("""
                    project: !!str demo
                    vars:
                      X: !!str 1.10
                    builds:
                      - id: bin
                        run: make
                        retries: !!int 3
                    execution: { fail-fast: !!bool false }
                    """);

            assertThat(spec.vars().get("X").defaultValue()).isEqualTo("1.10");
            assertThat(dev.cutter.kinds.build.BuildSection.SECTION.of(spec).get(0).retries()).isEqualTo(3);
            assertThat(spec.execution().failFast()).isFalse();
        }

        @Test
        void refusesACoreTagThatDoesNotFitItsValue() {
            assertFaults("""
                    project: demo
                    execution: { fail-fast: !!bool maybe }
                    """).extracting(t -> t.toList().get(3)).first().asString().contains("!!bool does not fit 'maybe'");
        }
    }

    @Nested
    class ControlCharacters {
        @ParameterizedTest
        @ValueSource(strings = {"\\0", "\\x01", "\\e", "\\r", "\\x7f", "\\x85"})
        void refusesAControlCharacterInACommand(String escape) {
            assertFaults("""
                    project: demo
                    builds:
                      - id: bin
                        run: "make\\nmake%s; rm -rf /"
                    """.formatted(escape)).singleElement().satisfies(f -> {
                assertThat(f.toList().subList(0, 3)).containsExactly(4, 11, "builds[0].run");
                assertThat((String) f.toList().get(3)).startsWith("contains the control character U+");
            });
        }

        @Test
        void refusesAControlCharacterInAPathAHeaderOrAKey() {
            assertFaults("""
                    project: demo
                    archives:
                      - id: a
                        files: [ "dist/\\0x" ]
                    images: []
                    notify:
                      - webhook: "https://hooks.example/x\\r\\nX-Evil: 1"
                    vars:
                      "A\\x01": ""
                    """).extracting(t -> t.toList().get(2)).contains("archives[0].files[0]", "notify[0].webhook");
        }

        @Test
        void tabsAndNewlinesStay() {
            assertThat(load("""
                    project: demo
                    builds:
                      - id: bin
                        run: "make\\tall\\nmake install"
                    """).sections().get(dev.cutter.kinds.build.BuildSection.SECTION).get(0).run().source()).isEqualTo("make\tall\nmake install");
        }

        @Test
        void aVarValueGivenLaterIsCheckedTheSameWay() {
            Spec spec = load("""
                    project: demo
                    vars: { X: "" }
                    """);

            assertThat(spec.vars().get("X").problem("a\u001bb")).hasValueSatisfying(p -> assertThat(p).contains("U+001B"));
            assertThat(spec.vars().get("X").problem("a\tb")).isEmpty();
        }
    }

    @Nested
    class EnvironmentNames {
        @ParameterizedTest
        @ValueSource(strings = {"\"A=B\"", "\"\"", "1X", "\"A B\"", "A-B"})
        void refusesAnEnvNameThatAnEnvironmentCannotHold(String name) {
            assertFaults("""
                    project: demo
                    builds:
                      - id: bin
                        run: make
                        env: { %s: x }
                    validate:
                      - id: check
                        run: make
                        env: { %s: x }
                    registries: { local: { layout: dist/oci } }
                    images:
                      - id: app
                        platforms: [linux/amd64]
                        env: { %s: x }
                        push: local/app
                        tags: [latest]
                    """.formatted(name, name, name)).extracting(t -> t.toList().get(2), t -> t.toList().get(3))
                    .allSatisfy(t -> assertThat((String) t.toList().get(1)).contains("is not an environment variable name"))
                    .extracting(t -> ((String) t.toList().get(0)).replaceAll("\\.env\\..*", ".env"))
                    .containsExactlyInAnyOrder("builds[0].env", "validate[0].env", "images[0].env");
        }
    }

    @Nested
    class AnchorsAndAliases {
        @Test
        void anAliasIsTheValueOfItsAnchor() {
            Spec spec = load("""
                    project: demo
                    vars: { CMD: &cmd "make all" }
                    builds:
                      - id: a
                        run: *cmd
                      - id: b
                        run: *cmd
                    """);

            assertThat(dev.cutter.kinds.build.BuildSection.SECTION.of(spec)).extracting(b -> b.run().source()).containsExactly("make all", "make all");
        }

        @Test
        void aMergedMapIsReadAsIfWrittenOut() {
            String yaml = """
                    project: demo
                    builds:
                      - &base
                        id: a
                        run: make
                        retries: 2
                        env: { GOOS: linux }
                      - <<: *base
                        id: b
                        retries: 5
                    """;

            Spec spec = load(yaml);

            assertThat(dev.cutter.kinds.build.BuildSection.SECTION.of(spec)).extracting(dev.cutter.kinds.build.BuildSpec::id, b -> b.run().source(), dev.cutter.kinds.build.BuildSpec::retries)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("a", "make", 2),
                            org.assertj.core.groups.Tuple.tuple("b", "make", 5));
            assertThat(dev.cutter.kinds.build.BuildSection.SECTION.of(spec).get(1).env()).containsKey("GOOS");
        }

        @Test
        void aFaultInAnAnchoredValueIsReportedWhereItIsWritten() {
            assertFaults("""
                    project: demo
                    builds:
                      - &base
                        id: a
                        run: "make {verison}"
                      - <<: *base
                        id: b
                    """).extracting(t -> t.toList().get(0), t -> t.toList().get(1)).contains(
                    org.assertj.core.groups.Tuple.tuple(5, 16));
        }

        @Test
        void refusesAnAliasBomb() {
            StringBuilder yaml = new StringBuilder("project: demo\nvars:\n  X: x\nx0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
            for (int i = 1; i <= 9; i++) {
                yaml.append("x").append(i).append(": &a").append(i).append(" [")
                        .append(String.join(", ", java.util.Collections.nCopies(10, "*a" + (i - 1)))).append("]\n");
            }

            List<SpecError> errors = errors(yaml.toString());

            assertThat(errors).singleElement().extracting(SpecError::message).asString().contains("aliases");
        }

        @Test
        void refusesAnAliasThatContainsItself() {
            assertThat(errors("""
                    project: demo
                    builds: &loop
                      - id: a
                        run: make
                        inputs: *loop
                    """)).extracting(SpecError::message).anySatisfy(m -> assertThat(m).contains("contains it"));
        }
    }

    @Nested
    class Triggers {
        @ParameterizedTest
        @ValueSource(strings = {"pull-request", "tag", "branch"})
        void aNullPatternMeansEveryRef(String kind) {
            Spec spec = load("""
                    project: demo
                    triggers:
                      - %s:
                    """.formatted(kind));

            assertThat(spec.triggers().get(0).match()).isEqualTo("*");
        }

        @Test
        void refusesAnEmptyPattern() {
            assertFaults("""
                    project: demo
                    triggers:
                      - tag: ""
                    """).extracting(t -> t.toList().get(2)).containsExactly("triggers[0].tag");
        }

        @Test
        void aBranchVersionUsesOnlyItsPlaceholdersAndPathsOnlyFilterBranches() {
            assertFaults("""
                    project: demo
                    triggers:
                      - branch: main
                        version: "{last}-main.{commits}.{verison}"
                        paths: [ data/, "/etc/passwd", "../up" ]
                      - tag: "v*"
                        paths: [ src/ ]
                    """).extracting(t -> t.toList().get(2)).containsExactly("triggers[0].version", "triggers[0].paths[1]",
                    "triggers[0].paths[2]", "triggers[1].paths");
            Spec spec = load("""
                    project: demo
                    triggers:
                      - branch: "releases/*/v*"
                        version: "{branch.name}-daily.{date}.{short_sha}.{last.major}"
                        paths: src/
                    """);
            assertThat(spec.triggers().get(0).paths()).containsExactly("src/");
        }
    }

    @Nested
    class Booleans {
        @ParameterizedTest
        @ValueSource(strings = {"yes", "no", "on", "off", "y", "n", "Yes", "NO"})
        void refusesYaml11Booleans(String written) {
            assertFaults("""
                    project: demo
                    execution: { fail-fast: %s }
                    """.formatted(written)).containsExactly(fault(2, 25, "execution.fail-fast",
                    "'" + written + "' is not a boolean; write true or false (yes, no, on and off are text in YAML 1.2)"));
        }

        @Test
        void refusesThemEverywhereABoolIsRead() {
            assertFaults("""
                    project: demo
                    registries: { hub: { url: "127.0.0.1:5000", insecure: on } }
                    checksums: yes
                    channels: { stable: { match: "*", rolling: yes } }
                    """).extracting(t -> t.toList().get(2)).containsExactly("registries.hub.insecure", "checksums",
                    "channels.stable.rolling");
        }

        @Test
        void theNorwayProblemIsGoneTextStaysText() {
            Spec spec = load("""
                    project: demo
                    vars: { COUNTRY: NO, ANSWER: yes }
                    """);

            assertThat(spec.vars().get("COUNTRY").defaultValue()).isEqualTo("NO");
            assertThat(spec.vars().get("ANSWER").defaultValue()).isEqualTo("yes");
        }
    }

    @Nested
    class Limits {
        @Test
        void refusesASpecLargerThanTheLimitBeforeParsingIt() {
            String yaml = "project: \"" + "a".repeat(YamlReader.MAX_BYTES) + "\"\n";

            long started = System.nanoTime();
            List<SpecError> errors = errors(yaml);

            assertThat(errors).singleElement().extracting(SpecError::message).asString()
                    .contains("more than the 1048576 bytes (1 MiB)");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
        }

        @Test
        void refusesNestingDeeperThanTheLimit() {
            String yaml = "project: demo\nvars: " + "[".repeat(200) + "]".repeat(200) + "\n";

            assertThat(errors(yaml)).singleElement().extracting(SpecError::message).asString().contains("Nesting");
        }

        @Test
        void refusesAMatrixWithMoreCellsThanMaxJobsWithoutExpandingIt() {
            StringBuilder axes = new StringBuilder();
            for (int i = 0; i < 7; i++) {
                axes.append("      a").append(i).append(": [v0, v1, v2, v3, v4, v5, v6, v7, v8, v9]\n");
            }

            assertFaults("""
                    project: demo
                    builds:
                      - id: bin
                        run: make
                        matrix:
                    %s""".formatted(axes)).containsExactly(fault(3, 5, "builds[0].matrix", "makes 10000000 jobs"
                    + " (10 × 10 × 10 × 10 × 10 × 10 × 10 before include and exclude rows), more than execution.max-jobs"
                    + " allows (100000); remove values, add exclude rows, or raise the limit with execution: { max-jobs: N }"));
        }

        @Test
        void countsTheMatricesTogetherWithPackagesTimesFormats() {
            assertFaults("""
                    project: demo
                    execution: { max-jobs: 10 }
                    builds:
                      - { id: a, run: make, matrix: { x: [1, 2, 3, 4, 5] } }
                    packages:
                      - id: p
                        platforms: [linux/amd64, linux/arm64, linux/386]
                        maintainer: "A <a@example.org>"
                        files: { /usr/bin/p: dist/p }
                    """).singleElement().satisfies(f -> {
                assertThat(f.toList().get(2)).isEqualTo("execution.max-jobs");
                assertThat((String) f.toList().get(3)).contains("together make 11 jobs", "packages[0]: 6", "builds[0]: 5");
            });
        }

        @Test
        void excludeRowsCountAndALimitCanBeRaised() {
            Spec spec = load("""
                    project: demo
                    execution: { max-jobs: 3 }
                    builds:
                      - id: a
                        run: make
                        matrix:
                          x: [1, 2]
                          y: [1, 2]
                          exclude: [ { x: 1, y: 1 } ]
                    """);

            assertThat(Matrix.count(dev.cutter.kinds.build.BuildSection.SECTION.of(spec).get(0).matrix())).isEqualTo(3);
        }
    }

    @Nested
    class DeclaredVars {
        @Test
        void readsTheLongForm() {
            Spec spec = load("""
                    project: demo
                    vars:
                      TAGS: { default: "a b", pattern: "[a-z ]*", api: true }
                      SHORT: x
                    """);

            Spec.VarSpec tags = spec.vars().get("TAGS");
            assertThat(tags.defaultValue()).isEqualTo("a b");
            assertThat(tags.pattern()).hasValueSatisfying(p -> assertThat(p.pattern()).isEqualTo("[a-z ]*"));
            assertThat(tags.api()).isTrue();
            assertThat(tags.problem("A;rm")).isPresent();
            assertThat(spec.vars().get("SHORT")).extracting(Spec.VarSpec::api, Spec.VarSpec::defaultValue)
                    .containsExactly(false, "x");
        }

        @Test
        void refusesABadRegex() {
            assertFaults("""
                    project: demo
                    vars:
                      X: { pattern: "[a-" }
                    """).singleElement().satisfies(f -> {
                assertThat(f.toList().subList(0, 3)).containsExactly(3, 8, "vars.X.pattern");
                assertThat((String) f.toList().get(3)).startsWith("not a regular expression");
            });
        }

        @Test
        void refusesADefaultThatFailsItsPattern() {
            assertFaults("""
                    project: demo
                    vars:
                      X: { default: "A;B", pattern: "[a-z]*" }
                    """).singleElement().satisfies(f -> {
                assertThat(f.toList().subList(0, 3)).containsExactly(3, 8, "vars.X.default");
                assertThat((String) f.toList().get(3)).contains("does not match its pattern", "the default must be");
            });
        }

        @Test
        void refusesAnUnknownKeyUnderAVar() {
            assertFaults("""
                    project: demo
                    vars:
                      X: { default: "", patern: "[a-z]*" }
                    """).containsExactly(fault(3, 21, "vars.X.patern", "unknown key; did you mean 'pattern'?"));
        }

        @Test
        void refusesAYaml11BooleanForApi() {
            assertFaults("""
                    project: demo
                    vars:
                      X: { api: yes }
                    """).extracting(t -> t.toList().get(2)).containsExactly("vars.X.api");
        }
    }
}
