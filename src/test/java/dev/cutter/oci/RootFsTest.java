package dev.cutter.oci;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cutter.content.Digest;
import dev.cutter.testing.Tools;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Unpacking an image's layers into a directory, as a runtime would, whatever the layers contain. */
class RootFsTest {
    @TempDir
    Path temp;

    /** One tar layer written entry by entry. */
    static final class LayerTar {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final TarArchiveOutputStream tar;

        LayerTar() throws IOException {
            tar = new TarArchiveOutputStream(new GZIPOutputStream(bytes));
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        }

        LayerTar dir(String name) throws IOException {
            TarArchiveEntry e = new TarArchiveEntry(name.endsWith("/") ? name : name + "/");
            e.setMode(040755);
            tar.putArchiveEntry(e);
            tar.closeArchiveEntry();
            return this;
        }

        LayerTar file(String name, String content, int mode) throws IOException {
            byte[] data = content.getBytes(UTF_8);
            TarArchiveEntry e = new TarArchiveEntry(name);
            e.setMode(0100000 | mode);
            e.setSize(data.length);
            tar.putArchiveEntry(e);
            tar.write(data);
            tar.closeArchiveEntry();
            return this;
        }

        LayerTar symlink(String name, String target) throws IOException {
            TarArchiveEntry e = new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK);
            e.setLinkName(target);
            tar.putArchiveEntry(e);
            tar.closeArchiveEntry();
            return this;
        }

        LayerTar hardlink(String name, String target) throws IOException {
            TarArchiveEntry e = new TarArchiveEntry(name, TarArchiveEntry.LF_LINK);
            e.setLinkName(target);
            tar.putArchiveEntry(e);
            tar.closeArchiveEntry();
            return this;
        }

