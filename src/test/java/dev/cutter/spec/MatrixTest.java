package dev.cutter.spec;

import static dev.cutter.spec.SpecTexts.errors;
import static dev.cutter.spec.SpecTexts.load;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cutter.spec.MatrixSpec.Axis;
import dev.cutter.spec.MatrixSpec.AxisValue;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How an entry's matrix becomes its cells: product, exclude, include, platforms, data files, --only. */
class MatrixTest {

    /** The matrix of the first build of {@code yaml}. */
    private static MatrixSpec buildMatrix(String yaml) {
        return load(yaml).sections().get(dev.cutter.kinds.build.BuildSection.SECTION).get(0).matrix();
    }

    private static List<Map<String, String>> labels(List<Cell> cells) {
        return cells.stream().map(Cell::labels).toList();
    }

    @Nested
    class Product {
        @Test
        void anEntryWithoutAMatrixHasOneEmptyCell() {
            List<Cell> cells = Matrix.expand(buildMatrix("""
                    project: demo
                    builds:
                      - id: bin
                        run: make
                    """));

            assertThat(cells).containsExactly(Cell.EMPTY);
            assertThat(cells.get(0).isEmpty()).isTrue();
        }

        @Test
        void listAxesMultiplyWithTheFirstAxisOutermost() {
            List<Cell> cells = Matrix.expand(buildMatrix("""
                    project: demo
                    builds:
                      - id: bin
                        matrix:
                          go: ["1.22", "1.23"]
                          os: [linux, windows, darwin]
                        run: "GOOS={os} go{go} build"
                    """));

            assertThat(labels(cells)).containsExactly(
                    Map.of("go", "1.22", "os", "linux"), Map.of("go", "1.22", "os", "windows"),
                    Map.of("go", "1.22", "os", "darwin"), Map.of("go", "1.23", "os", "linux"),
                    Map.of("go", "1.23", "os", "windows"), Map.of("go", "1.23", "os", "darwin"));
            assertThat(cells.get(0).labels().keySet()).containsExactly("go", "os");
        }

        @Test
        void unquotedNumbersKeepTheirWrittenForm() {
            List<Cell> cells = Matrix.expand(buildMatrix("""
                    project: demo
                    builds:
                      - id: bin
                        matrix: { go: [1.20, 1.21] }
                        run: "go{go} build"
                    """));

            assertThat(cells).extracting(c -> c.lookup("go").orElseThrow()).containsExactly("1.20", "1.21");
        }

        @Test
        void mapAxisValuesAreNamedByTheirKeyAndCarryTheirFields() {
            MatrixSpec matrix = load("""
                    project: demo
                    registries:
                      local: { layout: dist/oci }
                    images:
                      - id: app
                        matrix:
                          variant:
                            standard: { base: "debian:bookworm-slim", suffix: "" }
                            alpine:   { base: "alpine:3.20", suffix: "-alpine" }
                        platforms: [linux/amd64]
                        from: "{variant.base}"
                        push: local/app
                        tags: ["{version}{variant.suffix}"]
                    """).sections().get(dev.cutter.kinds.image.ImageSection.SECTION).get(0).matrix();

            List<Cell> cells = Matrix.expand(matrix);

            assertThat(cells).extracting(c -> c.lookup("variant").orElseThrow()).containsExactly("standard", "alpine");
            assertThat(cells).extracting(c -> c.lookup("variant.base").orElseThrow())
                    .containsExactly("debian:bookworm-slim", "alpine:3.20");
            assertThat(cells).extracting(c -> c.lookup("variant.suffix").orElseThrow()).containsExactly("", "-alpine");
            assertThat(cells.get(0).lookup("variant.missing")).isEmpty();
            assertThat(cells.get(0).lookup("nothing")).isEmpty();
        }

