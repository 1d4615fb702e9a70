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
}
