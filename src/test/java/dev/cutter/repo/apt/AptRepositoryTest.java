package dev.cutter.repo.apt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cutter.testing.TestStaging;
import dev.cutter.pkg.deb.Run;
import dev.cutter.pkg.deb.SampleDebs;
import dev.cutter.sign.OpenPgpKey;
import dev.cutter.sign.OpenPgpSigner;
import dev.cutter.testing.Tools;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AptRepositoryTest {
    static final Instant DATE = Instant.parse("2030-06-01T12:34:56Z");

    @TempDir
    Path tmp;

    static OpenPgpSigner signer() throws IOException {
        try (InputStream in = Files.newInputStream(Path.of("examples/km/keys/release-key.asc"))) {
            return new OpenPgpSigner(OpenPgpKey.read(in, new char[0]), Clock.fixed(DATE, ZoneOffset.UTC));
        }
    }

    static AptPublishOptions options() throws IOException {
        return AptPublishOptions.defaults("Cutter Tests", DATE).withSigner(signer());
    }

    @Test
    void packagesIndexIsWhatAptFtparchiveWrites() throws IOException {
        Tools.require("apt-ftparchive", "apt-utils");
        Path pool = Files.createDirectories(tmp.resolve("pool"));
        SampleDebs.write(pool, "hello", "1.0-1", "amd64");
        SampleDebs.write(pool, "hello", "1.0~rc1", "amd64");
        SampleDebs.write(pool, "libfoo1", "2:0.5", "arm64");
        SampleDebs.write(pool, "zed", "3", "all");
        String theirs = Run.run(List.of("apt-ftparchive", "packages", "pool"), java.util.Map.of(), tmp).ok().out();
        var ours = new java.io.ByteArrayOutputStream();
        AptIndexer.writePackages(AptIndexer.scan(pool, tmp, 2), ours);
        // apt-ftparchive lists in directory order, Cutter by name and version: compare stanza sets, then bytes of each
        assertThat(stanzas(ours.toString(StandardCharsets.UTF_8))).containsExactlyInAnyOrderElementsOf(stanzas(theirs));
        assertThat(stanzas(ours.toString(StandardCharsets.UTF_8))).extracting(s -> s.lines().findFirst().orElseThrow() + " "
                + s.lines().filter(l -> l.startsWith("Version:")).findFirst().orElseThrow())
                .containsExactly("Package: hello Version: 1.0~rc1", "Package: hello Version: 1.0-1",
                        "Package: libfoo1 Version: 2:0.5", "Package: zed Version: 3");
    }

    private static List<String> stanzas(String packages) {
        return List.of(packages.split("\n\n"));
    }

    @Test
    void readingANonDebNamesTheFileAndTheProblem() throws IOException {
        Path notDeb = Files.writeString(tmp.resolve("notes.deb"), "hello\n");
        assertThatThrownBy(() -> AptIndexer.read(notDeb, "notes.deb"))
                .hasMessageContaining(notDeb.toString()).hasMessageContaining("not an ar archive");
        Path noControl = tmp.resolve("nocontrol.deb");
        Files.write(noControl, ("!<arch>\ndebian-binary   0           0     0     100644  4         `\n2.0\n")
                .getBytes(StandardCharsets.US_ASCII));
        assertThatThrownBy(() -> AptIndexer.read(noControl, "nocontrol.deb"))
                .hasMessageContaining(noControl.toString()).hasMessageContaining("no control.tar member");
    }

    @Test
    void removingFromADistributionThatHoldsNothingLeavesTheRepositoryAsItWas() throws IOException {
        AptRepository repo = AptRepository.open(tmp.resolve("repo"), TestStaging.in(tmp));
        repo.add("stable", "main", List.of(SampleDebs.write(Files.createDirectories(tmp.resolve("in")), "hello", "1.0", "amd64")));
        repo.publish(options());

        assertThat(repo.remove("testing", "main", "hello", Optional.empty())).isEmpty();
        assertThat(repo.remove("stable", "contrib", "hello", Optional.empty())).isEmpty();
        assertThat(repo.publish(options())).as("no empty distribution or component to publish").containsExactly("stable");
        assertThat(repo.list("stable", "main")).extracting(AptPackage::name).containsExactly("hello");
    }

    @Test
    void incrementalAddGivesTheSameIndexesAsAFullRebuild() throws IOException {
        Path in = Files.createDirectories(tmp.resolve("in"));
        AptRepository incremental = AptRepository.open(tmp.resolve("incremental"), TestStaging.in(tmp));
        incremental.add("stable", "main", List.of(SampleDebs.write(in, "hello", "1.0", "amd64"),
                SampleDebs.write(in, "libfoo1", "0.1", "arm64"), SampleDebs.write(in, "zed", "1", "all")));
        incremental.publish(options().withDate(DATE.minusSeconds(3600)));
        incremental.add("stable", "main", List.of(SampleDebs.write(in, "hello", "1.1", "amd64")));
        incremental.add("stable", "main", List.of(SampleDebs.write(in, "alpha", "0.1", "arm64")));
        incremental.publish(options());

        Path fullRoot = tmp.resolve("full");
        copyTree(incremental.root().resolve("pool"), fullRoot.resolve("pool"));
        AptRepository full = AptRepository.open(fullRoot, TestStaging.in(tmp));
        full.rebuild("stable", "main");
        full.publish(options());

        Path a = incremental.root().resolve("dists/stable");
        Path b = fullRoot.resolve("dists/stable");
        Release release = Release.parse(Files.readString(a.resolve("Release")), "Release");
        assertThat(release.entries()).hasSize(6);
        for (String file : Stream.concat(Stream.of("Release", "InRelease", "Release.gpg"),
                release.entries().stream().map(Release.Entry::path)).toList()) {
            assertThat(a.resolve(file)).as(file).hasSameBinaryContentAs(b.resolve(file));
        }
        assertThat(incremental.list("stable", "main")).isEqualTo(full.list("stable", "main"));
    }

    @Test
    void addReadsOnlyTheNewPackages() throws IOException {
        Path in = Files.createDirectories(tmp.resolve("in"));
        AptRepository repo = AptRepository.open(tmp.resolve("repo"), TestStaging.in(tmp));
        AptPackage first = repo.add("stable", "main", List.of(SampleDebs.write(in, "hello", "1.0", "amd64"))).get(0);
        // were add to re-read the pool, this would fail it
        Files.writeString(repo.root().resolve(first.filename()), "not a deb any more");
        repo.add("stable", "main", List.of(SampleDebs.write(in, "hello", "1.1", "amd64")));
        assertThat(repo.list("stable", "main")).extracting(AptPackage::version).containsExactly("1.0", "1.1");
        repo.publish(options());
        AptVerification verification = repo.verify();
        assertThat(verification.problems()).singleElement().asString()
                .contains(first.filename()).contains("bytes, the Packages file says");
    }

    @Test
    void aVersionNeverChangesItsBytes() throws IOException {
        AptRepository repo = AptRepository.open(tmp.resolve("repo"), TestStaging.in(tmp));
        Path one = SampleDebs.write(Files.createDirectories(tmp.resolve("one")), "hello", "1.0", "amd64");
        repo.add("stable", "main", List.of(one));
        assertThat(repo.add("stable", "main", List.of(one))).hasSize(1); // the same bytes again: fine
        var other = SampleDebs.metadata(tmp.resolve("src"), "hello", "1.0", "amd64");
        other = new dev.cutter.pkg.PackageMetadata(other.name(), other.version(), other.release(), other.architecture(),
                "another summary", other.description(), other.maintainer(), other.homepage(), other.license(),
                other.section(), other.relations(), other.files(), other.scripts(), other.sourceDate());
        Path changed = tmp.resolve("changed.deb");
        new dev.cutter.pkg.deb.DebWriter().write(other, changed, TestStaging.in(tmp));
        assertThatThrownBy(() -> repo.add("stable", "main", List.of(changed)))
                .hasMessageContaining("already holds hello 1.0 (amd64) with other contents");
    }

    @Test
    void keepRetainsTheHighestVersionsPerNameAndArchitecture() throws IOException {
        Path in = Files.createDirectories(tmp.resolve("in"));
        AptRepository repo = AptRepository.open(tmp.resolve("repo"), TestStaging.in(tmp));
        List<Path> debs = new ArrayList<>();
        for (String v : List.of("1.0", "1.0~rc1", "1:0.1", "1.0-1", "0.9")) {
            debs.add(SampleDebs.write(in, "hello", v, "amd64"));
        }
        debs.add(SampleDebs.write(in, "hello", "0.1", "arm64"));
        List<AptPackage> added = repo.add("stable", "main", debs);
        repo.publish(options().withKeep(2));
        assertThat(repo.list("stable", "main")).extracting(p -> p.version() + "/" + p.architecture())
                .containsExactly("0.1/arm64", "1.0-1/amd64", "1:0.1/amd64");
        for (AptPackage p : added) {
            boolean kept = Set.of("1:0.1", "1.0-1", "0.1").contains(p.version());
            assertThat(Files.exists(repo.root().resolve(p.filename()))).as(p.filename()).isEqualTo(kept);
        }
        assertThat(packages(repo, "stable", "main", "amd64")).contains("Version: 1:0.1\n", "Version: 1.0-1\n")
                .doesNotContain("Version: 1.0\n", "Version: 0.9\n");
        assertThat(repo.verify().problems()).isEmpty();
    }

    @Test
    void removeTakesThePackageOutOfTheIndexAndThenThePool() throws IOException {
        Path in = Files.createDirectories(tmp.resolve("in"));
        AptRepository repo = AptRepository.open(tmp.resolve("repo"), TestStaging.in(tmp));
        List<AptPackage> added = repo.add("stable", "main", List.of(SampleDebs.write(in, "hello", "1.0", "amd64"),
                SampleDebs.write(in, "hello", "1.1", "amd64"), SampleDebs.write(in, "other", "1", "amd64")));
        repo.publish(options());
        assertThat(repo.remove("stable", "main", "hello", Optional.of("1.0"))).extracting(AptPackage::version)
                .containsExactly("1.0");
        assertThat(repo.root().resolve(added.get(0).filename())).as("kept until published").exists();
        repo.publish(options());
        assertThat(repo.root().resolve(added.get(0).filename())).doesNotExist();
        assertThat(packages(repo, "stable", "main", "amd64")).contains("Version: 1.1\n").doesNotContain("Version: 1.0\n");
        assertThat(repo.remove("stable", "main", "hello", Optional.empty())).hasSize(1);
        assertThat(repo.remove("stable", "main", "nothing", Optional.empty())).isEmpty();
        repo.publish(options());
        assertThat(packages(repo, "stable", "main", "amd64")).startsWith("Package: other\n").doesNotContain("hello");
        assertThat(repo.root().resolve("pool/main/h")).doesNotExist();
    }

    @Test
    void publishCollectsOnlyThePoolFilesAStateDroppedAndNeverWalksThePool() throws IOException {
        Path in = Files.createDirectories(tmp.resolve("in"));
        AptRepository repo = AptRepository.open(tmp.resolve("repo"), TestStaging.in(tmp));
        List<AptPackage> added = repo.add("stable", "main", List.of(SampleDebs.write(in, "hello", "1.0", "amd64"),
                SampleDebs.write(in, "other", "1", "amd64")));
        repo.publish(options());
        // a file no state ever named nor dropped: not Cutter's to delete (a rebuild would index it)
        Path foreign = Files.writeString(Files.createDirectories(repo.root().resolve("pool/main/f/foreign")).resolve("notes.txt"), "x");
        repo.add("stable", "main", List.of(SampleDebs.write(in, "hello", "1.1", "amd64")));
        repo.publish(options());
        assertThat(foreign).exists();
        assertThat(repo.root().resolve(added.get(0).filename())).exists();

        repo.remove("stable", "main", "hello", Optional.of("1.0"));
        repo.publish(options());
        assertThat(repo.root().resolve(added.get(0).filename())).as("dropped by the state, then collected").doesNotExist();
        assertThat(foreign).exists();
        assertThat(repo.root().resolve(AptRepository.STATE).resolve("collectable")).as("emptied by the publish").doesNotExist();
    }

    @Test
    void aPoolFileCopiedInBeforeACrashIsCollectedByTheNextPublish() throws IOException {
        AptRepository repo = helloPublished();
        // what add leaves when killed after copying into the pool but before the state names the file
        Path orphan = Files.writeString(Files.createDirectories(repo.root().resolve("pool/main/o/orphan")).resolve("orphan_1_amd64.deb"),
                "copied, never indexed");
        Files.writeString(repo.root().resolve(AptRepository.STATE).resolve("collectable"), "pool/main/o/orphan/orphan_1_amd64.deb\n");
        repo.publish(options());
        assertThat(orphan).doesNotExist();
        assertThat(repo.root().resolve("pool/main/o")).as("emptied directories go too").doesNotExist();
        assertThat(repo.verify().problems()).isEmpty();
    }

    @Test
    void architectureAllGoesIntoEveryArchitectureIndexAcrossDistsAndComponents() throws IOException {
        Path in = Files.createDirectories(tmp.resolve("in"));
        AptRepository repo = AptRepository.open(tmp.resolve("repo"), TestStaging.in(tmp));
        repo.add("stable", "main", List.of(SampleDebs.write(in, "tool", "1.0", "amd64"),
                SampleDebs.write(in, "tool", "1.0", "arm64"), SampleDebs.write(in, "tool-data", "1.0", "all")));
        repo.add("stable", "contrib", List.of(SampleDebs.write(in, "extra", "2.0", "all")));
        repo.add("testing", "main", List.of(SampleDebs.write(in, "tool", "1.1", "amd64")));
        assertThat(repo.publish(options())).containsExactly("stable", "testing");

        assertThat(packages(repo, "stable", "main", "amd64")).contains("Package: tool-data\n")
                .contains("Architecture: amd64\n").doesNotContain("Architecture: arm64\n");
        assertThat(packages(repo, "stable", "main", "arm64")).contains("Package: tool-data\n")
                .contains("Architecture: arm64\n").doesNotContain("Architecture: amd64\n");
        assertThat(packages(repo, "stable", "contrib", "arm64")).contains("Package: extra\n");
        assertThat(packages(repo, "testing", "main", "amd64")).contains("Version: 1.1\n");
        String release = Files.readString(repo.root().resolve("dists/stable/Release"));
        assertThat(release).startsWith("""
                Origin: Cutter Tests
                Label: Cutter Tests
                Suite: stable
                Codename: stable
                Date: Sat, 01 Jun 2030 12:34:56 UTC
                Acquire-By-Hash: yes
                Architectures: amd64 arm64
                Components: contrib main
                MD5Sum:
                """).contains(" contrib/binary-arm64/Packages.xz\n").containsPattern(
                "\n [0-9a-f]{64} +\\d+ main/binary-amd64/Packages\\.gz\n");
        assertThat(Files.readString(repo.root().resolve("dists/testing/Release"))).contains("Architectures: amd64\n");
        assertThat(repo.verify().problems()).isEmpty();
        assertThat(repo.verify().indexFiles()).isEqualTo(4 * 3 + 3);
    }

    @Test
    void byHashKeepsThePreviousGenerationOnly() throws IOException {
        Path in = Files.createDirectories(tmp.resolve("in"));
        AptRepository repo = AptRepository.open(tmp.resolve("repo"), TestStaging.in(tmp));
        Path dir = repo.root().resolve("dists/stable/main/binary-amd64");
        List<String> generations = new ArrayList<>();
        for (String version : List.of("1.0", "1.1", "1.2")) {
            repo.add("stable", "main", List.of(SampleDebs.write(in, "hello", version, "amd64")));
            repo.publish(options().withCompressions(Set.of(AptCompression.XZ)));
            assertThat(Files.isSymbolicLink(repo.root().resolve("dists/stable"))).isTrue();
            String sha256 = Release.parse(Files.readString(repo.root().resolve("dists/stable/Release")), "Release")
                    .entries().get(0).digests().sha256();
            generations.add(sha256);
            assertThat(dir.resolve("by-hash/SHA256").resolve(sha256)).hasSameBinaryContentAs(dir.resolve("Packages.xz"));
        }
        assertThat(dir.resolve("by-hash/SHA256").resolve(generations.get(1))).as("previous generation").exists();
        assertThat(dir.resolve("by-hash/SHA256").resolve(generations.get(0))).as("two generations ago").doesNotExist();
        for (String name : List.of("MD5Sum", "SHA1", "SHA512")) {
            assertThat(dir.resolve("by-hash").resolve(name)).isDirectoryContaining(p -> true);
        }
        assertThat(repo.root().resolve("dists/.generations/stable")).isDirectoryContaining(p -> p.endsWith("3"))
                .isDirectoryContaining(p -> p.endsWith("2")).isDirectoryNotContaining(p -> p.endsWith("1"));
        assertThat(repo.verify().problems()).isEmpty();
    }

    @Test
    void verifyFindsATamperedIndex() throws IOException {
        AptRepository repo = helloPublished();
        Path packages = repo.root().resolve("dists/stable/main/binary-amd64/Packages");
        // the generation's files are hard-linked into by-hash: replace, do not edit in place
        String text = Files.readString(packages).replace("Section: utils", "Section: utilz");
        Files.delete(packages);
        Files.writeString(packages, text);
        assertThat(repo.verify().problems()).singleElement().asString()
                .contains("dists/stable/main/binary-amd64/Packages has MD5Sum");
    }

    /** A repository in {@code tmp/repo} that has published hello 1.0 (amd64) in stable/main. */
    private AptRepository helloPublished() throws IOException {
        AptRepository repo = AptRepository.open(tmp.resolve("repo"), TestStaging.in(tmp));
        repo.add("stable", "main", List.of(SampleDebs.write(Files.createDirectories(tmp.resolve("in")), "hello", "1.0", "amd64")));
        repo.publish(options());
        return repo;
    }

    static String packages(AptRepository repo, String dist, String component, String arch) throws IOException {
        return Files.readString(repo.root().resolve("dists").resolve(dist).resolve(component)
                .resolve("binary-" + arch).resolve("Packages"));
    }

    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }
}
