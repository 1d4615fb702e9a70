package dev.cutter.repo.apt;

import dev.cutter.testing.TestStaging;
import dev.cutter.testing.StaticServer;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cutter.pkg.deb.Run;
import dev.cutter.pkg.deb.SampleDebs;
import dev.cutter.testing.Tools;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real apt client against a published repository served over HTTP on a loopback port. */
@Tag("e2e")
class AptGetTest {
    private static final Path PUBLIC_KEY = Path.of("examples/km/keys/release-key.pub.asc");

    @TempDir
    Path tmp;

    private AptRepository repository() throws IOException {
        Path in = Files.createDirectories(tmp.resolve("in"));
        AptRepository repo = AptRepository.open(tmp.resolve("repo"), TestStaging.in(tmp));
        repo.add("stable", "main", List.of(SampleDebs.write(in, "hello", "1.0", "amd64"),
                SampleDebs.write(in, "hello", "1.1", "amd64"), SampleDebs.write(in, "hello", "1.1", "arm64"),
                SampleDebs.write(in, "hello-data", "1.1", "all")));
        repo.publish(AptRepositoryTest.options());
        return repo;
    }

    private AptGet client(StaticServer server, Path keyring) throws IOException {
        // apt takes an armored keyring in signed-by when its name ends in .asc
        Path asc = tmp.resolve("client-" + System.nanoTime() + "-key.asc");
        Files.copy(keyring, asc);
        return new AptGet(Files.createDirectories(tmp.resolve("client-" + System.nanoTime())), server.url(), asc);
    }

    @Test
    void aptUpdatesAndDownloadsFromTheSignedRepository() throws IOException {
        AptRepository repo = repository();
        try (StaticServer server = new StaticServer(repo.root())) {
            AptGet apt = client(server, PUBLIC_KEY);
            Run.Result update = apt.run("apt-get", "update");
            assertThat(update.exit()).as(update.all()).isZero();
            assertThat(update.all()).doesNotContain("W:", "E:");
            assertThat(server.requests).contains("GET /dists/stable/InRelease")
                    .anyMatch(r -> r.matches("GET /dists/stable/main/binary-amd64/by-hash/SHA\\d+/[0-9a-f]+"))
                    .noneMatch(r -> r.contains("binary-arm64"));

            Run.Result policy = apt.run("apt-cache", "policy", "hello", "hello-data");
            assertThat(policy.ok().out()).contains("Candidate: 1.1").contains("1.0 500");
            Run.Result download = apt.run("apt-get", "download", "hello", "hello-data", "hello=1.0");
            assertThat(download.exit()).as(download.all()).isZero();
            for (AptPackage p : repo.list("stable", "main")) {
                if (!p.architecture().equals("arm64")) {
                    Path downloaded = apt.downloads().resolve(p.filename().substring(p.filename().lastIndexOf('/') + 1));
                    assertThat(downloaded).as(p.filename()).hasSameBinaryContentAs(repo.root().resolve(p.filename()));
                }
            }
        }
    }

    @Test
    void aTamperedPackagesFileFailsWithAHashMismatch() throws IOException {
        AptRepository repo = repository();
        // one byte of every Packages file changed after signing (in place: the by-hash names are links to it)
        for (AptCompression c : AptCompression.values()) {
            Path file = repo.root().resolve("dists/stable/main/binary-amd64/Packages" + c.suffix());
            try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
                raf.seek(raf.length() - 2);
                int b = raf.read();
                raf.seek(raf.length() - 2);
                raf.write(b ^ 0x01);
            }
        }
        try (StaticServer server = new StaticServer(repo.root())) {
            Run.Result update = client(server, PUBLIC_KEY).run("apt-get", "update");
            assertThat(update.exit()).as(update.all()).isNotZero();
            assertThat(update.all()).contains("Hash Sum mismatch");
        }
    }

    @Test
    void aRepositorySignedByAnotherKeyIsRefused() throws IOException {
        AptRepository repo = repository();
        try (StaticServer server = new StaticServer(repo.root())) {
            Run.Result update = client(server, otherPublicKey()).run("apt-get", "update");
            assertThat(update.exit()).as(update.all()).isNotZero();
            assertThat(update.all()).contains("NO_PUBKEY").contains("is not signed");
        }
    }

    /**
     * A client that read InRelease just before a publication asks for the old indexes by hash
     * after the switch: it still gets them, and a consistent view of the old state; the next
     * update sees the new one.
     */
    @Test
    void aClientMidUpdateSeesOneConsistentGeneration() throws IOException {
        AptRepository repo = repository();
        Path in = tmp.resolve("in");
        Path newer = SampleDebs.write(in, "hello", "2.0", "amd64");
        try (StaticServer server = new StaticServer(repo.root())) {
            AptGet apt = client(server, PUBLIC_KEY);
            server.afterServing("/dists/stable/InRelease", path -> {
                try {
                    repo.add("stable", "main", List.of(newer));
                    repo.publish(AptRepositoryTest.options().withDate(AptRepositoryTest.DATE.plusSeconds(60)));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            Run.Result update = apt.run("apt-get", "update");
            assertThat(update.exit()).as(update.all()).isZero();
            assertThat(update.all()).doesNotContain("W:", "E:", "mismatch");
            assertThat(repo.list("stable", "main")).anyMatch(p -> p.version().equals("2.0"));
            assertThat(apt.run("apt-cache", "policy", "hello").ok().out()).as("the old generation, whole")
                    .contains("Candidate: 1.1");

            Run.Result again = apt.run("apt-get", "update");
            assertThat(again.exit()).as(again.all()).isZero();
            assertThat(apt.run("apt-cache", "policy", "hello").ok().out()).contains("Candidate: 2.0");
        }
    }

    /** An Ed25519 public key that did not sign the repository, made by gpg in a throwaway home. */
    private Path otherPublicKey() throws IOException {
        Tools.require("gpg", "gnupg");
        Path home = Files.createDirectories(tmp.resolve("gnupg"));
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx------"));
        Map<String, String> env = Map.of("GNUPGHOME", home.toString());
        Run.run(List.of("gpg", "--batch", "--passphrase", "", "--quick-gen-key", "Other <other@example.org>", "ed25519",
                "sign", "never"), env, null).ok();
        Path key = tmp.resolve("other.pub.asc");
        Files.writeString(key, Run.run(List.of("gpg", "--batch", "--armor", "--export", "other@example.org"), env, null)
                .ok().out());
        Run.run(List.of("gpgconf", "--kill", "all"), env, null);
        return key;
    }
}
