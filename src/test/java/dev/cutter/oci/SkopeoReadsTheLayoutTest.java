package dev.cutter.oci;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cutter.content.Digest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** What Cutter writes as an OCI layout, read by the real skopeo. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SkopeoReadsTheLayoutTest {
    @TempDir
    static Path tmp;

    Skopeo skopeo;
    OciLayout layout;
    Sample.Built built;
    String ref;

    @BeforeAll
    void buildATwoPlatformImageIntoALayout() throws Exception {
        skopeo = Skopeo.find();
        layout = OciLayout.open(tmp.resolve("layout"));
        built = Sample.build(tmp.resolve("src"), layout.blobs(), FileTime.fromMillis(0), "rw-r--r--");
        layout.tag("1.0.0", built.index());
        ref = "oci:" + layout.root() + ":1.0.0";
    }

    @Test
    void inspectRawReturnsTheIndexBytes() throws Exception {
        byte[] raw = skopeo.run("inspect", "--raw", ref).stdout();

        assertThat(raw).isEqualTo(Files.readAllBytes(layout.blob(built.index().digest())));
    }

    @Test
    void inspectOfOnePlatformShowsItsLabelsAndEntrypoint() throws Exception {
        JsonNode image = CanonicalJson.read(skopeo.run("--override-os", "linux", "--override-arch", "arm64", "inspect", ref).stdout());
        JsonNode config = CanonicalJson.read(
                skopeo.run("--override-os", "linux", "--override-arch", "arm64", "inspect", "--config", ref).stdout());

        // skopeo names the image by the digest of what the tag points at: the index
        assertThat(image.get("Digest").asText()).isEqualTo(built.index().digest().toString());
        assertThat(image.get("Architecture").asText()).isEqualTo("arm64");
        assertThat(image.get("Os").asText()).isEqualTo("linux");
        assertThat(image.at("/Labels/org.opencontainers.image.version").asText()).isEqualTo("1.0.0");
        assertThat(image.get("Created").asText()).isEqualTo("2024-05-01T12:00:00Z");
        assertThat(image.get("Layers")).extracting(JsonNode::asText).containsExactly(built.layers().get(1).digest().toString());
        assertThat(config.at("/config/Entrypoint")).extracting(JsonNode::asText).containsExactly("/usr/local/bin/app");
        assertThat(config.at("/config/Env")).extracting(JsonNode::asText).containsExactly("APP_HOME=/etc/app", "TZ=UTC");
    }

    @Test
    void copyOfOnePlatformToADirectoryKeepsTheManifestBytes() throws Exception {
        Path out = tmp.resolve("copied");

        skopeo.run("--override-os", "linux", "--override-arch", "arm64", "copy", ref, "dir:" + out);

        AssembledImage arm64 = built.image("linux/arm64");
        assertThat(out.resolve("manifest.json")).hasSameBinaryContentAs(layout.blob(arm64.digest()));
        assertThat(Digest.sha256(out.resolve(built.layers().get(1).digest().hex()))).isEqualTo(built.layers().get(1).digest());
        assertThat(Digest.sha256(out.resolve(arm64.config().hex()))).isEqualTo(arm64.config());
    }

    @Test
    void copyOfAllPlatformsToAnotherLayoutKeepsEveryDigest() throws Exception {
        Path other = tmp.resolve("other");

        skopeo.run("copy", "--all", ref, "oci:" + other + ":copy");

        OciLayout copied = OciLayout.open(other);
        assertThat(copied.resolve("copy")).hasValueSatisfying(d -> assertThat(d.digest()).isEqualTo(built.index().digest()));
        for (AssembledImage image : built.images()) {
            assertThat(copied.blob(image.digest())).hasSameBinaryContentAs(layout.blob(image.digest()));
        }
    }

    @Test
    void aRetaggedRefIsWhatSkopeoSees() throws Exception {
        AssembledImage amd64 = built.image("linux/amd64");
        layout.tag("single", built.index());
        layout.tag("single", amd64.manifest());

        byte[] raw = skopeo.run("inspect", "--raw", "oci:" + layout.root() + ":single").stdout();

        assertThat(raw).isEqualTo(Files.readAllBytes(layout.blob(amd64.digest())));
    }
}
