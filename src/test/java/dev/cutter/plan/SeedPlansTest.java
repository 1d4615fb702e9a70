package dev.cutter.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.cutter.spec.Spec;
import dev.cutter.spec.SpecLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The five processes of shared/seeds, planned from examples/*, checked against what each
 * seed's own text says the release must produce.
 */
class SeedPlansTest {

    @Nested
    class ServerlessInit {
        static final String BUILD = "127.0.0.1:5000/ci/datadog-agent/serverless-init";
        static final List<String> PUBLIC = List.of("127.0.0.1:5001/datadog/serverless-init",
                "127.0.0.1:5002/datadoghq/serverless-init", "127.0.0.1:5003/datadoghq/gcr.io/serverless-init",
                "127.0.0.1:5004/datadog/serverless-init");

        @Test
        void releaseCandidateGoesOnlyToDevRepositoriesWithoutFloatingTags() {
            Plan plan = Plans.exampleTag("serverless-init", "serverless-init-1.7.8-rc1");

            assertThat(plan.channel()).isEqualTo("rc");
            assertThat(plan.publications()).allSatisfy(p -> {
                assertThat(p.repository()).endsWith("serverless-init-dev");
                assertThat(p.floating()).isEmpty();
                assertThat(p.tags()).doesNotContain("latest", "latest-alpine", "1", "1-alpine");
            });
            assertThat(Plans.at(plan, BUILD + "-dev")).extracting(Publication::tags)
                    .containsExactly(List.of("1.7.8-rc1"), List.of("1.7.8-rc1-alpine"));
            for (String replica : PUBLIC) {
                assertThat(Plans.at(plan, replica + "-dev")).extracting(Publication::kind, Publication::tags)
                        .containsExactly(tuple("replica", List.of("1.7.8-rc1")), tuple("replica", List.of("1.7.8-rc1-alpine")));
            }
        }

        @Test
        void productionGetsVersionMajorAndLatestForBothVariantsInEveryRegistry() {
            Plan plan = Plans.exampleTag("serverless-init", "serverless-init-1.7.8");

            assertThat(plan.channel()).isEqualTo("stable");
            for (String repository : concat(BUILD, PUBLIC)) {
                List<Publication> publications = Plans.at(plan, repository);
                assertThat(publications).extracting(Publication::tags).containsExactly(
                        List.of("1.7.8", "1", "latest"), List.of("1.7.8-alpine", "1-alpine", "latest-alpine"));
                assertThat(publications).extracting(Publication::floating).containsExactly(
                        List.of("1", "latest"), List.of("1-alpine", "latest-alpine"));
                assertThat(publications.get(0).lines()).containsEntry("1", "major").containsEntry("latest", "all");
                assertThat(publications).allSatisfy(p -> assertThat(p.platforms()).containsExactly("linux/amd64", "linux/arm64"));
            }
            assertThat(plan.publications()).hasSize(10);
        }

        @Test
        void replicationRunsTwoAtATimeAfterThePushOfItsVariant() {
            Plan plan = Plans.example("serverless-init", "1.7.8");

            assertThat(plan.groups()).containsEntry("replicate/serverless-init", 2);
            assertThat(plan.jobs(Action.Replicate.class)).hasSize(8).allSatisfy(job -> {
                assertThat(job.job().group()).contains("replicate/serverless-init");
                assertThat(job.needs()).containsExactly("push/serverless-init/" + job.matrix().get("variant"));
            });
        }

        @Test
        void eachPlatformImageWaitsOnlyForTheBinaryOfItsArchitecture() {
            Plan plan = Plans.example("serverless-init", "1.7.8");

            assertThat(plan.job("image/serverless-init/alpine/linux-arm64").orElseThrow().needs())
                    .containsExactly("build/binary/linux-arm64");
            assertThat(plan.job("index/serverless-init/alpine").orElseThrow().needs())
                    .containsExactly("image/serverless-init/alpine/linux-amd64", "image/serverless-init/alpine/linux-arm64");
        }
    }

    @Nested
    class DbxRuntime {
        static final String GHCR = "127.0.0.1:5005/twsl/dbx-runtime";