        @Test
        void listAxisOfObjectsIsNamedByTheNameFieldOrElseByPosition() {
            MatrixSpec matrix = buildMatrix("""
                    project: demo
                    builds:
                      - id: bin
                        matrix:
                          jdk:
                            - { name: lts, version: "21" }
                            - { version: "25" }
                        run: "build --jdk {jdk.version}"
                    """);

            assertThat(Matrix.expand(matrix)).extracting(c -> c.lookup("jdk").orElseThrow(),
                    c -> c.lookup("jdk.version").orElseThrow()).containsExactly(
                    org.assertj.core.groups.Tuple.tuple("lts", "21"), org.assertj.core.groups.Tuple.tuple("1", "25"));
        }

        @Test
        void platformsShorthandIsALastAxisNamedPlatformWithOsArchAndVariant() {
            MatrixSpec matrix = buildMatrix("""
                    project: demo
                    builds:
                      - id: bin
                        matrix: { flavor: [glibc, musl] }
                        platforms: [linux/amd64, linux/arm/v7]
                        run: "make {flavor} {platform.os} {platform.arch} {platform.variant}"
                    """);

            List<Cell> cells = Matrix.expand(matrix);

            assertThat(matrix.hasPlatforms()).isTrue();
            assertThat(matrix.axes()).extracting(Axis::name).containsExactly("flavor", "platform");
            assertThat(labels(cells)).containsExactly(
                    Map.of("flavor", "glibc", "platform", "linux/amd64"), Map.of("flavor", "glibc", "platform", "linux/arm/v7"),
                    Map.of("flavor", "musl", "platform", "linux/amd64"), Map.of("flavor", "musl", "platform", "linux/arm/v7"));
            assertThat(cells.get(0).get("platform").orElseThrow().fields())
                    .containsExactly(Map.entry("os", "linux"), Map.entry("arch", "amd64"), Map.entry("variant", ""));
            assertThat(cells.get(1).get("platform").orElseThrow().fields())
                    .containsExactly(Map.entry("os", "linux"), Map.entry("arch", "arm"), Map.entry("variant", "v7"));
            assertThat(cells.get(1).lookup("platform")).contains("linux/arm/v7");
        }

        @Test
        void aPlatformAxisWrittenInTheMatrixGetsTheSameFields() {
            MatrixSpec matrix = buildMatrix("""
                    project: demo
                    builds:
                      - id: bin
                        matrix: { platform: [linux/arm64] }
                        run: "make {platform.arch}"
                    """);

            assertThat(Matrix.expand(matrix)).singleElement()
                    .satisfies(c -> assertThat(c.lookup("platform.arch")).contains("arm64"));
        }
    }

    @Nested
    class ExcludeAndInclude {
        private static final String SPEC = """
                project: demo
                builds:
                  - id: bin
                    matrix:
                      go: ["1.22", "1.23"]
                      os:
                        linux: { ext: "" }
                        windows: { ext: ".exe" }
                      %s
                    run: "go{go} build -o bin{os.ext}"
                """;

        @Test
        void excludeRemovesEveryCellItMatches() {
            List<Cell> cells = Matrix.expand(buildMatrix(SPEC.formatted("exclude: [{ os: windows }]")));

            assertThat(labels(cells)).containsExactly(Map.of("go", "1.22", "os", "linux"), Map.of("go", "1.23", "os", "linux"));
        }

        @Test
        void excludeWithEveryAxisRemovesOneCell() {
            List<Cell> cells = Matrix.expand(buildMatrix(SPEC.formatted("exclude: [{ go: \"1.22\", os: windows }]")));

            assertThat(labels(cells)).containsExactly(Map.of("go", "1.22", "os", "linux"),
                    Map.of("go", "1.23", "os", "linux"), Map.of("go", "1.23", "os", "windows"));
        }

        @Test
        void includeAddsACellWithANewValueAtTheEnd() {
            List<Cell> cells = Matrix.expand(buildMatrix(SPEC.formatted("include: [{ go: \"1.24\", os: linux }]")));

            assertThat(cells).hasSize(5);
            assertThat(cells.get(4).labels()).isEqualTo(Map.of("go", "1.24", "os", "linux"));
            assertThat(cells.get(4).lookup("os.ext")).as("a known value brings its fields").contains("");
        }

