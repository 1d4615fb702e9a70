package dev.cutter.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cutter.content.Staging;
import dev.cutter.testing.Tools;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Archives are byte-for-byte reproducible, and the real tar, zstd, unzip and sha256sum read them. */
class ArchiveWriterTest {
    static final long MTIME = Instant.parse("2026-01-02T03:04:05Z").getEpochSecond();

    @TempDir
    Path tmp;

    /** Where the archives are made before they are moved into place. */
    Staging staging() {
        return Staging.forRun(tmp, "test");
    }

    Path project(String name, long fileTime) throws Exception {
        Path p = tmp.resolve(name);
        Files.createDirectories(p.resolve("dist/km/opt/kontain/bin"));
        Files.writeString(p.resolve("dist/km/opt/kontain/bin/km"), "#!/bin/sh\necho km\n");
        Files.setPosixFilePermissions(p.resolve("dist/km/opt/kontain/bin/km"), PosixFilePermissions.fromString("rwxr-x---"));
        Files.writeString(p.resolve("dist/km/opt/kontain/VERSION"), "v1\n");
        String longName = "dist/km/opt/" + "very-long-directory-name/".repeat(5) + "file.txt";
        Files.createDirectories(p.resolve(longName).getParent());
        Files.writeString(p.resolve(longName), "long\n");
        try (var walk = Files.walk(p)) {
            for (Path f : walk.toList()) {
                Files.setLastModifiedTime(f, FileTime.fromMillis(fileTime));
            }
        }
        return p;
    }

