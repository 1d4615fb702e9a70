package dev.cutter.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A spec nobody wrote for the examples, in DESIGN §3's format, planned exactly. */
class PlannerTest {
    static final String SPEC = """
            project: edge-proxy
            version:
              tag: "edge-proxy/v{version}"
            vars:
              REGISTRY: "localhost:5000"
            channels:
              beta:    { match: "*-beta*", suffix: "-beta", floating: false }
              nightly: { match: "*-nightly*", rolling: true, targets: [build] }
              stable:  { match: "*" }
            registries:
              build:  { url: "{vars.REGISTRY}" }
              mirror: { url: "mirror.example.com/acme" }
              local:  { layout: dist/oci }
            builds:
              - id: proxy
                platforms: [linux/amd64, linux/arm64, linux/arm/v7]
                run: make proxy GOARCH={platform.arch} GOARM={platform.variant}
                outputs: [ "out/{platform.arch}{platform.variant}/proxy" ]
            images:
              - id: proxy
                matrix:
                  flavor:
                    glibc: { base: "debian:bookworm-slim", suffix: "" }
                    musl:  { base: "alpine:3.20", suffix: "-musl" }
                  exclude:
                    - { flavor: musl, platform: linux/arm/v7 }
                platforms: [linux/amd64, linux/arm64, linux/arm/v7]
                from: "{flavor.base}"
                files: { /usr/bin/proxy: "out/{platform.arch}{platform.variant}/proxy" }
                push: "build/acme/edge-proxy{channel.suffix}"
                tags:
                  - "{version}{flavor.suffix}"
                  - "{major}.{minor}{flavor.suffix}"
                  - "latest{flavor.suffix}"
                  - "sha-{short_sha}{flavor.suffix}"
            replicate:
              - image: proxy
                to: [ "mirror/edge-proxy{channel.suffix}", "local/edge-proxy" ]
                concurrency: 1
            """;

    @Test
    void stableReleaseTagsEachFlavorAndSkipsTheExcludedCell() {
        Plan plan = Plans.inline(SPEC, "2.4.1");

        assertThat(plan.tag()).isEqualTo("edge-proxy/v2.4.1");
        assertThat(plan.jobs(Action.Image.class)).extracting(Planned::id).containsExactly(
                "image/proxy/glibc/linux-amd64", "image/proxy/glibc/linux-arm64", "image/proxy/glibc/linux-arm-v7",
                "image/proxy/musl/linux-amd64", "image/proxy/musl/linux-arm64");
        assertThat(plan.job("image/proxy/musl/linux-arm64").orElseThrow().needs()).containsExactly("build/proxy/linux-arm64");
        assertThat(plan.job("image/proxy/glibc/linux-arm-v7").orElseThrow().needs()).containsExactly("build/proxy/linux-arm-v7");
        assertThat(Plans.at(plan, "localhost:5000/acme/edge-proxy")).extracting(Publication::platforms, Publication::tags,
                Publication::floating).containsExactly(
                org.assertj.core.groups.Tuple.tuple(List.of("linux/amd64", "linux/arm64", "linux/arm/v7"),
                        List.of("2.4.1", "2.4", "latest", "sha-6d7d2a3"), List.of("2.4", "latest")),
                org.assertj.core.groups.Tuple.tuple(List.of("linux/amd64", "linux/arm64"),
                        List.of("2.4.1-musl", "2.4-musl", "latest-musl", "sha-6d7d2a3-musl"), List.of("2.4-musl", "latest-musl")));
        assertThat(Plans.at(plan, "localhost:5000/acme/edge-proxy").get(0).lines())
                .containsEntry("2.4", "minor").containsEntry("latest", "all");
        assertThat(Plans.at(plan, "mirror.example.com/acme/edge-proxy")).hasSize(2)
                .allSatisfy(p -> assertThat(p.source()).isEqualTo("localhost:5000/acme/edge-proxy"));
        assertThat(Plans.at(plan, "oci:dist/oci/edge-proxy")).hasSize(2);
        assertThat(plan.groups()).containsEntry("replicate/proxy", 1);
    }

    @Test
    void betaGoesToItsSuffixedRepositoriesWithoutFloatingTags() {
        Plan plan = Plans.inline(SPEC, "2.5.0-beta.2");

        assertThat(plan.channel()).isEqualTo("beta");
        assertThat(plan.publications()).extracting(Publication::repository).containsExactly(
                "localhost:5000/acme/edge-proxy-beta", "mirror.example.com/acme/edge-proxy-beta", "oci:dist/oci/edge-proxy",
                "localhost:5000/acme/edge-proxy-beta", "mirror.example.com/acme/edge-proxy-beta", "oci:dist/oci/edge-proxy");
        assertThat(plan.publications().get(0).tags()).containsExactly("2.5.0-beta.2", "sha-6d7d2a3");
    }

    @Test
    void aRollingChannelWithTargetsPublishesOnlyToThem() {
        Plan plan = Plans.inline(SPEC, "2.5.0-nightly.20261123");

        assertThat(plan.rolling()).isTrue();
        assertThat(plan.publications()).extracting(Publication::registry).containsOnly("build");
        assertThat(plan.jobs(Action.Replicate.class)).isEmpty();
    }

