package dev.cutter.repo.yum;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutter.pkg.rpm.RpmSamples;
import dev.cutter.pkg.rpm.RpmWriter;
import dev.cutter.repo.PackageRepository;
import dev.cutter.testing.TestStaging;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A yum repository's memory does not grow with the packages it holds: adding one package to an
 * index larger than the whole heap, retention included, works in a JVM of its own with a 32 MiB
 * heap (no other test's garbage blurs the measure). The index is read and written a package at a
 * time and each metadata file written from it as it is read; holding either whole could not fit.
 */
class YumRepositoryAtScaleTest {
    private static final int NAMES = 12_000;
    private static final Instant DATE = Instant.parse("2030-06-01T12:00:00Z");

    @TempDir
    Path tmp;

    @Test
    void addingOnePackageToAnIndexLargerThanTheHeapStreams() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("yum"));
        Path newcomer = new RpmWriter().write(RpmSamples.small(tmp.resolve("src"), "tool-00000", "3.0", "x86_64"),
                Files.createDirectories(tmp.resolve("new")), TestStaging.in(tmp));
        Path index = root.resolve(YumRepository.INDEX_FILE);
        writeIndex(index);
        assertThat(Files.size(index)).as("the index is larger than the child's heap").isGreaterThan(40L << 20);

        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-Xmx32m", "-cp", System.getProperty("java.class.path"), AddOne.class.getName(),
                root.toString(), newcomer.toString(), tmp.toString()).redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(child.waitFor(300, TimeUnit.SECONDS)).as("added within 5 minutes").isTrue();
        assertThat(child.exitValue()).as("adding one package to " + 2 * NAMES + " in a 32 MiB heap: " + output).isZero();

        // keep 1: the newest version of each name, the newcomer for tool-00000
        try (YumState.Reader in = YumState.Reader.open(index)) {
            assertThat(in.generation()).isEqualTo(8);
            assertThat(in.count()).isEqualTo(NAMES);
            YumPackage first = in.next();
            assertThat(first.nevra()).isEqualTo("tool-00000-3.0-1.x86_64");
            for (YumPackage p; (p = in.next()) != null; ) {
                assertThat(p.version()).isEqualTo("2.0");
            }
            assertThat(in.retired()).hasSize(NAMES + 1).allMatch(r -> r.generation() == 8);
        }
        Path primary;
        try (var files = Files.list(root.resolve("repodata"))) {
            primary = files.filter(f -> f.getFileName().toString().endsWith("-primary.xml.gz")).findFirst().orElseThrow();
        }
        long listed;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(primary)),
                StandardCharsets.UTF_8))) {
            listed = in.lines().filter(line -> line.equals("<package type=\"rpm\">")).count();
        }
        assertThat(listed).isEqualTo(NAMES);
        assertThat(Files.readString(root.resolve("repodata/repomd.xml"))).contains("-filelists.xml.gz", "-other.xml.gz");
    }

    /** Two versions of each of {@link #NAMES} packages, in index order, each with a long description, files and a changelog. */
    private static void writeIndex(Path index) throws IOException {
        String description = "a generated package\n" + ("x".repeat(70) + "\n").repeat(24);
        try (YumState.Writer out = new YumState.Writer(Files.createFile(index), 7)) {
            for (int i = 0; i < NAMES; i++) {
                String name = String.format("tool-%05d", i);
                for (String version : List.of("1.0", "2.0")) {
                    List<YumPackage.PackagedFile> files = new ArrayList<>();
                    for (int f = 0; f < 8; f++) {
                        files.add(new YumPackage.PackagedFile("/usr/share/" + name + "/file-" + f, ""));
                    }
                    String location = "Packages/" + name + "-" + version + "-1.x86_64.rpm";
                    out.write(new YumPackage(name, "x86_64", 0, version, "1", location, "ab".repeat(32), 4096, 1_900_000_000L,
                            1_900_000_000L, 8192, 8192, 4504, 4096, "Package " + name, description, "", "", "MIT", "", "", "",
                            name + "-" + version + "-1.src.rpm",
                            List.of(new YumPackage.Dependency(name, "EQ", "0", version, "1", false)), List.of(), List.of(),
                            List.of(), List.of(), List.of(), List.of(), List.of(), files,
                            List.of(new YumPackage.Changelog("Bench <b@example.org> - " + version, 1_900_000_000L, "- Built."))));
                }
            }
            out.endPackages();
            out.finish(List.of());
        }
    }

    /** Adds one .rpm with retention 1: {@code AddOne ROOT RPM STAGING-DIR}, run in a small heap by the test above. */
    static final class AddOne {
        public static void main(String[] args) throws Exception {
            PackageRepository repo = PackageRepository.at(Path.of(args[0]), new PackageRepository.Settings("yum", "Cutter Tests",
                    "stable", "main", 1, false, List.of("gz"), Optional.empty(), DATE), TestStaging.in(Path.of(args[2])));
            repo.add(List.of(Path.of(args[1])));
        }
    }
}
