package dev.cutter.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutter.content.Digest;
import dev.cutter.oci.Descriptor;
import dev.cutter.oci.MediaTypes;
import dev.cutter.oci.OciLayout;
import dev.cutter.testing.LocalRegistry;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 2 GiB layer pushed to a registry and pulled back by `cutter copy` in a JVM capped at a
 * 256 MiB heap: blobs stream, they are never held in memory.
 */
@Tag("e2e")
class LargeLayerCopyTest {
    static final long SIZE = 2L << 30;

    @TempDir
    Path tmp;

    static CutterProcess.Result copy(Path dir, String... args) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), "dev.cutter.cli.Cutter", "copy"));
        command.addAll(List.of(args));
        Path out = dir.resolve("copy.log");
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        assertThat(p.waitFor(10, TimeUnit.MINUTES)).isTrue();
        return new CutterProcess.Result(p.exitValue(), Files.readString(out), "");
    }

    @Test
    void aTwoGibLayerGoesToARegistryAndBackThroughA256MibHeap() throws Exception {
        OciLayout layout = OciLayout.open(tmp.resolve("source"));
        Path big = tmp.resolve("layer.bin");
        try (RandomAccessFile file = new RandomAccessFile(big.toFile(), "rw")) {
            file.setLength(SIZE); // sparse: the bytes are zeros, the size is real
            file.seek(SIZE / 2);
            file.write("a marker in the middle".getBytes(StandardCharsets.UTF_8));
        }
        Digest layer = Digest.sha256(big);
        layout.putBlob(layer, big);
        Files.delete(big);
        byte[] config = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}"
                .getBytes(StandardCharsets.UTF_8);
        Digest configDigest = put(layout, config);
        byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"config\":{\"mediaType\":\""
                + MediaTypes.OCI_CONFIG + "\",\"digest\":\"" + configDigest + "\",\"size\":" + config.length + "},\"layers\":[{\"mediaType\":\""
                + MediaTypes.OCI_LAYER_TAR + "\",\"digest\":\"" + layer + "\",\"size\":" + SIZE + "}]}").getBytes(StandardCharsets.UTF_8);
        Digest manifestDigest = put(layout, manifest);
        layout.tag("big", new Descriptor(MediaTypes.OCI_MANIFEST, manifestDigest, manifest.length));

        try (LocalRegistry registry = LocalRegistry.start()) {
            CutterProcess.Result up = copy(tmp, "oci:" + tmp.resolve("source") + ":big", registry.address() + "/acme/big:1");
            CutterProcess.Result down = copy(tmp, registry.address() + "/acme/big:1", "oci:" + tmp.resolve("back") + ":big");

            assertThat(up.exit()).as(up.out()).isZero();
            assertThat(down.exit()).as(down.out()).isZero();
            OciLayout back = OciLayout.open(tmp.resolve("back"));
            assertThat(back.resolve("big").orElseThrow().digest()).isEqualTo(manifestDigest);
            assertThat(Files.size(back.blob(layer))).isEqualTo(SIZE);
            assertThat(Digest.sha256(back.blob(layer))).isEqualTo(layer);
        }
    }

    static Digest put(OciLayout layout, byte[] bytes) throws Exception {
        Digest digest = Digest.sha256(bytes);
        Path temp = Files.createTempFile("blob", ".json");
        Files.write(temp, bytes);
        layout.putBlob(digest, temp);
        Files.delete(temp);
        return digest;
    }
}