        @Test
        void runtimeImagesGetTheirTagsAndOnlyTheNewestLtsIsPythonLatest() {
            Plan plan = Plans.example("dbx-runtime", "1.0.0");

            List<String> tags = plan.publications().stream().flatMap(p -> p.tags().stream()).toList();
            assertThat(tags).contains("python-17.3-lts-ubuntu2404-py312", "python-17.3-lts-ml",
                    "python-16.4-lts-ubuntu2404-py312", "python-16.4-lts-py312", "python-latest",
                    "minimal", "minimal-gpu", "gpu", "python-py312", "python-gpu-py312", "standard-py312",
                    "standard-gpu-py312", "minimal-latest", "gpu-latest", "standard-latest");
            assertThat(tags).doesNotHaveDuplicates();
            Publication newest = plan.publications().stream().filter(p -> p.tags().contains("python-latest"))
                    .findFirst().orElseThrow();
            assertThat(newest.matrix()).containsEntry("runtime", "17.3 LTS").containsEntry("image_type", "python");
            Publication older = plan.publications().stream().filter(p -> p.tags().contains("python-15.4-lts-ubuntu2204-py311"))
                    .findFirst().orElseThrow();
            assertThat(older.tags()).as("a runtime's Python tag comes from its data: 15.4 LTS has 3.11")
                    .contains("python-15.4-lts-py311").doesNotContain("python-15.4-lts-py312");
            assertThat(newest.rolling()).as("the data file names the newest LTS; every push to main moves it").contains("python-latest");
            assertThat(plan.publications()).allSatisfy(p -> assertThat(p.repository()).isEqualTo(GHCR));
        }

        @Test
        void onlyFiltersSelectOneRuntimeOfOneImageType() {
            Plan plan = Plans.example("dbx-runtime", "1.0.0", "image=python", "runtime=15.4 LTS");

            assertThat(plan.jobs(Action.Image.class)).extracting(Planned::matrix)
                    .containsExactly(Map.of("runtime", "15.4 LTS", "image_type", "python", "variant", "", "suffix", "-ubuntu2204-py311",
                            "python", "3.11", "alias", ""), Map.of("image", "python"));
            assertThat(plan.publications()).extracting(p -> p.matrix().getOrDefault("image", p.matrix().get("image_type")))
                    .containsOnly("python");
        }

        @Test
        void pullRequestsBuildAndPushNothingWhileMainReleases() {
            Spec spec = dev.cutter.kinds.Capabilities.specLoader().load(Path.of("examples", "dbx-runtime", "cutter.yaml"));

            assertThat(spec.triggers()).extracting(Spec.TriggerSpec::on, Spec.TriggerSpec::match, Spec.TriggerSpec::action)
                    .contains(tuple("branch", "main", "release"), tuple("pull-request", "*", "build"));
            assertThat(spec.execution().failFast()).isFalse();
        }
    }

    @Nested
    class Km {
        @Test
        void theTestTagIsRollingAndReplacesItsRelease() {
            Plan plan = Plans.exampleTag("km", "v0.1-test");

            assertThat(plan.channel()).isEqualTo("test");
            assertThat(plan.rolling()).isTrue();
            assertThat(release(plan).exists()).isEqualTo("replace");
        }

        @Test
        void anyOtherTagFailsWhenItsReleaseExists() {
            Plan plan = Plans.exampleTag("km", "v0.10-beta-demo-nokia");

            assertThat(plan.channel()).isEqualTo("beta");
            assertThat(plan.rolling()).isFalse();
            assertThat(release(plan).exists()).isEqualTo("fail");
            assertThat(release(plan).name()).isEqualTo("v0.10-beta-demo-nokia");
        }

        @Test
        void kontainTarballIsInstalledFirstAndEveryTarballIsAnAsset() {
            Plan plan = Plans.exampleTag("km", "v0.9-beta");

            assertThat(plan.actions(Action.Archive.class)).extracting(Action.Archive::name,
                    a -> a.installOrder().orElseThrow())
                    .containsExactly(tuple("kontain.tar.gz", 1), tuple("runenv-python.tar.gz", 2),
                            tuple("runenv-node.tar.gz", 2), tuple("runenv-java.tar.gz", 2));
            assertThat(release(plan).assets()).containsExactly("kontain", "runenv", "checksums", "checksums-signature");
            assertThat(plan.job("validate/install").orElseThrow().needs()).contains("release/km-releases");
        }

        @Test
        void runenvImagesAreTaggedLatestAndShaWithTheirAliases() {
            Plan plan = Plans.exampleTag("km", "v0.9-beta");

            for (String repository : List.of("runenv-python", "runenv-python-3.7", "runenv-node", "runenv-java")) {
                List<Publication> p = Plans.at(plan, "oci:dist/oci/kontainapp/" + repository);
                assertThat(p).singleElement().satisfies(pub -> {
                    assertThat(pub.tags()).containsExactly("latest", Plans.SHA);
                    assertThat(pub.rolling()).containsExactly("latest");
                    assertThat(pub.floating()).isEmpty();
                });
            }
            assertThat(plan.publications()).hasSize(4);
        }

        private Action.Release release(Plan plan) {
            return (Action.Release) plan.job("release/km-releases").orElseThrow().action();
        }
    }