    static String run(Path dir, String... command) throws Exception {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command) + ": " + out).isZero();
        return out;
    }

    @ParameterizedTest
    @EnumSource(ArchiveFormat.class)
    void theSameFilesGiveTheSameBytesWhateverTheirTimesAndPlaces(ArchiveFormat format) throws Exception {
        Path a = project("a", 1_000_000_000_000L);
        Path b = project("b", 1_700_000_000_000L);

        var first = ArchiveWriter.write(format, FileSelection.select(a, "dist/km/**", Optional.empty(), Optional.empty()), MTIME,
                a.resolve("out." + format.extension()), staging());
        var second = ArchiveWriter.write(format, FileSelection.select(b, "dist/km/**", Optional.empty(), Optional.empty()), MTIME,
                b.resolve("out." + format.extension()), staging());

        assertThat(first.digest()).isEqualTo(second.digest());
        assertThat(Files.readAllBytes(first.file())).isEqualTo(Files.readAllBytes(second.file()));
        assertThat(first.size()).isEqualTo(Files.size(first.file()));
    }

    @Test
    void tarShowsRootOwnershipTheFixedTimeModesAndParentDirectories() throws Exception {
        Tools.require("tar", "tar");
        Path p = project("p", 1_000_000_000_000L);
        var archive = ArchiveWriter.write(ArchiveFormat.TAR_GZ, FileSelection.select(p, "dist/km/**", Optional.of("kontain"),
                Optional.empty()), MTIME, p.resolve("k.tar.gz"), staging());

        String listing = run(p, "tar", "--numeric-owner", "--utc", "-tvzf", archive.file().toString());

        assertThat(listing.lines().toList()).first().asString().startsWith("drwxr-xr-x 0/0").contains("2026-01-02 03:04 kontain/");
        assertThat(listing).containsPattern("-rwxr-xr-x 0/0 +18 2026-01-02 03:04 kontain/opt/kontain/bin/km")
                .containsPattern("-rw-r--r-- 0/0 +3 2026-01-02 03:04 kontain/opt/kontain/VERSION")
                .contains("very-long-directory-name/very-long-directory-name/file.txt");
        Path out = Files.createDirectories(tmp.resolve("x"));
        run(out, "tar", "-xzf", archive.file().toString());
        assertThat(Files.readString(out.resolve("kontain/opt/kontain/bin/km"))).isEqualTo("#!/bin/sh\necho km\n");
        assertThat(Files.isExecutable(out.resolve("kontain/opt/kontain/bin/km"))).isTrue();
        byte[] header = java.util.Arrays.copyOf(Files.readAllBytes(archive.file()), 10);
        assertThat(header).containsExactly(0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff);
    }

    @Test
    void zstdAndUnzipExtractWhatWasWritten() throws Exception {
        Tools.require("zstd", "zstd");
        Tools.require("unzip", "unzip");
        Path p = project("p", 1_000_000_000_000L);
        var entries = FileSelection.select(p, "dist/km/**", Optional.empty(), Optional.empty());
        var zst = ArchiveWriter.write(ArchiveFormat.TAR_ZST, entries, MTIME, p.resolve("k.tar.zst"), staging());
        var zip = ArchiveWriter.write(ArchiveFormat.ZIP, entries, MTIME, p.resolve("k.zip"), staging());

        Path x1 = Files.createDirectories(tmp.resolve("zst"));
        run(x1, "tar", "--zstd", "-xf", zst.file().toString());
        Path x2 = Files.createDirectories(tmp.resolve("zip"));
        run(x2, "unzip", "-q", zip.file().toString());
        String zipinfo = run(x2, "unzip", "-Z", "-T", zip.file().toString());

        assertThat(Files.readString(x1.resolve("opt/kontain/VERSION"))).isEqualTo("v1\n");
        assertThat(Files.isExecutable(x1.resolve("opt/kontain/bin/km"))).isTrue();
        assertThat(Files.readString(x2.resolve("opt/kontain/VERSION"))).isEqualTo("v1\n");
        assertThat(Files.isExecutable(x2.resolve("opt/kontain/bin/km"))).isTrue();
        assertThat(zipinfo).contains("-rwxr-xr-x").contains("20260102.030404");
    }

    @Test
    void sha256sumChecksWhatChecksumsWrote() throws Exception {
        Tools.require("sha256sum", "coreutils");
        Path p = project("p", 1_000_000_000_000L);
        var a = ArchiveWriter.write(ArchiveFormat.TAR_GZ, FileSelection.select(p, "dist/km/**", Optional.empty(), Optional.empty()),
                MTIME, p.resolve("dist/a.tar.gz"), staging());
        var z = ArchiveWriter.write(ArchiveFormat.ZIP, FileSelection.select(p, "dist/km/**", Optional.empty(), Optional.empty()),
                MTIME, p.resolve("dist/a.zip"), staging());

        var sums = Checksums.write(p.resolve("dist/SHA256SUMS"), "sha256", List.of(z.file(), a.file()), staging());

        assertThat(run(p.resolve("dist"), "sha256sum", "-c", "SHA256SUMS")).contains("a.tar.gz: OK").contains("a.zip: OK");
        assertThat(Files.readString(sums.file())).startsWith(a.digest().hex() + "  a.tar.gz\n");
        assertThat(Checksums.read(sums.file())).containsEntry("a.zip", z.digest().hex());
    }

    @Test
    void selectionsNameFilesBelowTheGlobsLiteralDirectories() throws Exception {
        Path p = project("p", 1_000_000_000_000L);

        assertThat(FileSelection.select(p, "dist/km/**/bin/*", Optional.empty(), Optional.empty())).extracting(ArchiveEntry::name)
                .containsExactly("opt/kontain/bin/km");
        assertThat(FileSelection.select(p, "dist/km/opt/kontain/VERSION", Optional.of("share/VERSION.txt"), Optional.empty()))
                .extracting(ArchiveEntry::name).containsExactly("share/VERSION.txt");
        assertThat(FileSelection.select(p, "dist/km/opt/kontain/VERSION", Optional.of("share/"), Optional.of("0600")))
                .extracting(ArchiveEntry::name, ArchiveEntry::mode).containsExactly(org.assertj.core.groups.Tuple.tuple("share/VERSION", 0600));
        assertThat(FileSelection.select(p, "dist/km", Optional.of("."), Optional.empty())).hasSize(3);
        assertThatThrownBy(() -> FileSelection.select(p, "dist/nothing/**", Optional.empty(), Optional.empty()))
                .isInstanceOf(ArchiveException.class).hasMessageContaining("'dist/nothing/**' matches no file");
        assertThatThrownBy(() -> FileSelection.select(p, "../etc/passwd", Optional.empty(), Optional.empty()))
                .isInstanceOf(ArchiveException.class).hasMessageContaining("leads outside the project");
        assertThatThrownBy(() -> FileSelection.merge(List.of(
                FileSelection.select(p, "dist/km/opt/kontain/VERSION", Optional.of("x"), Optional.empty()),
                FileSelection.select(p, "dist/km/opt/kontain/bin/km", Optional.of("x"), Optional.empty()))))
                .isInstanceOf(ArchiveException.class).hasMessageContaining("two files would be x");
    }

    @Test
    void aLargeFileStreamsThroughWithoutFillingTheHeap() throws Exception {
        Path p = Files.createDirectories(tmp.resolve("big"));
        Path big = p.resolve("big.bin");
        try (var out = Files.newOutputStream(big)) {
            byte[] block = new byte[1 << 20];
            new java.util.Random(7).nextBytes(block);
            for (int i = 0; i < 200; i++) {
                out.write(block);
            }
        }
        // in a JVM of its own with a heap a quarter of the file: a byte array of it could not fit,
        // and no other test's garbage blurs the measure
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-Xmx48m", "-cp", System.getProperty("java.class.path"),
                WriteOne.class.getName(), big.toString(), p.resolve("big.tar.gz").toString()).redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(child.waitFor(120, TimeUnit.SECONDS)).as("archived within 2 minutes").isTrue();

        assertThat(child.exitValue()).as("archiving 200 MiB in a 48 MiB heap: " + output).isZero();
        assertThat(Files.size(p.resolve("big.tar.gz"))).isGreaterThan(200L << 20);
    }

    /** Archives one file: {@code WriteOne FILE TARGET}, run in a small-heap JVM by the test above. */
    static final class WriteOne {
        public static void main(String[] args) throws Exception {
            Path file = Path.of(args[0]);
            ArchiveWriter.write(ArchiveFormat.TAR_GZ, List.of(new ArchiveEntry(file.getFileName().toString(), file, 0644)), MTIME,
                    Path.of(args[1]), Staging.forRun(Path.of(args[1]).toAbsolutePath().getParent(), "small-heap"));
        }
    }

    @Test
    void whoBuildsTheArchiveDoesNotChangeItsBytesEvenWithLongNames() throws Exception {
        Path p = project("p", 1_000_000_000_000L);
        var entries = FileSelection.select(p, "dist/km/**", Optional.empty(), Optional.empty());
        String user = System.getProperty("user.name");
        var first = ArchiveWriter.write(ArchiveFormat.TAR_GZ, entries, MTIME, p.resolve("a.tar.gz"), staging());
        try {
            System.setProperty("user.name", "someone-else-entirely");
            var second = ArchiveWriter.write(ArchiveFormat.TAR_GZ, entries, MTIME, p.resolve("b.tar.gz"), staging());
            assertThat(second.digest()).isEqualTo(first.digest());
        } finally {
            System.setProperty("user.name", user);
        }
    }
}