        @Test
        void includeOfAnExistingCellDoesNotDuplicateIt() {
            List<Cell> cells = Matrix.expand(buildMatrix(SPEC.formatted("include: [{ go: \"1.23\", os: windows }]")));

            assertThat(cells).hasSize(4).doesNotHaveDuplicates();
        }

        @Test
        void includeRestoresACellThatWasExcluded() {
            List<Cell> cells = Matrix.expand(buildMatrix(SPEC.formatted("""
                    exclude: [{ os: windows }]
                          include: [{ go: "1.23", os: windows }]""")));

            assertThat(labels(cells)).containsExactly(Map.of("go", "1.22", "os", "linux"),
                    Map.of("go", "1.23", "os", "linux"), Map.of("go", "1.23", "os", "windows"));
            assertThat(cells.get(2).lookup("os.ext")).contains(".exe");
        }

        @Test
        void excludeCanNameThePlatformOfThePlatformsShorthand() {
            MatrixSpec matrix = buildMatrix("""
                    project: demo
                    builds:
                      - id: bin
                        matrix:
                          libc: [glibc, musl]
                          exclude:
                            - { libc: musl, platform: linux/arm/v7 }
                        platforms: [linux/amd64, linux/arm/v7]
                        run: "make {libc} {platform.arch}"
                    """);

            assertThat(labels(Matrix.expand(matrix))).containsExactly(
                    Map.of("libc", "glibc", "platform", "linux/amd64"), Map.of("libc", "glibc", "platform", "linux/arm/v7"),
                    Map.of("libc", "musl", "platform", "linux/amd64"));
        }

        @Test
        void includeOfANewPlatformGivesItItsFields() {
            MatrixSpec matrix = buildMatrix("""
                    project: demo
                    builds:
                      - id: bin
                        matrix:
                          include:
                            - { platform: linux/s390x }
                        platforms: [linux/amd64]
                        run: "make {platform.arch}"
                    """);

            List<Cell> cells = Matrix.expand(matrix);

            assertThat(cells).extracting(c -> c.lookup("platform.arch").orElseThrow()).containsExactly("amd64", "s390x");
        }

        @Test
        void aMatrixOfOnlyIncludeRowsHasExactlyThoseCells() {
            MatrixSpec matrix = new MatrixSpec(List.of(), List.of(Map.of("target", "a"), Map.of("target", "b")),
                    List.of(), List.of(), Optional.empty());

            assertThat(labels(Matrix.expand(matrix))).containsExactly(Map.of("target", "a"), Map.of("target", "b"));
        }

        @Test
        void excludingEveryCellLeavesNone() {
            MatrixSpec matrix = new MatrixSpec(List.of(new Axis("os", List.of(new AxisValue("linux", Map.of())))),
                    List.of(), List.of(Map.of("os", "linux")), List.of(), Optional.empty());

            assertThat(Matrix.expand(matrix)).isEmpty();
        }
    }

    @Nested
    class DataFiles {
        @TempDir
        Path dir;

        private Spec loadBeside(String dataFile, String data, String yaml) throws IOException {
            Files.writeString(dir.resolve(dataFile), data);
            return dev.cutter.kinds.Capabilities.specLoader().load(dir.resolve("cutter.yaml"), yaml);
        }

        private static final String RUNTIMES = """
                { "include": [
                    { "runtime": "17.3 LTS", "image": "python", "suffix": "-py312" },
                    { "runtime": "16.4 LTS", "image": "python", "suffix": "" },
                    { "runtime": "17.3 LTS", "image": "gpu", "suffix": "" }
                ] }
                """;

