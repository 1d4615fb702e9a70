package dev.cutter.oci;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cutter.content.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LayerBuilderTest {
    @TempDir
    Path tmp;

    record Read(TarArchiveEntry entry, String content) {}

    static List<Read> readTar(Path blob) throws IOException {
        List<Read> entries = new ArrayList<>();
        try (InputStream in = Files.newInputStream(blob);
             TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(in), "UTF-8")) {
            for (TarArchiveEntry entry; (entry = tar.getNextEntry()) != null; ) {
                entries.add(new Read(entry, new String(tar.readAllBytes(), UTF_8)));
            }
        }
        return entries;
    }

    Layer build(Path dir, FileTime mtime, String permissions) throws IOException {
        return LayerBuilder.fromFiles(Sample.sources(dir.resolve("src"), "linux/amd64", mtime, permissions),
                Map.of("/etc/app/config.yaml", 0600), Sample.MTIME, dir.resolve("blobs"));
    }

    @Test
    void theSameFilesGiveTheSameLayerWhereverAndWheneverTheyAreBuilt() throws IOException {
        Layer first = build(tmp.resolve("one"), FileTime.fromMillis(1_000_000_000_000L), "rw-r--r--");
        Layer second = build(tmp.resolve("two"), FileTime.fromMillis(1_700_000_000_123L), "rw-------");

        assertThat(second.descriptor()).isEqualTo(first.descriptor());
        assertThat(second.diffId()).isEqualTo(first.diffId());
        assertThat(Files.readAllBytes(second.blob())).isEqualTo(Files.readAllBytes(first.blob()));
    }

    @Test
    void changedContentOrExecutableBitGivesADifferentLayer() throws IOException {
        Map<String, Path> files = Sample.sources(tmp.resolve("src"), "linux/amd64", FileTime.fromMillis(0), "rw-r--r--");
        Layer original = LayerBuilder.fromFiles(files, Map.of(), Sample.MTIME, tmp.resolve("blobs"));

        Files.writeString(files.get("/etc/app-b/README"), "changed\n");
        Layer changedContent = LayerBuilder.fromFiles(files, Map.of(), Sample.MTIME, tmp.resolve("blobs"));
        Files.setPosixFilePermissions(files.get("/etc/app-b/README"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Layer changedMode = LayerBuilder.fromFiles(files, Map.of(), Sample.MTIME, tmp.resolve("blobs"));

        assertThat(List.of(original.digest(), changedContent.digest(), changedMode.digest())).doesNotHaveDuplicates();
        assertThat(List.of(original.diffId(), changedContent.diffId(), changedMode.diffId())).doesNotHaveDuplicates();
    }

    @Test
    void theTarHasSortedEntriesParentDirectoriesModesRootOwnershipAndTheFixedMtime() throws IOException {
        Layer layer = build(tmp, FileTime.fromMillis(0), "rw-rw-rw-");

        List<Read> entries = readTar(layer.blob());

        assertThat(entries).extracting(read -> read.entry().getName()).containsExactly(
                "etc/", "etc/app/", "etc/app/config.yaml", "etc/app-b/", "etc/app-b/README", "etc/app.conf",
                "usr/", "usr/local/", "usr/local/bin/", "usr/local/bin/app");
        assertThat(entries).extracting(read -> Integer.toOctalString(read.entry().getMode())).containsExactly(
                "755", "755", "600", "755", "644", "644", "755", "755", "755", "755");
        assertThat(entries).allSatisfy(read -> {
            assertThat(read.entry().getLongUserId()).isZero();
            assertThat(read.entry().getLongGroupId()).isZero();
            assertThat(read.entry().getUserName()).isEmpty();
            assertThat(read.entry().getGroupName()).isEmpty();
            assertThat(read.entry().getLastModifiedTime().toInstant()).isEqualTo(Sample.CREATED);
            assertThat(read.entry().isDirectory() || read.entry().isFile()).isTrue();
        });
        assertThat(entries.get(9).entry().isFile()).isTrue();
        assertThat(entries.get(9).content()).isEqualTo("#!/bin/sh\necho app for linux/amd64\n");
        assertThat(entries.get(5).content()).isEqualTo("x=1\n");
    }

    @Test
    void digestsAndSizeDescribeTheBytesOnDisk() throws IOException {
        Layer layer = build(tmp, FileTime.fromMillis(0), "rw-r--r--");

        assertThat(layer.descriptor().mediaType()).isEqualTo(MediaTypes.OCI_LAYER_TAR_GZIP);
        assertThat(layer.blob()).isEqualTo(tmp.resolve("blobs").resolve(layer.digest().hex()));
        assertThat(Digest.sha256(layer.blob())).isEqualTo(layer.digest());
        assertThat(Files.size(layer.blob())).isEqualTo(layer.descriptor().size());
        try (InputStream in = new GzipCompressorInputStream(Files.newInputStream(layer.blob()))) {
            assertThat(Digest.sha256(in)).isEqualTo(layer.diffId());
        }
        try (Stream<Path> files = Files.list(tmp.resolve("blobs"))) {
            assertThat(files).containsExactly(layer.blob());
        }
    }

    @Test
    void theGzipHeaderNamesNoFileNoTimeAndNoOperatingSystem() throws IOException {
        Layer layer = build(tmp, FileTime.fromMillis(0), "rw-r--r--");

        byte[] header = new byte[10];
        try (InputStream in = Files.newInputStream(layer.blob())) {
            assertThat(in.read(header)).isEqualTo(10);
        }
        // magic, deflate, no flags (no name, comment, extra), mtime 0, no extra flags, OS 255 (unknown)
        assertThat(header).containsExactly(0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff);
    }

    @Test
    void longAndNonAsciiPathsSurviveAndDoNotDependOnTheBuildingUser() throws IOException {
        Path source = Sample.write(tmp.resolve("data.txt"), "data\n", "rw-r--r--", FileTime.fromMillis(0));
        String longPath = "/opt/" + "d".repeat(120) + "/ünïcødé-" + "f".repeat(90) + ".txt";
        Layer first = LayerBuilder.fromFiles(Map.of(longPath, source), Map.of(), 0, tmp.resolve("one"));
        String user = System.getProperty("user.name");
        Layer second;
        try {
            System.setProperty("user.name", "somebody-else");
            second = LayerBuilder.fromFiles(Map.of(longPath, source), Map.of(), 0, tmp.resolve("two"));
        } finally {
            System.setProperty("user.name", user);
        }

        assertThat(readTar(first.blob())).extracting(read -> read.entry().getName())
                .containsExactly("opt/", "opt/" + "d".repeat(120) + "/", longPath.substring(1));
        assertThat(second.digest()).isEqualTo(first.digest());
    }

    @Test
    void anEmptyLayerIsAValidEmptyArchive() throws IOException {
        Layer layer = LayerBuilder.fromFiles(Map.of(), Map.of(), 0, tmp);

        assertThat(readTar(layer.blob())).isEmpty();
    }

    @Test
    void refusesPathsThatAreNotAbsoluteAndNormalised() throws IOException {
        Path source = Sample.write(tmp.resolve("f"), "x", "rw-r--r--", FileTime.fromMillis(0));

        for (String path : List.of("usr/bin/app", "/", "/usr//app", "/usr/../app", "/usr/./app", "/usr/bin/")) {
            assertThatThrownBy(() -> LayerBuilder.fromFiles(Map.of(path, source), Map.of(), 0, tmp.resolve("blobs")))
                    .as(path).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(path);
        }
    }

    @Test
    void refusesAPathThatIsBothAFileAndADirectory() throws IOException {
        Path source = Sample.write(tmp.resolve("f"), "x", "rw-r--r--", FileTime.fromMillis(0));

        assertThatThrownBy(() -> LayerBuilder.fromFiles(Map.of("/app", source, "/app/config", source), Map.of(), 0, tmp))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("/app is a file in the layer and also the directory of /app/config");
    }

    @Test
    void refusesAModeForAFileNotInTheLayerAndAModeOutOfRange() throws IOException {
        Path source = Sample.write(tmp.resolve("f"), "x", "rw-r--r--", FileTime.fromMillis(0));

        assertThatThrownBy(() -> LayerBuilder.fromFiles(Map.of("/a", source), Map.of("/b", 0755), 0, tmp))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("/b");
        assertThatThrownBy(() -> LayerBuilder.fromFiles(Map.of("/a", source), Map.of("/a", 010000), 0, tmp))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("10000");
    }

    @Test
    void aMissingSourceIsNamedWithItsPathInTheImageAndLeavesNothingBehind() {
        Path missing = tmp.resolve("dist/app");

        assertThatThrownBy(() -> LayerBuilder.fromFiles(Map.of("/app", missing), Map.of(), 0, tmp.resolve("blobs")))
                .isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining(missing.toString()).hasMessageContaining("/app");
        assertThat(tmp.resolve("blobs")).doesNotExist();
    }

    @Test
    void refusesANegativeMtime() {
        assertThatThrownBy(() -> LayerBuilder.fromFiles(Map.of(), Map.of(), -1, tmp))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-1");
    }

    @Test
    void aZstdLayerIsReproducibleAndTheZstdToolUnpacksTheSameTar() throws Exception {
        dev.cutter.testing.Tools.require("zstd", "zstd");
        Map<String, Path> files = Sample.sources(tmp.resolve("src"), "linux/amd64", FileTime.fromMillis(Sample.MTIME * 1000), "rw-r--r--");
        Layer zstd = LayerBuilder.fromFiles(files, Map.of(), Sample.MTIME, tmp.resolve("z1"), LayerBuilder.Compression.ZSTD);
        Layer again = LayerBuilder.fromFiles(files, Map.of(), Sample.MTIME, tmp.resolve("z2"), LayerBuilder.Compression.ZSTD);
        Layer gzip = LayerBuilder.fromFiles(files, Map.of(), Sample.MTIME, tmp.resolve("g"));

        assertThat(zstd.descriptor().mediaType()).isEqualTo("application/vnd.oci.image.layer.v1.tar+zstd");
        assertThat(again.descriptor().digest()).isEqualTo(zstd.descriptor().digest());
        assertThat(zstd.diffId()).as("the same tar under either compression").isEqualTo(gzip.diffId());
        Path tar = tmp.resolve("layer.tar");
        Process unzstd = new ProcessBuilder("zstd", "-d", "-q", "-o", tar.toString(), zstd.blob().toString())
                .redirectErrorStream(true).start();
        String output = new String(unzstd.getInputStream().readAllBytes(), UTF_8);
        assertThat(unzstd.waitFor()).as(output).isZero();
        assertThat(Digest.sha256(tar)).isEqualTo(zstd.diffId());
    }

    @Test
    void aDirectoryTreeIsLaidInWithItsModesSymlinksAndEmptyDirectoriesInPathOrder() throws IOException {
        Path rootfs = Files.createDirectories(tmp.resolve("rootfs/usr/bin"));
        Files.writeString(rootfs.resolve("tool"), "#!/bin/sh\n");
        Files.setPosixFilePermissions(rootfs.resolve("tool"), PosixFilePermissions.fromString("rwxr-x---"));
        Files.createSymbolicLink(rootfs.resolve("t"), Path.of("tool"));
        Files.createSymbolicLink(tmp.resolve("rootfs/usr/lib64"), Path.of("/usr/lib/x86_64-linux-gnu/" + "long/".repeat(20) + "x"));
        Path scratch = Files.createDirectories(tmp.resolve("rootfs/tmp"));
        Files.setAttribute(scratch, "unix:mode", 01777);
        Files.createDirectories(tmp.resolve("rootfs/var/empty"));
        Path file = Files.writeString(tmp.resolve("app"), "app\n");

        Layer layer = LayerBuilder.fromFiles(Map.of("/", tmp.resolve("rootfs"), "/usr/local/bin/app", file), Map.of(),
                Sample.MTIME, tmp.resolve("blobs"));
        Layer again = LayerBuilder.fromFiles(Map.of("/", tmp.resolve("rootfs"), "/usr/local/bin/app", file), Map.of(),
                Sample.MTIME, tmp.resolve("blobs2"));

        List<Read> entries = readTar(layer.blob());
        assertThat(entries).extracting(read -> read.entry().getName()).containsExactly("tmp/", "usr/", "usr/bin/",
                "usr/bin/t", "usr/bin/tool", "usr/lib64", "usr/local/", "usr/local/bin/", "usr/local/bin/app", "var/",
                "var/empty/");
        assertThat(entries.get(0).entry().getMode() & 07777).as("/tmp keeps its sticky bit").isEqualTo(01777);
        assertThat(entries.get(3).entry().isSymbolicLink()).isTrue();
        assertThat(entries.get(3).entry().getLinkName()).isEqualTo("tool");
        assertThat(entries.get(4).entry().getMode() & 07777).isEqualTo(0750);
        assertThat(entries.get(5).entry().getLinkName()).as("a long target goes into a pax header")
                .isEqualTo("/usr/lib/x86_64-linux-gnu/" + "long/".repeat(20) + "x");
        assertThat(entries).allSatisfy(read -> assertThat(read.entry().getLastModifiedTime().toInstant()).isEqualTo(Sample.CREATED));
        assertThat(again.descriptor().digest()).isEqualTo(layer.descriptor().digest());
    }

    @Test
    void refusesAPathOfATreeThatAnotherSourceAlsoFills() throws IOException {
        Path tree = Files.createDirectories(tmp.resolve("tree/bin"));
        Files.writeString(tree.resolve("app"), "a");
        Path file = Files.writeString(tmp.resolve("app"), "b");
        assertThatThrownBy(() -> LayerBuilder.fromFiles(Map.of("/opt", tmp.resolve("tree"), "/opt/bin/app", file), Map.of(),
                Sample.MTIME, tmp.resolve("blobs"))).hasMessageContaining("/opt/bin/app comes from two sources");
    }
}
