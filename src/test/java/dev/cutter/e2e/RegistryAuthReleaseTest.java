package dev.cutter.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutter.testing.LocalRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A registry that wants credentials: from the spec's secrets, from Docker's config.json, or refused with exit 4. */
@Tag("e2e")
class RegistryAuthReleaseTest {
    @TempDir
    Path tmp;

    Path project(String registry, boolean credentialsInSpec) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("p" + System.nanoTime()));
        Files.writeString(dir.resolve("hello.txt"), "hello\n");
        Files.writeString(dir.resolve("cutter.yaml"), """
                project: app
                registries:
                  private: { url: "%s"%s }
                images:
                  - id: app
                    platforms: [linux/amd64]
                    files: { /hello.txt: hello.txt }
                    push: private/acme/app
                    tags: [ "{version}" ]
                """.formatted(registry, credentialsInSpec
                ? ", auth: basic, username: \"${env:REG_USER}\", password: \"${env:REG_PASSWORD}\"" : ""));
        return dir;
    }

    @Test
    void credentialsFromTheSpecOrDockersConfigPushAndNoneExitsFour() throws Exception {
        try (LocalRegistry registry = LocalRegistry.withBasicAuth("releaser", "s3cret-pass-42")) {
            String sha = "0123456789abcdef0123456789abcdef01234567";
            Path none = project(registry.address(), false);
            CutterProcess.Result refused = CutterProcess.inProcess(none, Map.of("DOCKER_CONFIG", tmp.resolve("empty").toString()),
                    "release", "--version", "1.0.0", "--sha", sha);
            assertThat(refused.exit()).as(refused.out()).isEqualTo(4);
            assertThat(refused.out()).contains(registry.address() + " wants credentials");

            Path spec = project(registry.address(), true);
            CutterProcess.Result withSpec = CutterProcess.inProcess(spec, Map.of("REG_USER", "releaser", "REG_PASSWORD", "s3cret-pass-42",
                    "DOCKER_CONFIG", tmp.resolve("empty").toString()), "release", "--version", "1.0.0", "--sha", sha, "-v");
            assertThat(withSpec.exit()).as(withSpec.out()).isZero();
            assertThat(withSpec.out() + withSpec.err()).doesNotContain("s3cret-pass-42");

            Path docker = Files.createDirectories(tmp.resolve("docker"));
            String auth = Base64.getEncoder().encodeToString("releaser:s3cret-pass-42".getBytes(StandardCharsets.UTF_8));
            Files.writeString(docker.resolve("config.json"), "{\"auths\":{\"" + registry.address() + "\":{\"auth\":\"" + auth + "\"}}}");
            Path fromConfig = project(registry.address(), false);
            CutterProcess.Result withConfig = CutterProcess.inProcess(fromConfig, Map.of("DOCKER_CONFIG", docker.toString()),
                    "release", "--version", "1.0.0", "--sha", sha);
            assertThat(withConfig.exit()).as(withConfig.out()).isZero();
            assertThat(withConfig.out()).contains("every tag already as planned");
        }
    }
}
