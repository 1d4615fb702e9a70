package dev.cutter.repo.yum;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutter.testing.TestStaging;
import dev.cutter.pkg.PackageMetadata;
import dev.cutter.pkg.rpm.PayloadCompression;
import dev.cutter.pkg.rpm.RpmSamples;
import dev.cutter.pkg.rpm.RpmSigner;
import dev.cutter.pkg.rpm.RpmWriter;
import dev.cutter.sign.OpenPgpKey;
import dev.cutter.sign.OpenPgpSigner;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** dnf 4 (librepo, libsolv) reads what {@link YumRepository} publishes, and refuses it when it was tampered with. */
@Tag("e2e")
class DnfClientTest {
    @TempDir
    Path dir;

    private Path repository(MetadataCompression compression, OpenPgpKey repomdKey) throws IOException {
        Path out = Files.createDirectories(dir.resolve("built"));
        RpmWriter writer = new RpmWriter(PayloadCompression.XZ,
                Optional.of(new RpmSigner(RpmSamples.releaseKey(), Clock.systemUTC())));
        Path one = writer.write(noDependencies("hello", "1.0"), out, TestStaging.in(dir));
        Path two = writer.write(noDependencies("hello", "1.1~rc1"), out, TestStaging.in(dir));
        Path root = dir.resolve("repo");
        YumRepository repo = YumRepository.open(root, TestStaging.in(dir));
        repo.add(List.of(one, two));
        repo.publish(YumPublishOptions.at(Instant.now()).withCompression(compression)
                .withSigner(new OpenPgpSigner(repomdKey, Clock.systemUTC())));
        return root;
    }

    private PackageMetadata noDependencies(String name, String version) throws IOException {
        PackageMetadata m = RpmSamples.small(dir.resolve("src"), name, version, "x86_64");
        return new PackageMetadata(m.name(), m.version(), m.release(), m.architecture(), m.summary(), m.description(),
                m.maintainer(), m.homepage(), m.license(), m.section(), Map.of(), m.files(), m.scripts(),
                m.sourceDate());
    }

    @Test
    void dnfVerifiesTheSignedMetadataAndDownloadsTheNewestPackage() throws IOException {
        Path root = repository(MetadataCompression.GZIP, RpmSamples.releaseKey());
        try (Dnf dnf = new Dnf(root, dir.resolve("dnf"), true)) {
            RpmSamples.Result cache = dnf.run("makecache");
            assertThat(cache.exit()).as(cache.output()).isZero();

            Path downloads = dir.resolve("downloads");
            RpmSamples.Result install = dnf.run("install", "--downloadonly", "--downloaddir=" + downloads, "hello");
            assertThat(install.exit()).as(install.output()).isZero();
            try (Stream<Path> files = Files.list(downloads)) {
                assertThat(files.map(p -> p.getFileName().toString()).toList())
                        .containsExactly("hello-1.1~rc1-1.x86_64.rpm").as("1.0 < 1.1~rc1");
            }
            RpmSamples.Result list = dnf.run("list", "--available", "--showduplicates", "hello");
            assertThat(list.output()).contains("1.0-1", "1.1~rc1-1");
        }
    }

    @Test
    void dnfReadsZstdMetadata() throws IOException {
        Path root = repository(MetadataCompression.ZSTD, RpmSamples.releaseKey());
        try (Dnf dnf = new Dnf(root, dir.resolve("dnf"), true)) {
            RpmSamples.Result cache = dnf.run("makecache");
            assertThat(cache.exit()).as(cache.output()).isZero();
            RpmSamples.Result list = dnf.run("list", "--available", "hello");
            assertThat(list.exit()).as(list.output()).isZero();
            assertThat(list.output()).contains("1.1~rc1-1");
        }
    }

    @Test
    void aPrimaryChangedAfterSigningMakesDnfFail() throws IOException {
        Path root = repository(MetadataCompression.GZIP, RpmSamples.releaseKey());
        Path primary;
        try (Stream<Path> files = Files.list(root.resolve("repodata"))) {
            primary = files.filter(p -> p.toString().endsWith("-primary.xml.gz")).findFirst().orElseThrow();
        }
        String xml;
        try (GZIPInputStream in = new GZIPInputStream(Files.newInputStream(primary))) {
            xml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(primary))) {
            out.write(xml.replace("Package hello", "Package h3llo").getBytes(StandardCharsets.UTF_8));
        }
        try (Dnf dnf = new Dnf(root, dir.resolve("dnf"), true)) {
            RpmSamples.Result cache = dnf.run("makecache");
            assertThat(cache.exit()).as(cache.output()).isNotZero();
            assertThat(cache.output()).containsIgnoringCase("checksum");
        }
    }

    @Test
    void aRepomdSignedByAnotherKeyMakesDnfFail() throws IOException {
        Path root = repository(MetadataCompression.GZIP, otherKey());
        try (Dnf dnf = new Dnf(root, dir.resolve("dnf"), true)) {
            RpmSamples.Result cache = dnf.run("makecache");
            assertThat(cache.exit()).as(cache.output()).isNotZero();
            assertThat(cache.output()).containsIgnoringCase("repomd.xml GPG signature verification error");
        }
    }

    /** A second Ed25519 key, made by gpg in a throwaway home. */
    private OpenPgpKey otherKey() throws IOException {
        Path home = Files.createDirectories(dir.resolve("gnupg"));
        Files.setPosixFilePermissions(home, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        RpmSamples.ok("gpg", "--homedir", home.toString(), "--batch", "--pinentry-mode", "loopback", "--passphrase",
                "", "--quick-gen-key", "Other <other@example.org>", "ed25519", "sign", "never");
        String secret = RpmSamples.ok("gpg", "--homedir", home.toString(), "--batch", "--armor",
                "--export-secret-keys", "other@example.org");
        RpmSamples.run("gpgconf", "--homedir", home.toString(), "--kill", "all");
        return OpenPgpKey.read(new ByteArrayInputStream(secret.getBytes(StandardCharsets.US_ASCII)), new char[0]);
    }
}
