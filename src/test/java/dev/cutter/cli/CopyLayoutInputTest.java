package dev.cutter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A layout named on the command line is input: its index.json may call any blob a manifest. One
 * that names an 8 GiB file (sparse: it costs no disk) as its image's manifest is refused by its
 * size before anything is read whole; before, the copy read it into memory and failed as an
 * internal error (OutOfMemoryError). Nothing is written where the copy was going.
 */
class CopyLayoutInputTest {
    @TempDir
    Path temp;

    @Test
    void aLayoutWhoseIndexCallsAHugeBlobAManifestIsRefusedUnread() throws Exception {
        Path layout = Files.createDirectories(temp.resolve("big"));
        String hex = "c".repeat(64);
        Path blob = Files.createDirectories(layout.resolve("blobs/sha256")).resolve(hex);
        try (RandomAccessFile file = new RandomAccessFile(blob.toFile(), "rw")) {
            file.setLength(8L << 30);
        }
        Files.writeString(layout.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        Files.writeString(layout.resolve("index.json"), "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":"
                + "\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"sha256:" + hex + "\",\"size\":" + (8L << 30)
                + ",\"annotations\":{\"org.opencontainers.image.ref.name\":\"x\"}}]}");
        Path out = temp.resolve("out");

        CliTest.Result copied = CliTest.run("copy", "oci:" + layout + ":x", "oci:" + out + ":x");

        assertThat(copied.err()).contains("has 8589934592 bytes; a manifest of at most 4 MiB is read").doesNotContain("internal error");
        assertThat(copied.code()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(out).doesNotExist();

        CliTest.Result shown = CliTest.run("inspect", "oci:" + layout + ":x");

        assertThat(shown.err()).contains("a manifest of at most 4 MiB is read").doesNotContain("internal error");
        assertThat(shown.code()).isEqualTo(ExitCode.BAD_INPUT);
    }

    /** The same for the layout's index.json itself: a sparse 8 GiB file is refused by its size, unread. */
    @Test
    void aLayoutWhoseIndexIsHugeIsRefusedUnread() throws Exception {
        Path layout = Files.createDirectories(temp.resolve("huge-index"));
        Files.writeString(layout.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        try (RandomAccessFile file = new RandomAccessFile(layout.resolve("index.json").toFile(), "rw")) {
            file.setLength(8L << 30);
        }
        Path out = temp.resolve("out");

        CliTest.Result copied = CliTest.run("copy", "oci:" + layout + ":x", "oci:" + out + ":x");

        assertThat(copied.err()).contains("index.json: has 8589934592 bytes; Cutter reads at most 64 MiB of it")
                .doesNotContain("internal error");
        assertThat(copied.code()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(out).doesNotExist();
    }
}