        @Test
        void rowsOfADataFileAreTheCellsMultipliedByPlatforms() throws IOException {
            Spec spec = loadBeside("build_summary.json", RUNTIMES, """
                    project: demo
                    builds:
                      - id: rootfs
                        matrix:
                          from: build_summary.json
                          path: "$.include"
                        platforms: [linux/amd64, linux/arm64]
                        run: "render {runtime} {image}{suffix} {platform.arch}"
                    """);

            MatrixSpec matrix = dev.cutter.kinds.build.BuildSection.SECTION.of(spec).get(0).matrix();
            List<Cell> cells = Matrix.expand(matrix);

            assertThat(matrix.source()).contains("build_summary.json");
            assertThat(matrix.rows()).hasSize(3);
            assertThat(cells).extracting(c -> c.lookup("runtime").orElseThrow() + "/" + c.lookup("image").orElseThrow()
                    + "/" + c.lookup("platform.arch").orElseThrow()).containsExactly(
                    "17.3 LTS/python/amd64", "17.3 LTS/python/arm64", "16.4 LTS/python/amd64", "16.4 LTS/python/arm64",
                    "17.3 LTS/gpu/amd64", "17.3 LTS/gpu/arm64");
            assertThat(cells.get(0).lookup("suffix")).contains("-py312");
        }

        @Test
        void aYamlDataFileWithANestedPathWorksToo() throws IOException {
            Spec spec = loadBeside("matrix.yaml", """
                    groups:
                      - name: first
                        cells: [ { target: a } ]
                      - name: second
                        cells:
                          - { target: b }
                          - { target: c }
                    """, """
                    project: demo
                    builds:
                      - id: bin
                        matrix: { from: matrix.yaml, path: "$.groups[1].cells" }
                        run: "make {target}"
                    """);

            assertThat(Matrix.expand(dev.cutter.kinds.build.BuildSection.SECTION.of(spec).get(0).matrix())).extracting(c -> c.lookup("target").orElseThrow())
                    .containsExactly("b", "c");
        }

        @Test
        void anIndexBeyondAnyListIsAnErrorAtTheSpecNotAnInternalOne() throws IOException {
            Files.writeString(dir.resolve("rows.json"), """
                    { "groups": [ [ { "target": "a" } ] ] }
                    """);

            List<SpecError> errors = errors(dir.resolve("cutter.yaml"), """
                    project: demo
                    builds:
                      - id: bin
                        matrix: { from: rows.json, path: "$.groups[99999999999]" }
                        run: "make {target}"
                    """);

            assertThat(errors).extracting(SpecError::message).anySatisfy(m -> assertThat(m).contains("finds no item [99999999999]"));
        }

        @Test
        void aColumnMissingFromSomeRowsIsNotAPlaceholder() throws IOException {
            Files.writeString(dir.resolve("rows.json"), """
                    [ { "image": "python", "alias": "latest" }, { "image": "gpu" } ]
                    """);

            List<SpecError> errors = errors(dir.resolve("cutter.yaml"), """
                    project: demo
                    builds:
                      - id: bin
                        matrix: { from: rows.json }
                        run: "make {image} {alias}"
                    """);

            assertThat(errors).singleElement().satisfies(e -> {
                assertThat(e.location()).isEqualTo(new Location(5, 24));
                assertThat(e.message()).startsWith("unknown placeholder {alias}");
            });
        }

