package dev.cutter.spec;

import static dev.cutter.spec.SpecTexts.load;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cutter.version.Channel;
import dev.cutter.version.Channels;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What a valid spec loads into: written values, and the defaults of what is left out. */
class SpecLoaderValuesTest {

    @Test
    void theSpecOfTheDesignLoads() {
        Spec spec = load("""
                project: serverless-init
                version:
                  tag: "serverless-init-{version}"
                vars:
                  BUILD_TAGS: "serverless otlp zlib zstd"
                  AGENT_VERSION: ""
                channels:
                  rc:     { match: "*-rc*", suffix: "-dev", floating: false }
                  daily:  { match: "*-daily", rolling: true }
                  stable: { match: "*" }
                registries:
                  build: { url: "registry.ddbuild.io", auth: docker-config }
                  ecr:   { url: "public.ecr.aws" }
                  gcr:   { url: "gcr.io" }
                builds:
                  - id: binary
                    matrix: { platform: [linux/amd64, linux/arm64] }
                    run: go build -tags "{vars.BUILD_TAGS}" -o dist/{platform.arch}/datadog-init ./cmd/serverless-init
                    env: { GOOS: "{platform.os}", GOARCH: "{platform.arch}", CGO_ENABLED: "0" }
                    outputs: [ "dist/{platform.arch}/datadog-init" ]
                images:
                  - id: serverless-init
                    matrix:
                      variant:
                        standard: { base: "docker.io/library/debian:bookworm-slim", suffix: "" }
                        alpine:   { base: "docker.io/library/alpine:3.20", suffix: "-alpine" }
                    platforms: [linux/amd64, linux/arm64]
                    from: "{variant.base}"
                    files: { "/datadog-init": "dist/{platform.arch}/datadog-init" }
                    entrypoint: [ "/datadog-init" ]
                    labels: { org.opencontainers.image.version: "{version}" }
                    push: "build/ci/datadog-agent/serverless-init{channel.suffix}"
                    tags: [ "{version}{variant.suffix}", "{major}{variant.suffix}", "latest{variant.suffix}" ]
                replicate:
                  - image: serverless-init
                    to: [ "ecr/datadog/serverless-init{channel.suffix}", "gcr/datadoghq/serverless-init{channel.suffix}" ]
                    concurrency: 2
                """);

        assertThat(spec.project()).isEqualTo("serverless-init");
        assertThat(spec.version()).isEqualTo(new Spec.VersionSpec("serverless-init-{version}", "semver"));
        assertThat(spec.varDefaults()).containsExactly(Map.entry("BUILD_TAGS", "serverless otlp zlib zstd"),
                Map.entry("AGENT_VERSION", ""));
        assertThat(spec.channels()).extracting(Channel::name, Channel::suffix, Channel::floating, Channel::rolling)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("rc", "-dev", false, false),
                        org.assertj.core.groups.Tuple.tuple("daily", "", true, true),
                        org.assertj.core.groups.Tuple.tuple("stable", "", true, false));
        assertThat(spec.registries().get("build").auth()).isEqualTo("docker-config");
        assertThat(dev.cutter.kinds.build.BuildSection.SECTION.of(spec).get(0).env().keySet()).containsExactly("GOOS", "GOARCH", "CGO_ENABLED");
        dev.cutter.kinds.image.ImageSpec image = spec.sections().get(dev.cutter.kinds.image.ImageSection.SECTION).get(0);
        assertThat(image.files().keySet()).containsExactly("/datadog-init");
        assertThat(image.push().orElseThrow().registry()).isEqualTo("build");
        assertThat(image.push().orElseThrow().path().source()).isEqualTo("ci/datadog-agent/serverless-init{channel.suffix}");
        assertThat(image.tags()).extracting(Spec.TagSpec::policy).containsExactly(
                Spec.TagPolicy.IMMUTABLE, Spec.TagPolicy.FORWARD, Spec.TagPolicy.FORWARD);
        assertThat(spec.sections().get(dev.cutter.kinds.image.ReplicateSection.SECTION).get(0).concurrency()).isEqualTo(2);
    }

    @Test
    void aVersionSectionMayHavePromotionsTagTheVersion() {
        assertThat(load("""
                project: demo
                version: { tag: "demo-{version}", tag-on-promote: true }
                """).version()).isEqualTo(new Spec.VersionSpec("demo-{version}", "semver", true));
        assertThat(SpecTexts.errors("""
                project: demo
                version: { tag-on-promote: sometimes }
                """)).singleElement().satisfies(e -> {
                    assertThat(e.path()).isEqualTo("version.tag-on-promote");
                    assertThat(e.location().line()).isEqualTo(2);
                    assertThat(e.message()).contains("true or false");
                });
    }

    @Test
    void aMinimalSpecTakesTheDefaults() {
        Spec spec = load("""
                project: demo
                """);

        assertThat(spec.version()).isEqualTo(new Spec.VersionSpec("v{version}", "semver"));
        assertThat(spec.channels()).isEqualTo(Channels.defaults());
        assertThat(spec.varDefaults()).isEmpty();
        assertThat(spec.registries()).isEmpty();
        assertThat(dev.cutter.kinds.build.BuildSection.SECTION.of(spec)).isEmpty();
        assertThat(spec.sections().get(dev.cutter.kinds.checksums.ChecksumSection.SECTION)).isEmpty();
        assertThat(spec.execution()).isEqualTo(Spec.ExecutionSpec.defaults());
        assertThat(spec.file()).isEqualTo(SpecTexts.FILE);
    }

    @Test
    void aBuildTakesItsDefaultsAndItsWrittenValues() {
        dev.cutter.kinds.build.BuildSpec build = load("""
                project: demo
                builds:
                  - id: bin
                    run: make
                  - id: slow
                    run: make slow
                    dir: clean
                    needs: [bin]
                    timeout: 1h30m
                    retries: 2
                    concurrency: 1
                """).sections().get(dev.cutter.kinds.build.BuildSection.SECTION).get(1);

        assertThat(build.dir()).isEqualTo("clean");
        assertThat(build.needs()).containsExactly("bin");
        assertThat(build.timeout()).contains(Duration.ofMinutes(90));
        assertThat(build.retries()).isEqualTo(2);
        assertThat(build.concurrency()).isEqualTo(1);
        assertThat(build.location()).isEqualTo(new Location(5, 5));
    }

    @ParameterizedTest
    @ValueSource(strings = {"90", "90s"})
    void aDurationIsSecondsByDefault(String written) {
        dev.cutter.kinds.build.BuildSpec build = load("""
                project: demo
                builds:
                  - id: bin
                    run: make
                    timeout: %s
                """.formatted(written)).sections().get(dev.cutter.kinds.build.BuildSection.SECTION).get(0);

        assertThat(build.timeout()).contains(Duration.ofSeconds(90));
    }

    @Test
    void checksumsTrueMeansSha256Sums() {
        assertThat(load("""
                project: demo
                checksums: true
                """).sections().get(dev.cutter.kinds.checksums.ChecksumSection.SECTION)).hasValueSatisfying(c -> {
            assertThat(c.algorithm()).isEqualTo("sha256");
            assertThat(c.name().source()).isEqualTo("SHA256SUMS");
        });
        assertThat(load("""
                project: demo
                checksums: false
                """).sections().get(dev.cutter.kinds.checksums.ChecksumSection.SECTION)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"true", "True", "TRUE"})
    void everyYaml12SpellingOfTrueIsTrue(String written) {
        Spec spec = load("""
                project: demo
                registries:
                  hub: { url: "127.0.0.1:5000", insecure: %s }
                checksums: %s
                """.formatted(written, written));

        assertThat(spec.registries().get("hub").insecure()).isTrue();
        assertThat(spec.sections().get(dev.cutter.kinds.checksums.ChecksumSection.SECTION)).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"false", "False", "FALSE"})
    void everyYaml12SpellingOfFalseIsFalse(String written) {
        Spec spec = load("""
                project: demo
                execution: { fail-fast: %s }
                """.formatted(written));

        assertThat(spec.execution().failFast()).isFalse();
    }

    @Test
    void tagPoliciesAreInferredUnlessWritten() {
        List<Spec.TagSpec> tags = load("""
                project: demo
                registries:
                  local: { layout: dist/oci }
                images:
                  - id: app
                    platforms: [linux/amd64]
                    push: local/app
                    tags:
                      - "{version}"
                      - "{major}.{minor}"
                      - latest
                      - "sha-{short_sha}"
                      - { tag: nightly, floating: always }
                      - { tag: "{major}", floating: false }
                """).sections().get(dev.cutter.kinds.image.ImageSection.SECTION).get(0).tags();

        assertThat(tags).extracting(Spec.TagSpec::policy).containsExactly(Spec.TagPolicy.IMMUTABLE,
                Spec.TagPolicy.FORWARD, Spec.TagPolicy.FORWARD, Spec.TagPolicy.IMMUTABLE, Spec.TagPolicy.ALWAYS,
                Spec.TagPolicy.IMMUTABLE);
    }

    @Test
    void aLayoutRegistryNeedsNoAuthAndAUrlRegistryUsesDockerConfig() {
        Spec spec = load("""
                project: demo
                registries:
                  local: { layout: dist/oci }
                  hub: { url: registry.example.com }
                """);

        assertThat(spec.registries().get("local").isLayout()).isTrue();
        assertThat(spec.registries().get("local").auth()).isEqualTo("none");
        assertThat(spec.registries().get("hub").isLayout()).isFalse();
        assertThat(spec.registries().get("hub").auth()).isEqualTo("docker-config");
    }

    @Test
    void templatesRememberTheirFieldPathAndPlace() {
        Template run = load("""
                project: demo
                builds:
                  - id: bin
                    run: "make {version}"
                """).sections().get(dev.cutter.kinds.build.BuildSection.SECTION).get(0).run();

        assertThat(run.path()).isEqualTo("builds[0].run");
        assertThat(run.location()).isEqualTo(new Location(4, 11));
    }

    @Test
    void theDirectoryOfASpecIsWhereItsFileIs() {
        assertThat(dev.cutter.kinds.Capabilities.specLoader().load(java.nio.file.Path.of("examples", "km", "cutter.yaml"), "project: demo\n").directory())
                .isEqualTo(java.nio.file.Path.of("examples", "km").toAbsolutePath());
    }

    @org.junit.jupiter.api.Test
    void aRegistryChunkSizeIsReadInBinaryUnitsAndABadOneIsAFaultAtItsLine() {
        var spec = dev.cutter.kinds.Capabilities.specLoader().load(java.nio.file.Path.of("chunk.yaml"), """
                project: demo
                registries:
                  big: { url: "registry.example.com", chunk: 16MiB }
                  small: { url: "127.0.0.1:5000", chunk: "1048576" }
                """);
        org.assertj.core.api.Assertions.assertThat(spec.registries().get("big").chunk()).isEqualTo(16L << 20);
        org.assertj.core.api.Assertions.assertThat(spec.registries().get("small").chunk()).isEqualTo(1L << 20);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> dev.cutter.kinds.Capabilities.specLoader().load(java.nio.file.Path.of("chunk.yaml"), """
                project: demo
                registries:
                  big:
                    url: "registry.example.com"
                    chunk: 16 megs
                """)).isInstanceOf(SpecException.class)
                .hasMessage("chunk.yaml:5:5: registries.big.chunk: '16 megs' is not a size; write e.g. 16MiB or 1048576");
    }

    @org.junit.jupiter.api.Test
    void aRegistryRateLimitIsABudgetOfRequestsPerPeriodAndAnythingElseIsAFaultAtItsLine() {
        var spec = dev.cutter.kinds.Capabilities.specLoader().load(java.nio.file.Path.of("limits.yaml"), """
                project: demo
                registries:
                  hub: { url: "docker.io/acme", ratelimit: 100/6h }
                  quay: { url: "quay.io/acme", ratelimit: "10/s" }
                """);
        org.assertj.core.api.Assertions.assertThat(spec.registries().get("hub").ratelimit()).contains("100/6h");
        org.assertj.core.api.Assertions.assertThat(spec.registries().get("quay").ratelimit()).contains("10/s");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> dev.cutter.kinds.Capabilities.specLoader().load(java.nio.file.Path.of("limits.yaml"), """
                project: demo
                registries:
                  hub:
                    url: "docker.io/acme"
                    ratelimit: 100 pulls per 6 hours
                """)).isInstanceOf(SpecException.class)
                .hasMessage("limits.yaml:5:5: registries.hub.ratelimit: '100 pulls per 6 hours' is not a request budget; write"
                        + " REQUESTS/PERIOD with the period in s, m, h or d, e.g. ratelimit: 100/6h (Docker Hub's anonymous pulls)");
    }
}
