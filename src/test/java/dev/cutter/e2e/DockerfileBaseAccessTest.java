package dev.cutter.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutter.testing.LocalRegistry;
import dev.cutter.testing.Tools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Dockerfile's bases come from the spec's registries like a {@code from:} base: buildah pulls
 * them with the credentials of the entry for their registry (which only the spec holds here: no
 * login of the machine knows the registry), and the preflight asks each base, named through the
 * Dockerfile's build args, before any build.
 */
@Tag("e2e")
class DockerfileBaseAccessTest {
    private static final String USER = "puller";
    private static final String PASSWORD = "pull-s3cret-\"quoted\"";

    @TempDir
    Path tmp;

    /** Pushes {@code acme/base:1} (one file, linux/amd64) with the spec entry {@code entry}. */
    private void pushBase(String entry, Map<String, String> env) throws Exception {
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
                """.formatted(entry));
        CutterProcess.Result pushed = CutterProcess.inProcess(base, env, "release", "--version", "1.0.0", "--sha",
                PullRegistriesTest.SHA);
        assertThat(pushed.exit()).as(pushed.out() + pushed.err()).isZero();
    }

    /** A project whose Dockerfile starts from {@code ARG BASE}'s default (or the build arg {@code args} gives), after a build. */
    private Path project(String upstream, String defaultBase, String args) throws Exception {
        Path project = Files.createDirectories(tmp.resolve("app"));
        Files.writeString(project.resolve("Dockerfile"), """
                ARG BASE=%s
                FROM ${BASE}
                COPY built.txt /srv/built.txt
                """.formatted(defaultBase));
        Files.writeString(project.resolve("cutter.yaml"), """
                project: app
                registries:
                  upstream: %s
                  local: { layout: dist/oci }
                builds:
                  - id: build
                    run: echo built > built.txt
                    outputs: [ built.txt ]
                images:
                  - id: app
                    platforms: [linux/amd64]
                    dockerfile: Dockerfile
                    builder: buildah
                    args: { %s }
                    push: local/app
                    tags: [ "{version}" ]
                """.formatted(upstream, args));
        return project;
    }

    private static String entry(String address, String password) {
        return "{ url: \"" + address + "\", auth: basic, username: \"${env:PULL_USER}\", password: '" + password + "' }";
    }

    @Test
    void buildahPullsTheBaseWithTheCredentialsOfTheSpecsEntryForItsRegistry() throws Exception {
        Tools.require("buildah", "buildah");
        try (LocalRegistry registry = LocalRegistry.withBasicAuth(USER, PASSWORD)) {
            Map<String, String> env = Map.of("PULL_USER", USER, "PULL_PASSWORD", PASSWORD,
                    "DOCKER_CONFIG", Files.createDirectories(tmp.resolve("no-logins")).toString());
            String entry = entry(registry.address(), "${env:PULL_PASSWORD}");
            pushBase(entry, env);
            Path project = project(entry, "127.0.0.1:1/nothing/here:0", "BASE: \"" + registry.address() + "/acme/base:1\"");

            CutterProcess.Result release = CutterProcess.inProcess(project, env, "release", "--version", "2.0.0", "--sha",
                    PullRegistriesTest.SHA);

            assertThat(release.exit()).as(release.out() + release.err()).isZero();
            assertThat(release.out() + release.err()).doesNotContain(PASSWORD).doesNotContain("pull-s3cret");
            assertThat(project.resolve("dist/oci/app/index.json")).exists();
            CutterProcess.Result plan = CutterProcess.inProcess(project, env, "plan", "--json", "--version", "2.0.0", "--sha",
                    PullRegistriesTest.SHA);
            assertThat(plan.out()).as("the plan holds the secret's reference, not its value").contains("${env:PULL_PASSWORD}")
                    .doesNotContain("pull-s3cret");
            assertThat(project.resolve(".cutter/build")).as("the build's auth file went with its work directory")
                    .satisfiesAnyOf(p -> assertThat(p).doesNotExist(), p -> assertThat(p).isEmptyDirectory());
        }
    }

    /**
     * A login only podman's or skopeo's {@code auth.json} holds (here {@code $REGISTRY_AUTH_FILE},
     * the first place containers-auth.json(5) names): the spec's entry for the registry gives no
     * credentials, Docker's config has none, and buildah, which reads only the build's own auth
     * file, gets it there as a push to that registry would.
     */
    @Test
    void buildahPullsTheBaseWithALoginOnlyPodmansAuthFileHolds() throws Exception {
        Tools.require("buildah", "buildah");
        try (LocalRegistry registry = LocalRegistry.withBasicAuth(USER, PASSWORD)) {
            pushBase(entry(registry.address(), "${env:PULL_PASSWORD}"), Map.of("PULL_USER", USER, "PULL_PASSWORD", PASSWORD,
                    "DOCKER_CONFIG", Files.createDirectories(tmp.resolve("no-logins")).toString()));
            Path authFile = tmp.resolve("podman-auth.json");
            Files.writeString(authFile, "{\"auths\": {\"" + registry.address() + "\": {\"auth\": \"" + java.util.Base64.getEncoder()
                    .encodeToString((USER + ":" + PASSWORD).getBytes(java.nio.charset.StandardCharsets.UTF_8)) + "\"}}}");
            Map<String, String> env = Map.of("REGISTRY_AUTH_FILE", authFile.toString(),
                    "DOCKER_CONFIG", Files.createDirectories(tmp.resolve("no-logins")).toString());
            Path project = project("{ url: \"" + registry.address() + "\" }", registry.address() + "/acme/base:1", "");

            CutterProcess.Result release = CutterProcess.inProcess(project, env, "release", "--version", "2.0.0", "--sha",
                    PullRegistriesTest.SHA);

            assertThat(release.exit()).as(release.out() + release.err()).isZero();
            assertThat(release.out() + release.err()).doesNotContain(PASSWORD).doesNotContain("pull-s3cret");
            assertThat(project.resolve("dist/oci/app/index.json")).exists();
        }
    }

    @Test
    void wrongCredentialsForADockerfilesBaseAreToldBeforeAnyBuild() throws Exception {
        Tools.require("buildah", "buildah");
        try (LocalRegistry registry = LocalRegistry.withBasicAuth(USER, PASSWORD)) {
            Map<String, String> env = Map.of("PULL_USER", USER, "PULL_PASSWORD", PASSWORD,
                    "DOCKER_CONFIG", Files.createDirectories(tmp.resolve("no-logins")).toString());
            pushBase(entry(registry.address(), "${env:PULL_PASSWORD}"), env);
            Path project = project(entry(registry.address(), "wrong-password"), registry.address() + "/acme/base:1", "");

            CutterProcess.Result release = CutterProcess.inProcess(project, env, "release", "--version", "2.0.0", "--sha",
                    PullRegistriesTest.SHA);

            assertThat(release.exit()).as(release.out() + release.err()).isEqualTo(4);
            assertThat(release.out() + release.err()).contains(registry.address() + "/acme/base:1")
                    .contains("may not read the base image").doesNotContain("Exception");
            assertThat(project.resolve("built.txt")).as("no build ran").doesNotExist();
            assertThat(project.resolve("dist")).doesNotExist();
        }
    }
}