    @Nested
    class PeerPods {
        @Test
        void aComponentReleasePinsThenTagsItsGoModule() {
            Spec spec = dev.cutter.kinds.Capabilities.specLoader().load(Path.of("examples", "peer-pods", "cutter.yaml"));
            Plan plan = Plans.plan(spec, Plans.request("0.8.0-alpha.1").withComponent("cloud-api-adaptor"));

            assertThat(plan.tag()).isEqualTo("src/cloud-api-adaptor/v0.8.0-alpha.1");
            assertThat(plan.jobs(Action.Pin.class)).extracting(Planned::entry).containsExactly("guest-components", "kata-containers", "kbs",
                    "coco-operator", "coco-operator-config", "kata-runtime-caa", "caa-image-aws", "caa-image-azure",
                    "citation-version", "citation-commit", "citation-date");
            Job tag = plan.job("tag/cloud-api-adaptor").orElseThrow();
            assertThat(tag.needs()).hasSize(11);
            assertThat(((Action.Tag) tag.action()).afterPins()).extracting(Action.AfterPin::dir).containsExactly("src/cloud-api-adaptor");
            assertThat(((Action.Pin) plan.job("pin/caa-image-aws").orElseThrow().action()).value()).isEqualTo(Plans.SHA);
            assertThat(((Action.Pin) plan.job("pin/kata-runtime-caa").orElseThrow().action()).value()).isEqualTo("v0.0.0-20240614120032-bb7e0a7d3d7f");
        }

        @Test
        void componentsAreOrderedByWhatTheyNeed() {
            Spec spec = dev.cutter.kinds.Capabilities.specLoader().load(Path.of("examples", "peer-pods", "cutter.yaml"));

            assertThat(spec.component("csi-wrapper").orElseThrow().needs()).containsExactly("cloud-api-adaptor");
            assertThat(spec.component("cloud-api-adaptor").orElseThrow().needs()).containsExactly("cloud-providers", "peerpod-ctrl");
        }

        @Test
        void alphaIsAPrereleaseWithoutLatestAndTheReleaseIsAFullOne() {
            Plan alpha = Plans.example("peer-pods", "0.8.0-alpha.1");
            Plan release = Plans.example("peer-pods", "0.8.0");

            assertThat(alpha.channel()).isEqualTo("alpha");
            assertThat(alpha.publications().get(0).tags()).containsExactly(Plans.SHA, "v0.8.0-alpha.1");
            assertThat(((Action.Release) alpha.job("release/github").orElseThrow().action()).prerelease()).isTrue();
            assertThat(release.publications().get(0).tags()).containsExactly(Plans.SHA, "v0.8.0", "latest");
            assertThat(((Action.Release) release.job("release/github").orElseThrow().action()).prerelease()).isFalse();
        }
    }

    @Nested
    class Veilid {
        @Test
        void testsGateBuildsWhichFeedDebAndRpmPackagesForBothArchitectures() {
            Plan plan = Plans.exampleTag("veilid", "v0.4.1");

            assertThat(plan.job("build/binaries/linux-arm64").orElseThrow().needs()).containsExactly("build/tests");
            assertThat(plan.actions(Action.Package.class)).extracting(Action.Package::file)
                    .containsExactlyInAnyOrder("veilid-server_0.4.1_amd64.deb", "veilid-server_0.4.1_arm64.deb",
                            "veilid-server-0.4.1-1.x86_64.rpm", "veilid-server-0.4.1-1.aarch64.rpm",
                            "veilid-cli_0.4.1_amd64.deb", "veilid-cli_0.4.1_arm64.deb",
                            "veilid-cli-0.4.1-1.x86_64.rpm", "veilid-cli-0.4.1-1.aarch64.rpm");
            assertThat(plan.job("package/veilid-cli/linux-arm64/rpm").orElseThrow().needs())
                    .containsExactly("build/binaries/linux-arm64");
        }

        @Test
        void signedAptAndYumRepositoriesHoldOnlyTheirOwnFormat() {
            Plan plan = Plans.exampleTag("veilid", "v0.4.1");

            Action.Repository apt = (Action.Repository) plan.job("repository/apt").orElseThrow().action();
            Action.Repository yum = (Action.Repository) plan.job("repository/yum").orElseThrow().action();
            assertThat(apt.packages()).hasSize(4).allSatisfy(f -> assertThat(f).endsWith(".deb"));
            assertThat(yum.packages()).hasSize(4).allSatisfy(f -> assertThat(f).endsWith(".rpm"));
            assertThat(apt.key()).contains("${file:keys/repo-key.asc}");
            assertThat(apt.dist()).contains("stable");
            assertThat(apt.publish()).isEqualTo("dir:dist/repo-server/apt");
        }
    }

    private static List<String> concat(String first, List<String> rest) {
        return java.util.stream.Stream.concat(java.util.stream.Stream.of(first), rest.stream()).toList();
    }

    @Test
    void everyExampleValidates() {
        for (String name : List.of("serverless-init", "dbx-runtime", "km", "peer-pods", "veilid")) {
            assertThat(dev.cutter.kinds.Capabilities.specLoader().load(Path.of("examples", name, "cutter.yaml")).project()).isNotBlank();
        }
    }
}
