package dev.cutter.spec;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** The example specs shipped in examples/ load as they are. */
class ExamplesTest {
    private static final List<String> FIVE = List.of("dbx-runtime", "km", "peer-pods", "serverless-init", "veilid");

    static Stream<String> examples() throws IOException {
        try (Stream<Path> dirs = Files.list(Path.of("examples"))) {
            return dirs.filter(d -> Files.isRegularFile(d.resolve("cutter.yaml")))
                    .map(d -> d.getFileName().toString()).sorted().toList().stream();
        }
    }

    @Test
    void theFiveExamplesArePresent() throws IOException {
        assertThat(examples()).containsAll(FIVE);
    }

    @ParameterizedTest
    @MethodSource("examples")
    void exampleLoadsWithoutFaultsAndEveryEntryHasCells(String name) {
        Spec spec = dev.cutter.kinds.Capabilities.specLoader().load(Path.of("examples", name, "cutter.yaml"));

        assertThat(spec.project()).isNotBlank();
        assertThat(spec.file()).isEqualTo(Path.of("examples", name, "cutter.yaml"));
        dev.cutter.kinds.build.BuildSection.SECTION.of(spec).forEach(b -> assertThat(Matrix.expand(b.matrix())).as(b.id()).isNotEmpty());
        spec.sections().get(dev.cutter.kinds.image.ImageSection.SECTION).forEach(i -> assertThat(Matrix.expand(i.matrix())).as(i.id()).isNotEmpty()
                .allSatisfy(c -> assertThat(c.get(MatrixSpec.PLATFORM)).isPresent()));
        spec.sections().get(dev.cutter.kinds.archive.ArchiveSection.SECTION).forEach(a -> assertThat(Matrix.expand(a.matrix())).as(a.id()).isNotEmpty());
        spec.sections().get(dev.cutter.kinds.packages.PackageSection.SECTION).forEach(p -> assertThat(Matrix.expand(p.matrix())).as(p.id()).isNotEmpty());
    }

    @ParameterizedTest
    @CsvSource({
            "dbx-runtime, dbx-runtime",
            "km, km",
            "peer-pods, cloud-api-adaptor",
            "serverless-init, serverless-init",
            "veilid, veilid"})
    void exampleNamesItsProject(String example, String project) {
        assertThat(dev.cutter.kinds.Capabilities.specLoader().load(Path.of("examples", example, "cutter.yaml")).project()).isEqualTo(project);
    }

    @Test
    void serverlessInitImageIsTwoVariantsTimesTwoPlatforms() {
        Spec spec = dev.cutter.kinds.Capabilities.specLoader().load(Path.of("examples", "serverless-init", "cutter.yaml"));
        var image = dev.cutter.kinds.image.ImageSection.SECTION.find(spec, "serverless-init").orElseThrow();

        List<Cell> cells = Matrix.expand(image.matrix());

        assertThat(cells).extracting(c -> c.slug()).containsExactly(
                "standard-linux-amd64", "standard-linux-arm64", "alpine-linux-amd64", "alpine-linux-arm64");
        assertThat(image.push().orElseThrow().registry()).isEqualTo("build");
        assertThat(spec.sections().get(dev.cutter.kinds.image.ReplicateSection.SECTION).get(0).to()).extracting(Spec.RepositoryRef::registry)
                .containsExactly("ecr", "gcr", "gar", "dockerhub");
    }

    @Test
    void dbxRuntimeReadsItsCellsFromTheBuildSummaryItsGeneratorWrites() {
        Spec spec = dev.cutter.kinds.Capabilities.specLoader().load(Path.of("examples", "dbx-runtime", "cutter.yaml"));
        var runtime = dev.cutter.kinds.image.ImageSection.SECTION.find(spec, "runtime").orElseThrow();

        List<Cell> cells = Matrix.expand(runtime.matrix());

        assertThat(runtime.matrix().source()).contains("data/build_summary.json");
        assertThat(cells).isNotEmpty().allSatisfy(c -> {
            assertThat(c.lookup("runtime")).isPresent();
            assertThat(c.lookup("platform")).contains("linux/amd64");
        });
        assertThat(Matrix.expand(runtime.matrix(), java.util.Map.of("image_type", List.of("gpu"))))
                .isNotEmpty().hasSizeLessThan(cells.size())
                .allSatisfy(c -> assertThat(c.lookup("image_type")).contains("gpu"));
        assertThat(spec.data()).containsOnlyKeys("data/build_summary.json");
    }
}