        byte[] finish() throws IOException {
            tar.close();
            return bytes.toByteArray();
        }
    }

    /** A manifest over {@code layers} in a fresh store; returns its digest. */
    Digest image(OciLayout store, List<byte[]> layers) throws IOException {
        StringBuilder manifest = new StringBuilder("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST
                + "\",\"config\":{\"mediaType\":\"" + MediaTypes.OCI_CONFIG + "\",\"digest\":\"" + put(store, "{}".getBytes(UTF_8))
                + "\",\"size\":2},\"layers\":[");
        List<String> entries = new ArrayList<>();
        for (byte[] layer : layers) {
            entries.add("{\"mediaType\":\"" + MediaTypes.OCI_LAYER_TAR_GZIP + "\",\"digest\":\"" + put(store, layer) + "\",\"size\":"
                    + layer.length + "}");
        }
        manifest.append(String.join(",", entries)).append("]}");
        return put(store, manifest.toString().getBytes(UTF_8));
    }

    Digest put(OciLayout store, byte[] bytes) throws IOException {
        Path file = Files.createTempFile(temp, "blob", "");
        Files.write(file, bytes);
        Digest digest = Digest.sha256(file);
        store.putBlob(digest, file);
        return digest;
    }

    @Test
    void upperLayersReplaceAndWhiteoutLowerOnes() throws Exception {
        OciLayout store = OciLayout.open(temp.resolve("store"));
        byte[] lower = new LayerTar().dir("etc").file("etc/os-release", "ID=base\n", 0644).file("etc/gone", "x", 0644)
                .dir("var/cache").file("var/cache/a", "a", 0644).file("var/cache/b", "b", 0644)
                .file("usr/bin/tool", "#!/bin/sh\n", 0755).finish();
        byte[] upper = new LayerTar().file("etc/os-release", "ID=app\n", 0644).file("etc/.wh.gone", "", 0644)
                .file("var/cache/.wh..wh..opq", "", 0644).file("var/cache/fresh", "f", 0600)
                .file("./app", "app", 0750).finish();
        Path root = temp.resolve("rootfs");

        RootFs.unpack(store, image(store, List.of(lower, upper)), root);

        assertThat(Files.readString(root.resolve("etc/os-release"))).isEqualTo("ID=app\n");
        assertThat(root.resolve("etc/gone")).doesNotExist();
        assertThat(root.resolve("var/cache").toFile().list()).containsExactly("fresh");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve("usr/bin/tool")))).isEqualTo("rwxr-xr-x");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve("var/cache/fresh")))).isEqualTo("rw-------");
        assertThat(Files.readString(root.resolve("app"))).isEqualTo("app");
    }

    @Test
    void noEntryWritesOutsideTheRootWhateverLinksEarlierEntriesMade() throws Exception {
        OciLayout store = OciLayout.open(temp.resolve("store"));
        Path outside = Files.createDirectories(temp.resolve("outside"));
        byte[] links = new LayerTar()
                .symlink("etc", "/../../../../" + outside)       // absolute, climbing above the root
                .symlink("lib", "../../../../../../" + outside)  // relative, climbing above the root
                .dir("../../escape")                             // a name that climbs by itself
                .finish();
        byte[] writes = new LayerTar().file("etc/passwd", "root::0:0\n", 0644).file("lib/libc.so", "elf", 0755)
                .file("../../escape/x", "x", 0644).finish();
        Path root = temp.resolve("rootfs");

        RootFs.unpack(store, image(store, List.of(links, writes)), root);

        try (var stream = Files.list(outside)) {
            assertThat(stream.toList()).isEmpty();
        }
        assertThat(temp.resolve("escape")).doesNotExist();
        // each link was followed as chroot would: inside the root
        assertThat(Files.readString(root.resolve(outside.toString().substring(1)).resolve("passwd"))).isEqualTo("root::0:0\n");
        assertThat(Files.isSymbolicLink(root.resolve("etc"))).isTrue();
        assertThat(Files.readString(root.resolve("escape/x"))).isEqualTo("x");
    }

    /**
     * A name whose last part is {@code ..} or {@code .}, or a whiteout of one ({@code .wh..},
     * {@code .wh...}, {@code .wh.} alone), names the directory above or the one it is in, not a
     * file of the layer: written or whited out, it would replace or delete the root or what holds
     * it. Such a layer is refused and nothing outside the root changes.
     */
    @Test
    void aNameEndingInDotDotOrAWhiteoutOfOneNeitherDeletesNorReplacesWhatHoldsTheRoot() throws Exception {
        OciLayout store = OciLayout.open(temp.resolve("store"));
        List<LayerTar> hostile = List.of(
                new LayerTar().file("etc/.wh...", "", 0644),  // whiteout of "..": the root's parent
                new LayerTar().file(".wh...", "", 0644),
                new LayerTar().file("etc/.wh.", "", 0644),    // whiteout of "": the directory it is in
                new LayerTar().file("etc/.wh..", "", 0644),   // whiteout of ".": the same
                new LayerTar().file("..", "x", 0644),         // a file put where the root's parent is
                new LayerTar().file("etc/../..", "x", 0644),
                new LayerTar().symlink("etc/..", "/tmp"),     // the root replaced by a link
                new LayerTar().dir(".."));                    // the root's parent made writable by anyone
        for (int i = 0; i < hostile.size(); i++) {
            Path box = Files.createDirectories(temp.resolve("box" + i));
            Files.writeString(box.resolve("keep"), "kept");
            Files.setPosixFilePermissions(box, PosixFilePermissions.fromString("rwx------"));
            Path root = box.resolve("rootfs");
            byte[] base = new LayerTar().dir("etc").file("etc/os-release", "ID=base\n", 0644).finish();
            Digest manifest = image(store, List.of(base, hostile.get(i).finish()));

            assertThatThrownBy(() -> RootFs.unpack(store, manifest, root)).as("layer %d", i)
                    .isInstanceOf(OciLayoutException.class).hasMessageContaining("names no file");

            assertThat(box.resolve("keep")).as("layer %d", i).hasContent("kept");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(box))).as("layer %d", i).isEqualTo("rwx------");
            assertThat(Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)).as("layer %d", i).isTrue();
        }
    }

    @Test
    void hardLinksShareTheFileAndALinkToNothingIsRefused() throws Exception {
        OciLayout store = OciLayout.open(temp.resolve("store"));
        byte[] layer = new LayerTar().file("bin/busybox", "bb", 0755).hardlink("bin/sh", "bin/busybox").finish();
        Path root = temp.resolve("rootfs");

        RootFs.unpack(store, image(store, List.of(layer)), root);

        assertThat(Files.isSameFile(root.resolve("bin/sh"), root.resolve("bin/busybox"))).isTrue();
        assertThat(Files.isSymbolicLink(root.resolve("bin/sh"))).isFalse();

        byte[] dangling = new LayerTar().hardlink("bin/ls", "bin/nothing").finish();
        assertThatThrownBy(() -> RootFs.unpack(store, image(store, List.of(dangling)), temp.resolve("other")))
                .isInstanceOf(OciLayoutException.class).hasMessageContaining("hard link bin/ls names bin/nothing");
    }

    @Test
    void aSingleLayerUnpacksAsGnuTarExtractsIt() throws Exception {
        Path tar = Tools.require("tar", "tar");
        OciLayout store = OciLayout.open(temp.resolve("store"));
        byte[] layer = new LayerTar().dir("opt/app").file("opt/app/run", "#!/bin/sh\necho hi\n", 0755)
                .file("opt/app/conf", "k=v\n", 0640).symlink("usr/bin/app", "/opt/app/run").hardlink("opt/app/run2", "opt/app/run")
                .finish();
        Path file = temp.resolve("layer.tar.gz");
        Files.write(file, layer);
        Path byTar = Files.createDirectories(temp.resolve("by-tar"));
        Process p = new ProcessBuilder(tar.toString(), "-xzf", file.toString(), "-C", byTar.toString(), "--no-same-owner")
                .redirectErrorStream(true).start();
        assertThat(p.waitFor()).as(new String(p.getInputStream().readAllBytes(), UTF_8)).isZero();
        Path ours = temp.resolve("ours");

        RootFs.unpack(store, image(store, List.of(layer)), ours);

        assertThat(listing(ours)).isEqualTo(listing(byTar));
    }

    /** Every path with its type, permissions, link target and content. */
    private static List<String> listing(Path root) throws IOException {
        List<String> out = new ArrayList<>();
        try (var walk = Files.walk(root)) {
            for (Path p : walk.sorted().toList()) {
                String rel = root.relativize(p).toString();
                if (Files.isSymbolicLink(p)) {
                    out.add(rel + " -> " + Files.readSymbolicLink(p));
                } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    out.add(rel + "/");
                } else {
                    out.add(rel + " " + PosixFilePermissions.toString(Files.getPosixFilePermissions(p)) + " "
                            + Files.readString(p));
                }
            }
        }
        return out;
    }
}
