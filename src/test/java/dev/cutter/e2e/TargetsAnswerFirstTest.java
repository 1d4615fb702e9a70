package dev.cutter.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutter.testing.LocalRegistry;
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
 * Every registry the plan pushes to answers, and accepts the credentials, before the first build:
 * a wrong address or a refused login ends the release in seconds (exit 4), not after the builds
 * and a minute of retries.
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
}