    @Test
    void onlyPlatformKeepsThatPlatformInEveryEntryUnderTheSameJobIds() {
        Plan plan = Plans.inline(SPEC, "2.4.1", "platform=linux/arm/v7");

        assertThat(plan.jobs(Action.Build.class)).extracting(Planned::id).containsExactly("build/proxy/linux-arm-v7");
        assertThat(plan.jobs(Action.Image.class)).extracting(Planned::id).containsExactly("image/proxy/glibc/linux-arm-v7");
        assertThat(plan.publications()).extracting(Publication::platforms).containsOnly(List.of("linux/arm/v7"));
    }

    @Test
    void unknownFiltersAndValuesAreBadInput() {
        assertThatThrownBy(() -> Plans.inline(SPEC, "2.4.1", "flavour=musl"))
                .isInstanceOf(PlanException.class).hasMessageContaining("--only flavour: neither a matrix axis nor a section");
        assertThatThrownBy(() -> Plans.inline(SPEC, "2.4.1", "flavor=uclibc"))
                .isInstanceOf(PlanException.class).hasMessage("--only flavor=uclibc: no matrix cell has flavor=uclibc");
        assertThatThrownBy(() -> Plans.inline(SPEC, "2.4.1", "image=sidecar"))
                .isInstanceOf(PlanException.class).hasMessage("--only image=sidecar: no image has id 'sidecar'; ids: proxy");
    }

    @Test
    void aTagThatIsNotAnOciTagIsReportedAtItsTemplate() {
        String spec = SPEC.replace("\"sha-{short_sha}{flavor.suffix}\"", "\"{version}+{flavor}\"");

        assertThatThrownBy(() -> Plans.inline(spec, "2.4.1")).isInstanceOf(PlanException.class)
                .hasMessageContaining("inline/cutter.yaml:35:10: images[0].tags[3]: tag '2.4.1+glibc' is not a valid OCI tag")
                .hasMessageContaining("build metadata");
    }

    @Test
    void twoCellsClaimingOneTagInOneRepositoryAreRefusedAtPlanTime() {
        String spec = SPEC.replace("\"latest{flavor.suffix}\"", "latest");

        assertThatThrownBy(() -> Plans.inline(spec, "2.4.1")).isInstanceOf(PlanException.class)
                .hasMessageContaining("localhost:5000/acme/edge-proxy:latest is published by both push/proxy/glibc and push/proxy/musl");
    }

    @Test
    void shaWithoutACheckoutIsBadInputNamingTheFix() {
        var spec = dev.cutter.kinds.Capabilities.specLoader().load(java.nio.file.Path.of("inline", "cutter.yaml"), SPEC);
        var request = new ReleaseRequest(java.util.Optional.empty(), java.util.Optional.of("2.4.1"), java.util.Map.of(),
                java.util.Map.of(), java.util.Optional.empty(), java.util.Optional.empty(), "20261123");

        assertThatThrownBy(() -> Plans.plan(spec, request)).isInstanceOf(PlanException.class)
                .hasMessageContaining("{short_sha} has no value: run inside a git checkout or pass --sha COMMIT");
    }

    @Test
    void theSamePlanComesOutByteForByteAndNeedsAlwaysPrecede() {
        String first = PlanJson.write(Plans.inline(SPEC, "2.4.1"));
        String second = PlanJson.write(Plans.inline(SPEC, "2.4.1"));
        Plan plan = Plans.inline(SPEC, "2.4.1");

        assertThat(first).isEqualTo(second);
        Set<String> seen = new HashSet<>();
        for (Job job : plan.jobs()) {
            assertThat(seen).as("needs of %s come earlier", job.id()).containsAll(job.needs());
            assertThat(seen.add(job.id())).as("unique id %s", job.id()).isTrue();
        }
    }

    @Test
    void planJsonHasTheDocumentedShape() throws Exception {
        var json = PlanJson.mapper().readTree(PlanJson.write(Plans.inline(SPEC, "2.4.1")));

        assertThat(json.get("project").asText()).isEqualTo("edge-proxy");
        assertThat(json.get("version").asText()).isEqualTo("2.4.1");
        assertThat(json.get("channel").asText()).isEqualTo("stable");
        assertThat(json.get("jobs").get(0).get("id").asText()).isEqualTo("build/proxy/linux-amd64");
        assertThat(json.get("jobs").get(0).get("kind").asText()).isEqualTo("build");
        assertThat(json.get("jobs").get(0).get("needs").isArray()).isTrue();
        var publication = json.get("publications").get(0);
        assertThat(publication.get("image").asText()).isEqualTo("proxy");
        assertThat(publication.get("repository").asText()).isEqualTo("localhost:5000/acme/edge-proxy");
        assertThat(publication.get("platforms").size()).isEqualTo(3);
        assertThat(publication.get("tags").size()).isEqualTo(4);
        assertThat(publication.get("floating").size()).isEqualTo(2);
    }

    @Test
    void aBuildNeedingOneDeclaredAfterItStillWaitsForIt() {
        Plan plan = Plans.inline("""
                project: order
                builds:
                  - id: package
                    needs: [compile]
                    run: make package
                  - id: compile
                    run: make
                """, "1.0.0");

        assertThat(plan.jobs()).extracting(Job::id).containsExactly("build/compile", "build/package");
        assertThat(plan.job("build/package").orElseThrow().needs()).containsExactly("build/compile");
    }
}