        @Test
        void dataFilePathsAreReportedAtTheFromKey() throws IOException {
            Files.writeString(dir.resolve("rows.json"), RUNTIMES);
            String spec = """
                    project: demo
                    builds:
                      - id: bin
                        matrix:
                          from: rows.json
                          path: "%s"
                        run: make
                    """;

            SpecTexts.assertFaults(errors(dir.resolve("cutter.yaml"), spec.formatted("include")))
                    .containsExactly(SpecTexts.fault(5, 7, "builds[0].matrix.from",
                            "path 'include' must start with $, e.g. path: \"$.include\""));
            SpecTexts.assertFaults(errors(dir.resolve("cutter.yaml"), spec.formatted("$.nope")))
                    .containsExactly(SpecTexts.fault(5, 7, "builds[0].matrix.from",
                            dir.resolve("rows.json") + ": path '$.nope' finds no key 'nope'"));
            SpecTexts.assertFaults(errors(dir.resolve("cutter.yaml"), spec.formatted("$.include[0]")))
                    .containsExactly(SpecTexts.fault(5, 7, "builds[0].matrix.from",
                            dir.resolve("rows.json") + ": path '$.include[0]' leads to a map, not a list of cells"));
            SpecTexts.assertFaults(errors(dir.resolve("cutter.yaml"), spec.formatted("$.include[7]")))
                    .containsExactly(SpecTexts.fault(5, 7, "builds[0].matrix.from",
                            dir.resolve("rows.json") + ": path '$.include[7]' finds no item [7]"));
            SpecTexts.assertFaults(errors(dir.resolve("cutter.yaml"), spec.formatted("$..include")))
                    .containsExactly(SpecTexts.fault(5, 7, "builds[0].matrix.from",
                            "path '$..include' is not $ followed by .key and [index] steps"));
        }

        @Test
        void cellsThatAreNotFlatObjectsAreReportedWithTheirPlaceInTheDataFile() throws IOException {
            Files.writeString(dir.resolve("rows.json"), "[\n  { \"image\": \"python\", \"tags\": [1] },\n  5\n]\n");

            SpecTexts.assertFaults(errors(dir.resolve("cutter.yaml"), """
                    project: demo
                    builds:
                      - id: bin
                        matrix: { from: rows.json }
                        run: make
                    """)).containsExactly(
                    SpecTexts.fault(4, 15, "builds[0].matrix.from", dir.resolve("rows.json")
                            + ":2:32: axis value 'tags' must be a single value, found a list"),
                    SpecTexts.fault(4, 15, "builds[0].matrix.from", dir.resolve("rows.json")
                            + ":3:3: a matrix cell is an object of axis values, found a whole number"));
        }

        @Test
        void aMissingDataFileIsNamedWithoutAdviceAboutTheSpecFile() {
            List<SpecError> errors = errors(dir.resolve("cutter.yaml"), """
                    project: demo
                    builds:
                      - id: bin
                        matrix: { from: missing.json, path: "$.include" }
                        run: make
                    """);

            assertThat(errors).singleElement().satisfies(e -> {
                assertThat(e.location()).isEqualTo(new Location(4, 15));
                assertThat(e.path()).isEqualTo("builds[0].matrix.from");
                assertThat(e.message()).startsWith("cannot read the matrix data file " + dir.resolve("missing.json"))
                        .doesNotContain("cutter.yaml");
            });
        }

        @Test
        void pathWithoutFromAndAxesBesideFromAreRejected() throws IOException {
            Files.writeString(dir.resolve("rows.json"), RUNTIMES);

            SpecTexts.assertFaults(errors(dir.resolve("cutter.yaml"), """
                    project: demo
                    builds:
                      - id: bin
                        matrix: { path: "$.include" }
                        run: make
                      - id: lib
                        matrix: { from: rows.json, path: "$.include", go: ["1.22"] }
                        run: make
                    """)).containsExactly(
                    SpecTexts.fault(4, 15, "builds[0].matrix.path", "'path' goes with 'from: DATA_FILE'; add from or remove path"),
                    SpecTexts.fault(7, 13, "builds[1].matrix", "a matrix read 'from' a data file takes its axes from the"
                            + " file; remove the axes written here or the 'from'"));
        }
    }

    @Nested
    class Only {
        private final MatrixSpec matrix = buildMatrix("""
                project: demo
                builds:
                  - id: bin
                    matrix:
                      image: [python, gpu, minimal]
                      runtime: ["15.4 LTS", "16.4 LTS"]
                    run: "make {image} {runtime}"
                """);

