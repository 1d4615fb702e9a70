package dev.cutter.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutter.testing.DockerHubFront;
import dev.cutter.testing.LocalRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The preflight reads each registry's rate limit before the first job: what Docker Hub says is
 * left ({@link DockerHubFront}, a fake of its pull limit before the real registry) against about
 * what the release needs there. Too little left refuses the release before any build (exit 4,
 * saying what to do); enough is told; a declared budget too small for the release is told with
 * the wait its pacing will make, and the release goes on.
 */
@Tag("e2e")
class RateLimitPreflightTest {
    static final String SHA = "0123456789abcdef0123456789abcdef01234567";

    @TempDir
    Path tmp;

    /** One platform, one tag: a platform manifest, the index and the tag, three manifest PUTs. */
    Path project(String registry, String extra) throws Exception {
        Path project = Files.createDirectories(tmp.resolve("app"));
        Files.writeString(project.resolve("cutter.yaml"), """
                project: app
                registries:
                  r: { url: "%s"%s }
                builds:
                  - id: build
                    run: echo built > built.txt
                    outputs: [ built.txt ]
                images:
                  - id: app
                    platforms: [linux/amd64]
                    files: { /srv/built.txt: built.txt }
                    push: r/acme/app
                    tags: [ "{version}" ]
                """.formatted(registry, extra));
        return project;
    }

    @Test
    void aRegistryWithFewerRequestsLeftThanTheReleaseNeedsRefusesItBeforeAnyBuild() throws Exception {
        try (LocalRegistry registry = LocalRegistry.start();
                DockerHubFront hub = DockerHubFront.start(registry.address(), 100, 2, Duration.ofHours(6))) {
            Path project = project(hub.address(), "");

            CutterProcess.Result release = CutterProcess.inProcess(project, Map.of(), "release", "--version", "1.0.0", "--sha", SHA);

            assertThat(release.exit()).as(release.out() + release.err()).isEqualTo(4);
            assertThat(release.out() + release.err()).contains(hub.address() + "/acme/app").contains("2 of 100 per 6h left")
                    .contains("needs about 3 manifest pulls and pushes").contains("cutter login " + hub.address())
                    .doesNotContain("Exception");
            assertThat(project.resolve("built.txt")).as("no build ran").doesNotExist();
            assertThat(hub.remaining()).as("the preflight's HEAD is not a pull").isEqualTo(2);
        }
    }

    @Test
    void whatTheRegistryHasLeftIsToldAndTheReleaseGoesOn() throws Exception {
        try (LocalRegistry registry = LocalRegistry.start();
                DockerHubFront hub = DockerHubFront.start(registry.address(), 100, 40, Duration.ofHours(6))) {
            Path project = project(hub.address(), "");

            CutterProcess.Result release = CutterProcess.inProcess(project, Map.of(), "release", "--version", "1.0.0", "--sha", SHA);

            assertThat(release.exit()).as(release.out() + release.err()).isZero();
            assertThat(release.out()).contains(hub.address() + ": rate limit: 40 of 100 per 6h left; this release needs about 3");
        }
    }

    @Test
    void aDeclaredBudgetTooSmallForTheReleaseIsToldWithItsWaitAndPaced() throws Exception {
        try (LocalRegistry registry = LocalRegistry.start()) {
            Path project = project(registry.address(), ", ratelimit: 2/2s");
            long start = System.nanoTime();

            CutterProcess.Result release = CutterProcess.inProcess(project, Map.of(), "release", "--version", "1.0.0", "--sha", SHA);

            assertThat(release.exit()).as(release.out() + release.err()).isZero();
            assertThat(release.out()).contains(registry.address() + ": ratelimit 2/2s: this release needs about 3 manifest pulls"
                    + " and pushes; paced to the budget, it waits about 1s for them");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("the third manifest PUT waited for the budget")
                    .isGreaterThanOrEqualTo(Duration.ofMillis(900));
        }
    }

    @Test
    void aBaseImageRegistryWhoseLimitIsSpentRefusesTheReleaseBeforeAnyJob() throws Exception {
        try (LocalRegistry registry = LocalRegistry.start();
                DockerHubFront hub = DockerHubFront.start(registry.address(), 100, 0, Duration.ofHours(6))) {
            CutterProcess.Result base = CutterProcess.inProcess(project(registry.address(), ""), Map.of(), "release", "--version",
                    "1.0.0", "--sha", SHA);
            assertThat(base.exit()).as(base.out() + base.err()).isZero();
            Path project = Files.createDirectories(tmp.resolve("derived"));
            Files.writeString(project.resolve("cutter.yaml"), """
                    project: derived
                    registries:
                      local: { layout: dist/oci }
                    builds:
                      - id: build
                        run: echo built > built.txt
                        outputs: [ built.txt ]
                    images:
                      - id: derived
                        from: "%s/acme/app:1.0.0"
                        platforms: [linux/amd64]
                        files: { /srv/built.txt: built.txt }
                        push: local/derived
                        tags: [ "{version}" ]
                    """.formatted(hub.address()));

            CutterProcess.Result release = CutterProcess.inProcess(project, Map.of(), "release", "--version", "1.0.0", "--sha", SHA);

            assertThat(release.exit()).as(release.out() + release.err()).isEqualTo(4);
            assertThat(release.out() + release.err()).contains(hub.address() + "/acme/app:1.0.0").contains("0 of 100 per 6h left")
                    .contains("needs about 2 manifest pulls").contains("cutter login " + hub.address()).doesNotContain("Exception");
            assertThat(project.resolve("built.txt")).as("no build ran").doesNotExist();
            assertThat(hub.refused()).as("the preflight's HEAD is not a pull, and no pull was tried").isZero();
        }
    }
}
