package dev.cutter.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutter.testing.FakeForge;
import dev.cutter.testing.FakeGitHub;
import dev.cutter.testing.LocalRegistry;
import dev.cutter.testing.Sshd;
import dev.cutter.testing.TokenServer;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every target the plan publishes to answers, and accepts the credentials with the rights its jobs
 * need, before the first build: a registry (read and push), a forge's releases, an sftp server
 * (host key, login). A wrong address, a refused login or missing rights end the release in seconds
 * (exit 4), not after the builds and a minute of retries, and nothing is published.
 */
@Tag("e2e")
class TargetsAnswerFirstTest {
    static final String SHA = "0123456789abcdef0123456789abcdef01234567";

    @TempDir
    Path tmp;

    Path project(String registry, String access) throws Exception {
        Path project = Files.createDirectories(tmp.resolve("app"));
        Files.writeString(project.resolve("cutter.yaml"), """
                project: app
                registries:
                  r: { url: "%s"%s }
                builds:
                  - id: slow
                    run: sleep 3 && echo built > built.txt
                    outputs: [ built.txt ]
                images:
                  - id: app
                    platforms: [linux/amd64]
                    files: { /srv/built.txt: built.txt }
                    push: r/acme/app
                    tags: [ "{version}" ]
                """.formatted(registry, access));
        return project;
    }

    @Test
    void aRegistryThatDoesNotAnswerEndsTheReleaseBeforeAnyBuild() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        Path project = project("127.0.0.1:" + closed, "");
        Instant start = Instant.now();

        CutterProcess.Result release = CutterProcess.inProcess(project, Map.of(), "release", "--version", "1.0.0", "--sha", SHA);

        assertThat(release.exit()).as(release.out() + release.err()).isEqualTo(4);
        assertThat(release.out() + release.err()).contains("127.0.0.1:" + closed + "/acme/app");
        assertThat(project.resolve("built.txt")).as("no build ran").doesNotExist();
        assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofSeconds(30));
    }

    @Test
    void aRefusedLoginEndsTheReleaseBeforeAnyBuild() throws Exception {
        try (LocalRegistry registry = LocalRegistry.withBasicAuth("ci", "right")) {
            Path project = project(registry.address(), ", auth: basic, username: ci, password: \"${env:PUSH_PASSWORD}\"");

            CutterProcess.Result release = CutterProcess.inProcess(project, Map.of("PUSH_PASSWORD", "wrong"), "release",
                    "--version", "1.0.0", "--sha", SHA);

            assertThat(release.exit()).as(release.out() + release.err()).isEqualTo(4);
            assertThat(release.out() + release.err()).contains(registry.address() + "/acme/app");
            assertThat(project.resolve("built.txt")).as("no build ran").doesNotExist();
        }
    }

    @Test
    void credentialsThatMayOnlyPullEndTheReleaseBeforeAnyBuild() throws Exception {
        try (TokenServer tokens = TokenServer.start(tmp.resolve("token")).user("reader", "pw").allow("reader", "acme/*", "pull");
                LocalRegistry registry = LocalRegistry.withTokenAuth(tokens)) {
            Path project = project(registry.address(), ", auth: basic, username: reader, password: \"${env:PUSH_PASSWORD}\"");

            CutterProcess.Result release = CutterProcess.inProcess(project, Map.of("PUSH_PASSWORD", "pw"), "release",
                    "--version", "1.0.0", "--sha", SHA);

            assertThat(release.exit()).as(release.out() + release.err()).isEqualTo(4);
            assertThat(release.out() + release.err()).contains(registry.address() + "/acme/app").contains("may not push");
            assertThat(project.resolve("built.txt")).as("no build ran").doesNotExist();
            assertThat(tokens.requests()).as("push was asked for, with the release's login")
                    .anySatisfy(r -> assertThat(r.scopes()).anyMatch(scope -> scope.endsWith(":pull,push")));
        }
    }

    @Test
    void aForgeTokenThatMayOnlyReadEndsTheReleaseBeforeAnyBuild() throws Exception {
        try (FakeGitHub github = new FakeGitHub("acme/app")) {
            github.token("ghp_reader", FakeForge.Access.READ);
            Path project = project("oci:dist/oci", "");
            Files.writeString(project.resolve("cutter.yaml"), Files.readString(project.resolve("cutter.yaml")) + """
                    archives:
                      - id: app
                        name: app.tar.gz
                        format: tar.gz
                        files: [ { src: built.txt, dst: . } ]
                    releases:
                      - id: gh
                        name: "v{version}"
                        store: "github:acme/app"
                    """);

            CutterProcess.Result release = CutterProcess.inProcess(project, Map.of("GITHUB_API_URL", github.url(), "GITHUB_TOKEN",
                    "ghp_reader"), "release", "--version", "1.0.0", "--sha", SHA);

            assertThat(release.exit()).as(release.out() + release.err()).isEqualTo(4);
            assertThat(release.out() + release.err()).contains("github:acme/app").contains("not publish there")
                    .contains("contents: write").doesNotContain("ghp_reader");
            assertThat(project.resolve("built.txt")).as("no build ran").doesNotExist();
            assertThat(github.releases()).isEmpty();
            assertThat(github.requests()).noneMatch(FakeForge.Request::isWrite);
        }
    }

    @Test
    void anSftpServerWhoseHostKeyIsNotTheTrustedOneEndsTheReleaseBeforeAnyBuild() throws Exception {
        try (Sshd sshd = Sshd.start(tmp.resolve("sshd"))) {
            Path project = project("oci:dist/oci", "");
            Files.createDirectories(project.resolve("ssh"));
            Files.copy(sshd.userKey, project.resolve("ssh/id_ed25519"));
            Path server = tmp.resolve("repo-server").toAbsolutePath();
            String wrongKey = "SHA256:" + "A".repeat(43);
            Files.writeString(project.resolve("cutter.yaml"), Files.readString(project.resolve("cutter.yaml")) + """
                    packages:
                      - id: app
                        formats: [deb]
                        platforms: [linux/amd64]
                        description: "the app"
                        maintainer: "Acme <ops@acme.test>"
                        files: { /usr/share/app/built.txt: built.txt }
                    repositories:
                      - id: apt
                        type: apt
                        packages: [app]
                        dist: stable
                        component: main
                        publish: "sftp://%s@127.0.0.1:%d%s/apt"
                        ssh: { key: "${file:ssh/id_ed25519}", host-key: "%s" }
                    """.formatted(System.getProperty("user.name"), sshd.port, server, wrongKey));

            CutterProcess.Result release = CutterProcess.inProcess(project, Map.of(), "release", "--version", "1.0.0", "--sha", SHA);

            assertThat(release.exit()).as(release.out() + release.err()).isEqualTo(4);
            assertThat(release.out() + release.err()).contains("127.0.0.1").containsIgnoringCase("host key");
            assertThat(project.resolve("built.txt")).as("no build ran").doesNotExist();
            assertThat(server).as("nothing published").doesNotExist();
        }
    }
}