        @Test
        void onlyKeepsTheNamedValueWithEveryValueOfTheOtherAxes() {
            List<Cell> cells = Matrix.expand(matrix, Map.of("image", List.of("python")));

            assertThat(labels(cells)).containsExactly(Map.of("image", "python", "runtime", "15.4 LTS"),
                    Map.of("image", "python", "runtime", "16.4 LTS"));
        }

        @Test
        void onlyWithSeveralValuesKeepsEachOfThemInMatrixOrder() {
            List<Cell> cells = Matrix.expand(matrix, Map.of("image", List.of("minimal", "python")));

            assertThat(cells).extracting(c -> c.lookup("image").orElseThrow())
                    .containsExactly("python", "python", "minimal", "minimal");
        }

        @Test
        void onlyOnTwoAxesKeepsCellsThatAgreeWithBoth() {
            List<Cell> cells = Matrix.expand(matrix, Map.of("image", List.of("gpu"), "runtime", List.of("15.4 LTS")));

            assertThat(labels(cells)).containsExactly(Map.of("image", "gpu", "runtime", "15.4 LTS"));
        }

        @Test
        void onlyOnAnAxisTheEntryDoesNotHaveKeepsEveryCell() {
            assertThat(Matrix.expand(matrix, Map.of("platform", List.of("linux/amd64")))).hasSize(6);
        }

        @Test
        void onlyWithAValueNoCellHasKeepsNone() {
            assertThat(Matrix.expand(matrix, Map.of("image", List.of("pyhton")))).isEmpty();
        }

        @Test
        void onlyMatchesValuesOfNamedObjectsByTheirName() {
            MatrixSpec variants = new MatrixSpec(List.of(new Axis("variant", List.of(
                    new AxisValue("standard", Map.of("suffix", "")), new AxisValue("alpine", Map.of("suffix", "-alpine"))))),
                    List.of(), List.of(), List.of(), Optional.empty());

            assertThat(Matrix.expand(variants, Map.of("variant", List.of("alpine"))))
                    .singleElement().satisfies(c -> assertThat(c.lookup("variant.suffix")).contains("-alpine"));
        }

        @Test
        void noFiltersKeepEveryCell() {
            assertThat(Matrix.expand(matrix, Map.of())).isEqualTo(Matrix.expand(matrix)).hasSize(6);
        }
    }

    @Nested
    class Cells {
        private final Cell cell = new Cell(Map.of("runtime", new AxisValue("17.3 LTS", Map.of()),
                "platform", Platforms.value("linux/arm/v7")));

        @Test
        void slugIsPathSafe() {
            Cell one = new Cell(new java.util.LinkedHashMap<>(Map.of("runtime", new AxisValue("17.3 LTS", Map.of()))));

            assertThat(one.slug()).isEqualTo("17.3-LTS");
            assertThat(Cell.safe("  --a/b--  ")).isEqualTo("a-b");
            assertThat(Cell.safe("")).isEqualTo("_");
        }

        @Test
        void withoutDropsOneAxis() {
            assertThat(cell.without("platform").labels()).isEqualTo(Map.of("runtime", "17.3 LTS"));
            assertThat(cell.without("platform").get("platform")).isEmpty();
        }

        @Test
        void varyingKeepsTheFewestLeadingAxesThatTellCellsApart() {
            List<Cell> cells = Matrix.expand(new MatrixSpec(List.of(), List.of(), List.of(), List.of(
                    Map.of("runtime", "17.3 LTS", "tag", "17.3-lts", "image", "python"),
                    Map.of("runtime", "16.4 LTS", "tag", "16.4-lts", "image", "python"),
                    Map.of("runtime", "17.3 LTS", "tag", "17.3-lts", "image", "gpu")).stream()
                    .map(m -> (Map<String, String>) new java.util.TreeMap<>(m)).toList(), Optional.empty()));

            assertThat(Cell.varying(cells)).containsExactlyInAnyOrder("image", "runtime");
        }
    }
}
