package dev.cutter.repo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutter.pkg.deb.SampleDebs;
import dev.cutter.pkg.rpm.RpmSamples;
import dev.cutter.pkg.rpm.RpmWriter;
import dev.cutter.testing.TestStaging;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Adding one package to a large repository costs the package and the indexes written, never a
 * read of the packages already published: the whole path {@code cutter repo add} and a release's
 * repository job take (conflicts, add, retention, publish), for apt and yum. Every published
 * package is garbled behind the repository's back (same size, same mtime); were one read again,
 * its checksum in the new indexes would change or reading it would fail.
 */
class AddReadsOnlyTheNewPackageTest {
    private static final Instant DATE = Instant.parse("2030-06-01T12:00:00Z");

    @TempDir
    Path tmp;

    @Test
    void aptAddWithRetentionReadsNoPublishedPackage() throws IOException {
        PackageRepository all = PackageRepository.at(tmp.resolve("apt"), settings("apt", 0), TestStaging.in(tmp));
        List<Path> debs = new ArrayList<>();
        Path in = Files.createDirectories(tmp.resolve("debs"));
        for (int i = 0; i < 6; i++) {
            debs.add(SampleDebs.write(in, "tool" + (i % 3), "1." + i, "amd64"));
        }
        List<PackageRepository.Entry> published = all.add(debs);
        PackageRepository repo = PackageRepository.at(tmp.resolve("apt"), settings("apt", 1), TestStaging.in(tmp));
        garble(tmp.resolve("apt/pool"), ".deb");

        Path newcomer = SampleDebs.write(Files.createDirectories(tmp.resolve("new")), "tool0", "2.0", "amd64");
        assertThat(repo.conflicts(List.of(newcomer))).isEmpty();
        repo.add(List.of(newcomer));

        // kept: the newest of each tool, listed with the checksums they were published with
        assertThat(repo.list()).extracting(e -> e.name() + " " + e.version() + " " + e.sha256()).containsExactly(
                "tool0 2.0 " + sha256(newcomer), "tool1 1.4 " + shaOf(published, "tool1", "1.4"),
                "tool2 1.5 " + shaOf(published, "tool2", "1.5"));
        assertThat(repo.verify(Optional.empty())).as("the garbled files are still there, under their old checksums")
                .hasSize(2).allSatisfy(problem -> assertThat(problem).contains("the Packages file says"));
    }

    @Test
    void yumAddWithRetentionReadsNoPublishedPackage() throws IOException {
        PackageRepository all = PackageRepository.at(tmp.resolve("yum"), settings("yum", 0), TestStaging.in(tmp));
        List<Path> rpms = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            rpms.add(rpm("tool" + (i % 3), "1." + i));
        }
        List<PackageRepository.Entry> published = all.add(rpms);
        PackageRepository repo = PackageRepository.at(tmp.resolve("yum"), settings("yum", 1), TestStaging.in(tmp));
        garble(tmp.resolve("yum/Packages"), ".rpm");

        Path newcomer = rpm("tool0", "2.0");
        assertThat(repo.conflicts(List.of(newcomer))).isEmpty();
        repo.add(List.of(newcomer));

        assertThat(repo.list()).extracting(e -> e.name() + " " + e.version() + " " + e.sha256()).containsExactly(
                "tool0 2.0-1 " + sha256(newcomer), "tool1 1.4-1 " + shaOf(published, "tool1", "1.4-1"),
                "tool2 1.5-1 " + shaOf(published, "tool2", "1.5-1"));
        assertThat(repo.verify(Optional.empty())).as("the garbled files are still there, under their old checksums")
                .isNotEmpty().allSatisfy(problem -> assertThat(problem).contains("checksum"));
    }

    private static PackageRepository.Settings settings(String type, int keep) {
        return new PackageRepository.Settings(type, "Cutter Tests", "stable", "main", keep, false, List.of("gz"), Optional.empty(), DATE);
    }

    private Path rpm(String name, String version) throws IOException {
        return new RpmWriter().write(RpmSamples.small(tmp.resolve("src-" + name + "-" + version), name, version, "x86_64"),
                Files.createDirectories(tmp.resolve("rpms")), TestStaging.in(tmp));
    }

    /** Overwrites the last bytes of every package under {@code dir}, keeping each file's size and mtime. */
    private static void garble(Path dir, String suffix) throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir)) {
            files = walk.filter(p -> p.toString().endsWith(suffix)).toList();
        }
        assertThat(files).hasSize(6);
        for (Path file : files) {
            FileTime mtime = Files.getLastModifiedTime(file);
            try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
                raf.seek(raf.length() - 16);
                raf.write(new byte[16]);
            }
            Files.setLastModifiedTime(file, mtime);
        }
    }

    private static String shaOf(List<PackageRepository.Entry> entries, String name, String version) {
        return entries.stream().filter(e -> e.name().equals(name) && e.version().equals(version)).findFirst().orElseThrow()
                .sha256();
    }

    private static String sha256(Path file) throws IOException {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(Files.readAllBytes(file)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
