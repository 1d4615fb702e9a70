package dev.cutter.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cutter.content.Digest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cutter inspect oci:DIR:TAG} of layouts other tools wrote, and of layouts that lie: an
 * index or a manifest without the optional {@code mediaType} is told by its shape, as a copy tells
 * it; a manifest that is not JSON, or not the content its digest names, is refused with what is
 * wrong, never as an internal error.
 */
class InspectLayoutTest {
    @TempDir
    Path temp;

    private Digest blob(Path layout, String content) throws IOException {
        byte[] bytes = content.getBytes(UTF_8);
        Digest digest = Digest.sha256(bytes);
        Path file = layout.resolve("blobs/sha256/" + digest.hex());
        Files.createDirectories(file.getParent());
        Files.write(file, bytes);
        return digest;
    }

    /** A layout whose index.json tags {@code x} as {@code digest} of {@code size} bytes, typed {@code mediaType}. */
    private Path layout(String name, String mediaType, Digest digest, long size) throws IOException {
        Path layout = temp.resolve(name);
        Files.createDirectories(layout);
        Files.writeString(layout.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        Files.writeString(layout.resolve("index.json"), "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"" + mediaType
                + "\",\"digest\":\"" + digest + "\",\"size\":" + size + ",\"annotations\":{\"org.opencontainers.image.ref.name\":\"x\"}}]}");
        return layout;
    }

    @Test
    void anIndexAndAManifestWithoutMediaTypeAreToldByTheirShape() throws IOException {
        Path dir = temp.resolve("l");
        Digest config = blob(dir, "{\"architecture\":\"arm64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}");
        String manifest = "{\"schemaVersion\":2,\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\""
                + config + "\",\"size\":77},\"layers\":[]}";
        Digest m = blob(dir, manifest);
        String index = "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\""
                + m + "\",\"size\":" + manifest.length() + ",\"platform\":{\"os\":\"linux\",\"architecture\":\"arm64\"}}]}";
        Digest i = blob(dir, index);
        layout("l", "application/vnd.oci.image.index.v1+json", i, index.length());
        Files.writeString(dir.resolve("index.json"), "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":"
                + "\"application/vnd.oci.image.index.v1+json\",\"digest\":\"" + i + "\",\"size\":" + index.length()
                + ",\"annotations\":{\"org.opencontainers.image.ref.name\":\"x\"}},{\"mediaType\":"
                + "\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"" + m + "\",\"size\":" + manifest.length()
                + ",\"annotations\":{\"org.opencontainers.image.ref.name\":\"m\"}}]}");

        CliTest.Result shown = CliTest.run("inspect", "oci:" + dir + ":x");

        assertThat(shown.code()).as(shown.err()).isZero();
        assertThat(shown.out()).contains("media type: application/vnd.oci.image.index.v1+json")
                .contains("linux/arm64  " + m + "  " + manifest.length() + " bytes");

        CliTest.Result one = CliTest.run("inspect", "oci:" + dir + ":m");

        assertThat(one.code()).as(one.err()).isZero();
        assertThat(one.out()).contains("media type: application/vnd.oci.image.manifest.v1+json").contains("config: " + config);
    }

    @Test
    void aManifestThatIsNotJsonOrNotItsDigestsContentIsRefusedClearly() throws IOException {
        Path notJson = layout("bad", "application/vnd.oci.image.manifest.v1+json", blob(temp.resolve("bad"), "not json!!"), 10);

        CliTest.Result shown = CliTest.run("inspect", "oci:" + notJson + ":x");

        assertThat(shown.code()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(shown.err()).contains("is not JSON").doesNotContain("internal error").doesNotContain("\tat ");

        Path swapped = temp.resolve("swapped");
        String manifest = "{\"schemaVersion\":2,\"manifests\":[]}";
        Digest digest = blob(swapped, manifest);
        Files.writeString(swapped.resolve("blobs/sha256/" + digest.hex()), "{\"schemaVersion\":2,\"manifests\":[ ]}");
        layout("swapped", "application/vnd.oci.image.index.v1+json", digest, manifest.length());

        CliTest.Result lied = CliTest.run("inspect", "oci:" + swapped + ":x");

        assertThat(lied.code()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(lied.err()).contains(digest.toString()).contains("has digest").doesNotContain("internal error");
    }
}
