package dev.cutter.repo.yum;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cutter.testing.TestStaging;
import dev.cutter.pkg.rpm.RpmFormatException;
import dev.cutter.pkg.rpm.RpmSamples;
import dev.cutter.pkg.rpm.RpmWriter;
import dev.cutter.sign.OpenPgpSigner;
import dev.cutter.sign.OpenPgpVerifier;
import dev.cutter.testing.Tools;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class YumRepositoryTest {
    private static final Instant T1 = Instant.parse("2030-07-01T00:00:00Z");
    private static final Instant T2 = Instant.parse("2030-07-02T00:00:00Z");
    private static final Instant T3 = Instant.parse("2030-07-03T00:00:00Z");

    @TempDir
    Path dir;

    private Path build(String name, String version, String arch) throws IOException {
        return new RpmWriter().write(RpmSamples.small(dir.resolve("src"), name, version, arch),
                Files.createDirectories(dir.resolve("built")), TestStaging.in(dir));
    }

    @Test
    void metadataIsWhatCreaterepoCWrites() throws IOException {
        Tools.require("createrepo_c", "createrepo-c");
        Path root = Files.createDirectories(dir.resolve("repo"));
        new RpmWriter().write(RpmSamples.full(dir.resolve("src"), "hello", "1.2.0~rc1"), root, TestStaging.in(dir));
        new RpmWriter().write(RpmSamples.small(dir.resolve("src"), "tool", "2.0", "noarch"), root, TestStaging.in(dir));
        new RpmWriter().write(RpmSamples.small(dir.resolve("src"), "tool", "2.1", "noarch"), root, TestStaging.in(dir));
        Path theirs = Files.createDirectories(dir.resolve("theirs"));
        try (Stream<Path> rpms = Files.list(root)) {
            for (Path rpm : rpms.toList()) {
                Files.copy(rpm, theirs.resolve(rpm.getFileName()), java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
            }
        }

        YumRepository.index(root, YumPublishOptions.at(T1), TestStaging.in(dir));
        RpmSamples.ok("createrepo_c", "--no-database", "--simple-md-filenames", theirs.toString());

        for (String type : List.of("primary", "filelists", "other")) {
            assertThat(packageBlocks(metadata(root, type))).as(type)
                    .isEqualTo(packageBlocks(Files.readAllBytes(theirs.resolve("repodata/" + type + ".xml.gz"))));
        }
    }

    /** The document's head and each package's block, sorted: createrepo_c orders packages its own way. */
    private static List<String> packageBlocks(byte[] gz) throws IOException {
        String xml;
        try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(gz))) {
            xml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        List<String> blocks = new ArrayList<>(Arrays.asList(xml.split("(?=<package )")));
        blocks.sort(null);
        return blocks;
    }

    private static byte[] metadata(Path root, String type) throws IOException {
        try (Stream<Path> files = Files.list(root.resolve("repodata"))) {
            List<Path> found = files.filter(p -> p.getFileName().toString().endsWith("-" + type + ".xml.gz")).toList();
            assertThat(found).hasSize(1);
            return Files.readAllBytes(found.get(0));
        }
    }

    @Test
    void anIncrementalAddPublishesWhatAFullRebuildDoesWithoutReadingTheOtherPackages() throws IOException {
        Path root = dir.resolve("repo");
        YumRepository repo = YumRepository.open(root, TestStaging.in(dir));
        List<Path> first = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            first.add(build("pkg" + i, "1." + i, i % 2 == 0 ? "x86_64" : "noarch"));
        }
        repo.add(first);
        repo.publish(YumPublishOptions.at(T1));

        // Damage an indexed package behind the index's back, keeping its size and mtime: an
        // incremental add must not notice, because it must not read it.
        Path damaged = root.resolve("Packages/pkg2-1.2-1.x86_64.rpm");
        FileTime mtime = Files.getLastModifiedTime(damaged);
        try (RandomAccessFile file = new RandomAccessFile(damaged.toFile(), "rw")) {
            file.seek(file.length() - 10);
            file.write(new byte[] {1, 2, 3});
        }
        Files.setLastModifiedTime(damaged, mtime);

        YumRepository reopened = YumRepository.open(root, TestStaging.in(dir));
        List<YumPackage> added = reopened.add(List.of(build("newcomer", "0.1", "x86_64")));
        reopened.publish(YumPublishOptions.at(T2));
        assertThat(added).extracting(YumPackage::location).containsExactly("Packages/newcomer-0.1-1.x86_64.rpm");
        byte[] incremental = Files.readAllBytes(root.resolve("repodata/repomd.xml"));
        YumVerification verification = reopened.verify(Optional.empty());
        assertThat(verification.problems()).singleElement().asString()
                .startsWith("Packages/pkg2-1.2-1.x86_64.rpm has checksum");

        // Undo the damage: now a full rebuild at the same time must give the same bytes.
        try (RandomAccessFile file = new RandomAccessFile(damaged.toFile(), "rw")) {
            file.seek(file.length() - 10);
            file.write(Arrays.copyOfRange(Files.readAllBytes(build("pkg2", "1.2", "x86_64")),
                    (int) file.length() - 10, (int) file.length() - 7));
        }
        Files.setLastModifiedTime(damaged, mtime);
        YumRepository.index(root, YumPublishOptions.at(T2), TestStaging.in(dir));
        assertThat(Files.readAllBytes(root.resolve("repodata/repomd.xml"))).isEqualTo(incremental);
        assertThat(YumRepository.open(root, TestStaging.in(dir)).verify(Optional.empty()).problems()).isEmpty();
        assertThat(YumRepository.open(root, TestStaging.in(dir)).list()).hasSize(6);
    }

    @Test
    void keepRetainsTheNewestVersionsPerNameAndArchitectureInRpmOrder() throws IOException {
        Path root = dir.resolve("repo");
        YumRepository repo = YumRepository.open(root, TestStaging.in(dir));
        repo.add(List.of(build("tool", "1.0~rc1", "x86_64"), build("tool", "1.0", "x86_64"),
                build("tool", "1.0^git1", "x86_64"), build("tool", "0.9", "x86_64"), build("tool", "1.0", "noarch"),
                build("tool", "0.1", "noarch"), build("other", "9", "x86_64")));

        YumPublication publication = repo.publish(YumPublishOptions.at(T1).withKeep(2));

        assertThat(repo.list()).extracting(YumPackage::nevra).containsExactly("other-9-1.x86_64",
                "tool-0.1-1.noarch", "tool-1.0-1.noarch", "tool-1.0-1.x86_64", "tool-1.0^git1-1.x86_64");
        assertThat(publication.retired())
                .containsExactlyInAnyOrder("tool-0.9-1.x86_64", "tool-1.0~rc1-1.x86_64");
        assertThat(root.resolve("Packages/tool-0.9-1.x86_64.rpm")).as("kept for clients of the previous metadata")
                .exists();
        repo.publish(YumPublishOptions.at(T2).withKeep(2));
        assertThat(root.resolve("Packages/tool-0.9-1.x86_64.rpm")).doesNotExist();
        assertThat(root.resolve("Packages/tool-1.0~rc1-1.x86_64.rpm")).doesNotExist();
        assertThat(root.resolve("Packages/tool-1.0^git1-1.x86_64.rpm")).exists();
        assertThat(repo.verify(Optional.empty()).ok()).isTrue();
    }

    @Test
    void removedPackagesAndOldMetadataGoOnePublicationLater() throws IOException {
        Path root = dir.resolve("repo");
        YumRepository repo = YumRepository.open(root, TestStaging.in(dir));
        repo.add(List.of(build("tool", "1.0", "x86_64"), build("tool", "1.1", "x86_64")));
        repo.publish(YumPublishOptions.at(T1));
        List<String> firstMetadata = listRepodata(root);

        assertThat(repo.remove("tool", Optional.of("1.0-1"))).extracting(YumPackage::nevra)
                .containsExactly("tool-1.0-1.x86_64");
        YumPublication second = repo.publish(YumPublishOptions.at(T2));
        assertThat(second.packages()).isEqualTo(1);
        assertThat(root.resolve("Packages/tool-1.0-1.x86_64.rpm")).exists();
        assertThat(listRepodata(root)).containsAll(firstMetadata).as("the previous repomd.xml's files stay");

        repo.publish(YumPublishOptions.at(T3));
        assertThat(root.resolve("Packages/tool-1.0-1.x86_64.rpm")).doesNotExist();
        assertThat(listRepodata(root)).doesNotContainAnyElementsOf(
                firstMetadata.stream().filter(name -> !name.startsWith("repomd")).toList());
        assertThat(listRepodata(root)).hasSize(4 + 3 - 3).as("repomd.xml, this and the previous generation")
                .contains("repomd.xml");
        assertThat(YumRepository.open(root, TestStaging.in(dir)).list()).extracting(YumPackage::nevra).containsExactly("tool-1.1-1.x86_64");
    }

    private static List<String> listRepodata(Path root) throws IOException {
        try (Stream<Path> files = Files.list(root.resolve("repodata"))) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aSignedRepomdVerifiesAndTheSameInputsGiveTheSameBytes() throws IOException {
        Path root = dir.resolve("repo");
        YumRepository repo = YumRepository.open(root, TestStaging.in(dir));
        repo.add(List.of(build("tool", "1.0", "x86_64")));
        OpenPgpSigner signer = new OpenPgpSigner(RpmSamples.releaseKey(), Clock.fixed(T1, ZoneOffset.UTC));
        repo.publish(YumPublishOptions.at(T1).withSigner(signer));
        byte[] repomd = Files.readAllBytes(root.resolve("repodata/repomd.xml"));
        byte[] asc = Files.readAllBytes(root.resolve("repodata/repomd.xml.asc"));

        try (InputStream key = Files.newInputStream(RpmSamples.PUBLIC_KEY);
                InputStream data = Files.newInputStream(root.resolve("repodata/repomd.xml"));
                InputStream sig = Files.newInputStream(root.resolve("repodata/repomd.xml.asc"))) {
            assertThat(OpenPgpVerifier.verifyDetached(key, data, sig).valid()).isTrue();
        }
        YumVerification verification = repo.verify(Optional.of(RpmSamples.PUBLIC_KEY));
        assertThat(verification.ok()).as(verification.problems().toString()).isTrue();
        assertThat(verification.signature()).isEqualTo("good");
        assertThat(verification.packages()).isEqualTo(1);
        assertThat(new String(repomd, StandardCharsets.UTF_8)).contains("<revision>" + T1.getEpochSecond() + "</revision>",
                "<timestamp>" + T1.getEpochSecond() + "</timestamp>");

        repo.publish(YumPublishOptions.at(T1).withSigner(signer));
        assertThat(Files.readAllBytes(root.resolve("repodata/repomd.xml"))).isEqualTo(repomd);
        assertThat(Files.readAllBytes(root.resolve("repodata/repomd.xml.asc"))).isEqualTo(asc);

        Files.writeString(root.resolve("repodata/repomd.xml"), new String(repomd, StandardCharsets.UTF_8)
                .replace("<revision>", "<revision>1"));
        assertThat(repo.verify(Optional.of(RpmSamples.PUBLIC_KEY)).signature()).startsWith("bad");
    }

    @Test
    void aFileThatIsNotAnRpmIsRefusedByName() throws IOException {
        Path fake = RpmSamples.write(dir.resolve("fake.rpm"), "<html>not found</html>\n".repeat(10));
        YumRepository repo = YumRepository.open(dir.resolve("repo"), TestStaging.in(dir));

        assertThatThrownBy(() -> repo.add(List.of(fake))).isInstanceOf(RpmFormatException.class)
                .hasMessage(fake + " is not an RPM package: bad lead magic 3c68746d (expected edabeedb)");
        Path truncated = dir.resolve("truncated.rpm");
        Files.write(truncated, Arrays.copyOf(Files.readAllBytes(build("tool", "1", "x86_64")), 200));
        assertThatThrownBy(() -> repo.add(List.of(truncated))).isInstanceOf(RpmFormatException.class)
                .hasMessageContaining(truncated + " is not a valid RPM: it ends inside its");
        assertThat(repo.list()).isEmpty();
        try (Stream<Path> left = Files.walk(dir.resolve("repo"))) {
            assertThat(left.map(p -> p.getFileName().toString())).as("no partial copies").noneMatch(n -> n.startsWith(".adding-"))
                    .doesNotContain(YumRepository.PACKAGES);
        }
    }

    @Test
    void addingADifferentFileUnderAPublishedNameIsRefused() throws IOException {
        YumRepository repo = YumRepository.open(dir.resolve("repo"), TestStaging.in(dir));
        repo.add(List.of(build("tool", "1.0", "x86_64")));
        repo.add(List.of(build("tool", "1.0", "x86_64"))).forEach(p -> assertThat(p.location()).isNotEmpty());
        var m = RpmSamples.small(dir.resolve("other-src"), "tool", "1.0", "x86_64");
        Path rebuilt = new RpmWriter().write(new dev.cutter.pkg.PackageMetadata(m.name(), m.version(), m.release(),
                m.architecture(), "another build", m.description(), m.maintainer(), m.homepage(), m.license(),
                m.section(), m.relations(), m.files(), m.scripts(), m.sourceDate()),
                Files.createDirectories(dir.resolve("rebuilt")), TestStaging.in(dir));
        // what add would refuse is told without adding: the same file is no conflict, the other build is
        assertThat(repo.conflicts(List.of(build("tool", "1.0", "x86_64")))).isEmpty();
        Path repomd = repo.root().resolve("repodata/repomd.xml");
        String before = Files.exists(repomd) ? Files.readString(repomd) : "";
        assertThat(repo.conflicts(List.of(rebuilt))).singleElement().asString()
                .contains(repo.root() + " (Packages/tool-1.0-1.x86_64.rpm) already holds tool-1.0-1.x86_64 with other contents");
        assertThat(Files.exists(repomd) ? Files.readString(repomd) : "").isEqualTo(before);
        assertThatThrownBy(() -> repo.add(List.of(rebuilt))).isInstanceOf(dev.cutter.pkg.PackageExistsException.class)
                .hasMessageContaining(rebuilt + ": " + repo.root() + " (Packages/tool-1.0-1.x86_64.rpm) already holds"
                        + " tool-1.0-1.x86_64 with other contents");
    }
}
