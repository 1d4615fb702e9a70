package dev.cutter.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutter.testing.LocalRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A registry the release only pulls base images from is a registry of the spec like the others:
 * its entry's credentials, transport and {@code ratelimit:} apply to the pulls, and the preflight
 * asks it for each base image before the first job, so a base that is missing or refused is told
 * in seconds instead of after the builds.
 */
@Tag("e2e")
class PullRegistriesTest {
    static final String SHA = "0123456789abcdef0123456789abcdef01234567";
    static final String USER = "puller";
    static final String PASSWORD = "pull-s3cret-77";

    @TempDir
    Path tmp;

    /** Pushes {@code acme/base:1} (one file, linux/amd64) to {@code registry} with the given registry entry. */
    void pushBase(String registryEntry, Map<String, String> env) throws Exception {
        Path base = Files.createDirectories(tmp.resolve("base"));
        Files.writeString(base.resolve("os-release"), "ID=base\n");
        Files.writeString(base.resolve("cutter.yaml"), """
                project: base
                registries:
                  r: %s
                images:
                  - id: base
                    platforms: [linux/amd64]
                    files: { /etc/os-release: os-release }
                    push: r/acme/base
                    tags: [ "1" ]
                """.formatted(registryEntry));
        CutterProcess.Result pushed = CutterProcess.inProcess(base, env, "release", "--version", "1.0.0", "--sha", SHA);
        assertThat(pushed.exit()).as(pushed.out() + pushed.err()).isZero();
    }

    /** Images {@code ids} from {@code from}, after a build, into a layout; {@code registries} are extra entries. */
    Path derived(String registries, String from, String... ids) throws Exception {
        Path project = Files.createDirectories(tmp.resolve("derived"));
        StringBuilder images = new StringBuilder();
        for (String id : ids) {
            images.append("""
                      - id: %s
                        from: "%s"
                        platforms: [linux/amd64]
                        files: { /srv/built.txt: built.txt }
                        push: local/%s
                        tags: [ "{version}" ]
                    """.formatted(id, from, id));
        }
        Files.writeString(project.resolve("cutter.yaml"), """
                project: derived
                registries:
                  local: { layout: dist/oci }
                %s
                builds:
                  - id: build
                    run: echo built > built.txt
                    outputs: [ built.txt ]
                images:
                %s""".formatted(registries, images));
        return project;
    }

    @Test
    void aBaseImageIsPulledWithTheCredentialsOfTheSpecsEntryForItsRegistry() throws Exception {
        try (LocalRegistry registry = LocalRegistry.withBasicAuth(USER, PASSWORD)) {
            Map<String, String> env = Map.of("PULL_USER", USER, "PULL_PASSWORD", PASSWORD,
                    "DOCKER_CONFIG", Files.createDirectories(tmp.resolve("no-logins")).toString());
            String entry = "{ url: \"" + registry.address() + "\", auth: basic, username: \"${env:PULL_USER}\","
                    + " password: \"${env:PULL_PASSWORD}\" }";
            pushBase(entry, env);
            Path project = derived("  upstream: " + entry, registry.address() + "/acme/base:1", "app");

            CutterProcess.Result release = CutterProcess.inProcess(project, env, "release", "--version", "2.0.0", "--sha", SHA);

            assertThat(release.exit()).as(release.out() + release.err()).isZero();
            assertThat(release.out() + release.err()).doesNotContain(PASSWORD);
            assertThat(project.resolve("dist/oci/app/index.json")).exists();
        }
    }

    @Test
    void aMissingBaseImageIsToldBeforeAnyBuildAndNothingIsWritten() throws Exception {
        try (LocalRegistry registry = LocalRegistry.start()) {
            Path project = derived("", registry.address() + "/acme/nothing:1", "app");

            CutterProcess.Result release = CutterProcess.inProcess(project, Map.of(), "release", "--version", "2.0.0", "--sha", SHA);

            assertThat(release.exit()).as(release.out() + release.err()).isEqualTo(4);
            assertThat(release.out() + release.err()).contains(registry.address() + "/acme/nothing:1")
                    .doesNotContain("Exception");
            assertThat(project.resolve("built.txt")).as("no build ran").doesNotExist();
            assertThat(project.resolve("dist")).doesNotExist();
        }
    }

    @Test
    void aBaseImageTheSpecsCredentialsMayNotReadIsToldBeforeAnyBuild() throws Exception {
        try (LocalRegistry registry = LocalRegistry.withBasicAuth(USER, PASSWORD)) {
            Map<String, String> env = Map.of("PULL_USER", USER, "PULL_PASSWORD", PASSWORD,
                    "DOCKER_CONFIG", Files.createDirectories(tmp.resolve("no-logins")).toString());
            String entry = "{ url: \"" + registry.address() + "\", auth: basic, username: \"${env:PULL_USER}\","
                    + " password: \"${env:PULL_PASSWORD}\" }";
            pushBase(entry, env);
            Path project = derived("  upstream: { url: \"" + registry.address() + "\", auth: basic, username: \"${env:PULL_USER}\","
                    + " password: wrong-password }", registry.address() + "/acme/base:1", "app");

            CutterProcess.Result release = CutterProcess.inProcess(project, env, "release", "--version", "2.0.0", "--sha", SHA);

            assertThat(release.exit()).as(release.out() + release.err()).isEqualTo(4);
            assertThat(release.out() + release.err()).contains(registry.address() + "/acme/base:1").doesNotContain("Exception");
            assertThat(project.resolve("built.txt")).as("no build ran").doesNotExist();
        }
    }

    @Test
    void aBudgetDeclaredForARegistryOnlyPulledFromPacesThePulls() throws Exception {
        try (LocalRegistry registry = LocalRegistry.start()) {
            pushBase("{ url: \"" + registry.address() + "\" }", Map.of());
            Path project = derived("  upstream: { url: \"" + registry.address() + "\", ratelimit: 2/2s }",
                    registry.address() + "/acme/base:1", "a", "b");
            long start = System.nanoTime();

            CutterProcess.Result release = CutterProcess.inProcess(project, Map.of(), "release", "--version", "2.0.0", "--sha", SHA);

            assertThat(release.exit()).as(release.out() + release.err()).isZero();
            assertThat(release.out()).contains(registry.address() + ": ratelimit 2/2s: this release needs about 4 manifest pulls"
                    + " and pushes; paced to the budget, it waits about 2s for them");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("the third and fourth manifest GETs waited for the budget")
                    .isGreaterThanOrEqualTo(Duration.ofMillis(1800));
        }
    }
}
