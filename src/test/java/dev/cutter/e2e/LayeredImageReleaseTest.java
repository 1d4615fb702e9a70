package dev.cutter.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutter.oci.RegistryClientTest;
import dev.cutter.testing.LocalRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An image of several layers: a directory tree (a rootfs with a symlink and an empty directory)
 * as its own layer below the application's; the next release, whose tree did not change, sends
 * only what did.
 */
@Tag("e2e")
class LayeredImageReleaseTest {
    @TempDir
    Path tmp;

    @Test
    void aStableTreeIsItsOwnLayerAndIsNotSentAgain() throws Exception {
        try (LocalRegistry registry = LocalRegistry.start()) {
            Path project = Files.createDirectories(tmp.resolve("app"));
            Path share = Files.createDirectories(project.resolve("rootfs/usr/share/big"));
            Files.write(share.resolve("data.bin"), new byte[1 << 20]);
            Files.createSymbolicLink(project.resolve("rootfs/usr/share/data"), Path.of("big/data.bin"));
            Files.createDirectories(project.resolve("rootfs/var/cache/app"));
            Files.writeString(project.resolve("app.sh"), "echo 1\n");
            Files.writeString(project.resolve("cutter.yaml"), """
                    project: app
                    registries:
                      r: { url: "%s" }
                    images:
                      - id: app
                        platforms: [linux/amd64]
                        layers:
                          - files: { /: rootfs }
                        files: { /usr/bin/app.sh: app.sh }
                        push: r/acme/app
                        tags: [ "{version}" ]
                    """.formatted(registry.address()));
            Map<String, String> env = Map.of("SOURCE_DATE_EPOCH", "1767323045");
            CutterProcess.Result first = CutterProcess.inProcess(project, env, "release", "--version", "1.0.0", "--sha",
                    "0123456789abcdef0123456789abcdef01234567");
            assertThat(first.exit()).as(first.out() + first.err()).isZero();

            Files.writeString(project.resolve("app.sh"), "echo 2\n");
            CutterProcess.Result second = CutterProcess.inProcess(project, env, "release", "--version", "1.0.1", "--sha",
                    "0123456789abcdef0123456789abcdef01234567");
            assertThat(second.exit()).as(second.out() + second.err()).isZero();
            assertThat(second.out() + second.err()).as("the app's layer and the config sent; the tree's layer was there")
                    .contains("(2 blobs sent, 1 present)");

            String inspect = RegistryClientTest.skopeo("inspect", "--tls-verify=false", "docker://" + registry.address()
                    + "/acme/app:1.0.1");
            String before = RegistryClientTest.skopeo("inspect", "--tls-verify=false", "docker://" + registry.address()
                    + "/acme/app:1.0.0");
            String tree = layers(inspect)[0];
            assertThat(layers(before)[0]).as("the tree's layer, first in both").isEqualTo(tree);
            assertThat(layers(inspect)[1]).isNotEqualTo(layers(before)[1]);
        }
    }

    private static String[] layers(String inspect) {
        String list = inspect.substring(inspect.indexOf("\"Layers\": [") + 11);
        return list.substring(0, list.indexOf(']')).replaceAll("[\\s\"]", "").split(",");
    }
}
