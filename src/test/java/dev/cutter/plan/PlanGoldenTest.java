package dev.cutter.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutter.spec.Spec;
import dev.cutter.spec.SpecLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The plan JSON of every example, byte for byte as recorded: a refactoring of how plans are made
 * changes none of them. A change that means to change a plan rewrites the files with
 * {@code -Dgolden.update=true} and shows the difference in its commit.
 */
class PlanGoldenTest {
    private static final Path GOLDEN = Path.of("src/test/resources/dev/cutter/plan/golden");

    static Stream<Arguments> requests() {
        return Stream.of(
                Arguments.of("serverless-init", "serverless-init-1.7.8-rc1", Optional.empty()),
                Arguments.of("serverless-init", "serverless-init-1.7.8", Optional.empty()),
                Arguments.of("dbx-runtime", "v1.0.1", Optional.empty()),
                Arguments.of("km", "v0.1-test", Optional.empty()),
                Arguments.of("km", "v0.9-beta", Optional.empty()),
                Arguments.of("peer-pods", "v0.10.0", Optional.empty()),
                Arguments.of("peer-pods", "src/cloud-api-adaptor/v0.10.0", Optional.of("cloud-api-adaptor")),
                Arguments.of("veilid", "v0.4.4", Optional.empty()));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("requests")
    void thePlanOfEachExampleIsAsRecorded(String example, String tag, Optional<String> component) throws IOException {
        Spec spec = dev.cutter.kinds.Capabilities.specLoader().load(Path.of("examples", example, "cutter.yaml"));
        ReleaseRequest request = new ReleaseRequest(component.isPresent() ? Optional.empty() : Optional.of(tag),
                component.map(c -> tag.substring(tag.lastIndexOf("/v") + 2)), Map.of(), Map.of(), component,
                Optional.of(Plans.SHA), "20261123");
        String json = PlanJson.write(Plans.plan(spec, request));
        Path golden = GOLDEN.resolve(example + "-" + tag.replaceAll("[^A-Za-z0-9.-]", "_") + ".json");
        if (Boolean.getBoolean("golden.update")) {
            Files.createDirectories(GOLDEN);
            Files.writeString(golden, json);
        }
        assertThat(json).isEqualTo(Files.readString(golden));
        java.io.ByteArrayOutputStream streamed = new java.io.ByteArrayOutputStream();
        PlanJson.write(Plans.plan(spec, request), streamed);
        assertThat(streamed.toString(java.nio.charset.StandardCharsets.UTF_8)).as("streamed, as its digest and the run's record take it")
                .isEqualTo(json);
    }
}
