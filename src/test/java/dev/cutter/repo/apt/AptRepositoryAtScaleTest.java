package dev.cutter.repo.apt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutter.pkg.deb.SampleDebs;
import dev.cutter.repo.PackageRepository;
import dev.cutter.testing.TestStaging;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A repository's memory does not grow with the packages it holds: adding one package to a
 * component whose state is larger than the whole heap, retention included, works in a JVM of
 * its own with a 32 MiB heap (no other test's garbage blurs the measure). The state and every
 * index are read and written a stanza at a time; holding either whole could not fit.
 */
class AptRepositoryAtScaleTest {
    private static final int NAMES = 12_000;
    private static final Instant DATE = Instant.parse("2030-06-01T12:00:00Z");

    @TempDir
    Path tmp;

    @Test
    void addingOnePackageToAStateLargerThanTheHeapStreams() throws Exception {
        Path root = tmp.resolve("apt");
        Path newcomer = SampleDebs.write(Files.createDirectories(tmp.resolve("new")), "tool-00000", "3.0", "amd64");
        Path state = Files.createDirectories(root.resolve(AptRepository.STATE).resolve("state").resolve("stable")).resolve("main");
        writeState(state);
        assertThat(Files.size(state)).as("the state is larger than the child's heap").isGreaterThan(40L << 20);

        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-Xmx32m", "-cp", System.getProperty("java.class.path"), AddOne.class.getName(),
                root.toString(), newcomer.toString(), tmp.toString()).redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(child.waitFor(300, TimeUnit.SECONDS)).as("added within 5 minutes").isTrue();
        assertThat(child.exitValue()).as("adding one package to " + 2 * NAMES + " in a 32 MiB heap: " + output).isZero();

        // keep 1: the newest version of each name, the newcomer for tool-00000
        try (PackagesFile in = PackagesFile.open(state)) {
            AptPackage first = in.next();
            assertThat(first.name() + " " + first.version()).isEqualTo("tool-00000 3.0");
            int count = 1;
            for (AptPackage p; (p = in.next()) != null; count++) {
                assertThat(p.version()).isEqualTo("2.0");
            }
            assertThat(count).isEqualTo(NAMES);
        }
        Path index = root.resolve("dists/stable/main/binary-amd64/Packages.gz");
        long stanzas;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(index)),
                StandardCharsets.UTF_8))) {
            stanzas = in.lines().filter(line -> line.startsWith("Package: ")).count();
        }
        assertThat(stanzas).isEqualTo(NAMES);
        assertThat(Files.readString(root.resolve("dists/stable/Release"))).contains("main/binary-amd64/Packages.gz");
    }

    /** Two versions of each of {@link #NAMES} packages, in index order, each with a long description. */
    private static void writeState(Path state) throws IOException {
        String description = "a generated package\n" + (" " + "x".repeat(70) + "\n").repeat(24);
        try (BufferedWriter out = Files.newBufferedWriter(state, StandardCharsets.UTF_8)) {
            for (int i = 0; i < NAMES; i++) {
                String name = String.format("tool-%05d", i);
                for (String version : List.of("1.0", "2.0")) {
                    out.write("Package: " + name + "\nArchitecture: amd64\nVersion: " + version + "\nMaintainer: Bench <b@example.org>\n"
                            + "Filename: pool/main/t/" + name + "/" + name + "_" + version + "_amd64.deb\nSize: 4096\n"
                            + "SHA256: " + "ab".repeat(32) + "\nDescription: " + description + "\n");
                }
            }
        }
    }

    /** Adds one .deb with retention 1: {@code AddOne ROOT DEB STAGING-DIR}, run in a small heap by the test above. */
    static final class AddOne {
        public static void main(String[] args) throws Exception {
            PackageRepository repo = PackageRepository.at(Path.of(args[0]), new PackageRepository.Settings("apt", "Cutter Tests",
                    "stable", "main", 1, false, List.of("gz"), Optional.empty(), DATE), TestStaging.in(Path.of(args[2])));
            repo.add(List.of(Path.of(args[1])));
        }
    }
}
