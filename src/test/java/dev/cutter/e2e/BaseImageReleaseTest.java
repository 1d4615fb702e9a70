package dev.cutter.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutter.oci.AssembledImage;
import dev.cutter.oci.Credentials;
import dev.cutter.oci.ImageAssembler;
import dev.cutter.oci.ImageConfig;
import dev.cutter.oci.LayerBuilder;
import dev.cutter.oci.OciLayout;
import dev.cutter.oci.Platform;
import dev.cutter.oci.Pusher;
import dev.cutter.oci.RegistryClient;
import dev.cutter.oci.RegistryClientTest;
import dev.cutter.oci.Repository;
import dev.cutter.testing.LocalRegistry;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An image built on a base pulled from a registry, without a daemon: the base's layers and config carry over. */
@Tag("e2e")
class BaseImageReleaseTest {
    @TempDir
    Path tmp;

    @Test
    void theReleasedImageHasTheBaseLayersItsOwnLayerAndTheBaseConfigUnderItsOwn() throws Exception {
        try (LocalRegistry registry = LocalRegistry.start()) {
            RegistryClient client = new RegistryClient(HttpClient.newHttpClient(), Credentials.none(), Set.of());
            OciLayout base = OciLayout.open(tmp.resolve("base"));
            Path file = Files.writeString(tmp.resolve("os-release"), "ID=tiny\n");
            List<AssembledImage> images = new ArrayList<>();
            for (String p : List.of("linux/amd64", "linux/arm64")) {
                var layer = LayerBuilder.fromFiles(Map.of("/etc/os-release", file), Map.of(), 0, base.blobs());
                var config = new ImageConfig(List.of(), List.of("/bin/sh"), Map.of("TZ", "UTC"), Optional.of("/srv"),
                        Optional.of("65532"), Map.of("org.example.base", "tiny"), Instant.EPOCH);
                images.add(ImageAssembler.assemble(Platform.parse(p), List.of(layer), config, base.blobs()));
            }
            var index = ImageAssembler.index(images, Map.of(), base.blobs());
            var baseRepo = Repository.parse(registry.address() + "/base/tiny");
            Pusher.pushIndex(client, baseRepo, base, index.digest(), Optional.empty());
            Pusher.tag(client, baseRepo, base, index.digest(), "1");

            Path project = Files.createDirectories(tmp.resolve("app"));
            Files.writeString(project.resolve("hello.txt"), "hello\n");
            Files.writeString(project.resolve("cutter.yaml"), """
                    project: app
                    registries:
                      r: { url: "%s" }
                    images:
                      - id: app
                        platforms: [linux/amd64, linux/arm64]
                        from: "%s/base/tiny:1"
                        files: { /srv/hello.txt: hello.txt }
                        entrypoint: [ /bin/cat, /srv/hello.txt ]
                        env: { GREETING: hi }
                        labels: { org.opencontainers.image.version: "{version}" }
                        push: r/acme/app
                        tags: [ "{version}" ]
                    """.formatted(registry.address(), registry.address()));

            CutterProcess.Result release = CutterProcess.inProcess(project, Map.of("SOURCE_DATE_EPOCH", "1767323045"),
                    "release", "--version", "2.0.0", "--sha", "0123456789abcdef0123456789abcdef01234567");
            assertThat(release.exit()).as(release.out() + release.err()).isZero();

            String config = RegistryClientTest.skopeo("inspect", "--tls-verify=false", "--override-arch", "arm64", "--config",
                    "docker://" + registry.address() + "/acme/app:2.0.0");
            String inspect = RegistryClientTest.skopeo("inspect", "--tls-verify=false", "--override-arch", "arm64",
                    "docker://" + registry.address() + "/acme/app:2.0.0");
            assertThat(config).contains("\"TZ=UTC\"").contains("\"GREETING=hi\"").contains("\"User\": \"65532\"")
                    .contains("\"WorkingDir\": \"/srv\"").contains("\"org.example.base\": \"tiny\"")
                    .contains("\"org.opencontainers.image.version\": \"2.0.0\"").contains("/bin/cat");
            assertThat(inspect).as("the base's layer, then ours")
                    .containsPattern("\"Layers\": \\[\\s*\"sha256:[0-9a-f]{64}\",\\s*\"sha256:[0-9a-f]{64}\"\\s*\\]");
            var pushed = client.getManifest(Repository.parse(registry.address() + "/acme/app"), "2.0.0").orElseThrow();
            assertThat(new String(pushed.bytes())).contains("linux").contains("arm64").contains("amd64");
        }
    }
}
