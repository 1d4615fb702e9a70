package dev.cutter.kinds.image;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutter.plan.Action;
import dev.cutter.plan.Job;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** About how many manifest pulls and pushes a plan makes of each registry, as the preflight weighs them against its limit. */
class RegistryDemandTest {
    static final Action.Access ACCESS = new Action.Access("docker-config", Optional.empty(), Optional.empty(), false, 0);

    static Job job(String id, List<String> needs, Action action) {
        return new Job(id, "x", id, needs, Map.of(), Optional.empty(), action);
    }

    /** An image job's action as the plan's JSON holds it: the platform and the base are all the estimate reads. */
    static Action.Image image(String platform, String from) {
        try {
            return dev.cutter.plan.PlanJson.mapper().readValue("{\"platform\":\"" + platform + "\",\"from\":\"" + from
                    + "\",\"compression\":\"gzip\"}", Action.Image.class);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    final List<Job> plan = List.of(
            job("image-amd64", List.of(), image("linux/amd64", "debian:bookworm")),
            job("image-arm64", List.of(), image("linux/arm64", "docker.io/library/debian:bookworm")),
            job("image-scratch", List.of(), image("linux/amd64", "scratch")),
            job("index", List.of("image-amd64", "image-arm64"), new Action.Index(List.of("linux/amd64", "linux/arm64"), Map.of())),
            job("push-hub", List.of("index"), new Action.Push("hub", "docker.io/acme/app", List.of("1.2.3"), List.of("latest", "1"),
                    Map.of(), List.of(), ACCESS)),
            job("push-ghcr", List.of("index"), new Action.Push("ghcr", "ghcr.io/acme/app", List.of("1.2.3"), List.of(), Map.of(),
                    List.of(), ACCESS)),
            job("replica-quay", List.of("push-ghcr"), new Action.Replicate("quay", "ghcr.io/acme/app", "quay.io/acme/app",
                    List.of("1.2.3"), List.of(), Map.of(), List.of(), ACCESS)));

    @Test
    void baseImagesPushesAndReplicasAreCountedOnTheirRegistryWhateverItsName() {
        // two base images (index and platform manifest each); the push: 2 platform manifests, the index, 3 tags
        assertThat(RegistryDemand.manifestRequests(plan, "registry-1.docker.io")).isEqualTo(2 * 2 + 2 + 1 + 3);
        assertThat(RegistryDemand.manifestRequests(plan, "docker.io")).isEqualTo(10);
        // the push (2 + 1 + 1 tag) and the replica's reads of its source (2 + 1)
        assertThat(RegistryDemand.manifestRequests(plan, "ghcr.io")).isEqualTo(4 + 3);
        assertThat(RegistryDemand.manifestRequests(plan, "quay.io")).isEqualTo(4);
        assertThat(RegistryDemand.manifestRequests(plan, "gcr.io")).isZero();
    }

    @Test
    void theBasesADockerfileNamesAreCountedForEveryPlatformTheBuilderPulls(@org.junit.jupiter.api.io.TempDir java.nio.file.Path project)
            throws Exception {
        java.nio.file.Files.writeString(project.resolve("Dockerfile"), """
                ARG GO=1.22
                FROM docker.io/library/golang:${GO} AS build
                RUN go build ./...
                FROM debian:bookworm-slim
                COPY --from=build /app /app
                """);
        Action.DockerBuild build = new Action.DockerBuild("Dockerfile", ".", Optional.empty(), Map.of("GO", "1.23"), "buildah", Map.of());
        List<Job> built = List.of(
                job("image-amd64", List.of(), withBuild(image("linux/amd64", "scratch"), build)),
                job("image-arm64", List.of(), withBuild(image("linux/arm64", "scratch"), build)),
                job("index", List.of("image-amd64", "image-arm64"), new Action.Index(List.of("linux/amd64", "linux/arm64"), Map.of())),
                job("push-ghcr", List.of("index"), new Action.Push("ghcr", "ghcr.io/acme/app", List.of("1.2.3"), List.of(), Map.of(),
                        List.of(), ACCESS)));

        assertThat(RegistryProbe.bases(withBuild(image("linux/amd64", "scratch"), build), project)).map(Object::toString)
                .containsExactly("registry-1.docker.io/library/golang:1.23", "registry-1.docker.io/library/debian:bookworm-slim");
        // two bases (index and platform manifest each) pulled by each of the two platforms' builds
        assertThat(RegistryDemand.manifestRequests(built, "docker.io", image -> RegistryProbe.bases(image, project)))
                .isEqualTo(2 * 2 * 2);
        assertThat(RegistryDemand.manifestRequests(built, "ghcr.io", image -> RegistryProbe.bases(image, project))).isEqualTo(2 + 1 + 1);
    }

    private static Action.Image withBuild(Action.Image image, Action.DockerBuild build) {
        return new Action.Image(image.platform(), image.from(), Optional.of(build), image.files(), image.entrypoint(), image.cmd(),
                image.env(), image.workdir(), image.user(), image.labels(), image.compression(), image.layers(), image.baseAccess());
    }

    @Test
    void aPromotionCountsTheFetchOfTheCandidateAndPushesEachOfItsPlatforms() {
        List<Job> promoted = List.of(
                job("index", List.of(), new Action.Source("docker.io/acme/app", "1.2.3-rc.1", ACCESS,
                        Map.of("linux/amd64", Map.of(), "linux/arm64", Map.of()), true)),
                job("push-hub", List.of("index"), new Action.Push("hub", "docker.io/acme/app", List.of("1.2.3"), List.of("latest"),
                        Map.of(), List.of(), ACCESS)));

        // the candidate's index and 2 platform manifests fetched; 2 platform manifests, the index and 2 tags pushed
        assertThat(RegistryDemand.manifestRequests(promoted, "docker.io")).isEqualTo(3 + 2 + 1 + 2);
    }
}
