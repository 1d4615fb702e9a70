package dev.cutter.repo.remote;

import dev.cutter.testing.TestStaging;
import dev.cutter.testing.Sshd;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cutter.pkg.deb.SampleDebs;
import dev.cutter.repo.apt.AptPublishOptions;
import dev.cutter.repo.apt.AptRepository;
import dev.cutter.repo.apt.AptVerification;
import dev.cutter.sign.OpenPgpKey;
import dev.cutter.sign.OpenPgpSigner;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A signed apt repository built by AptRepository, published over SFTP twice, verified on the remote. */
class AptOverSftpTest {
    static final Instant DATE = Instant.parse("2030-06-01T12:34:56Z");

    @TempDir
    Path tmp;

    @Test
    void aPublishedAptRepositoryVerifiesOnTheRemoteAfterEachRelease() throws Exception {
        OpenPgpSigner signer;
        try (InputStream in = Files.newInputStream(Path.of("examples/km/keys/release-key.asc"))) {
            signer = new OpenPgpSigner(OpenPgpKey.read(in, new char[0]), Clock.fixed(DATE, ZoneOffset.UTC));
        }
        AptPublishOptions options = AptPublishOptions.defaults("Cutter Tests", DATE).withSigner(signer);
        Path in = Files.createDirectories(tmp.resolve("in"));
        Path local = tmp.resolve("repo");
        Path remote = tmp.resolve("mirror/repo");
        AptRepository repo = AptRepository.open(local, TestStaging.in(tmp));
        repo.add("stable", "main", List.of(SampleDebs.write(in, "hello", "1.0-1", "amd64"), SampleDebs.write(in, "zed", "3", "all")));
        repo.publish(options);

        try (Sshd sshd = Sshd.start(tmp.resolve("sshd"))) {
            SftpPublisher publisher = new SftpPublisher();
            SyncResult first = publisher.sync(local, sshd.target(remote), sshd.auth(), SyncOptions.defaults());
            assertThat(first.linked()).isEqualTo(1);
            assertRemoteVerifies(remote);

            repo.add("stable", "main", List.of(SampleDebs.write(in, "hello", "1.1-1", "amd64")));
            repo.remove("stable", "main", "zed", Optional.empty());
            repo.publish(options);
            SyncResult second = publisher.sync(local, sshd.target(remote), sshd.auth(), SyncOptions.defaults());
            assertThat(second.changes()).anyMatch(c -> c.startsWith("link dists/stable -> "));
            assertThat(second.changes()).anyMatch(c -> c.startsWith("delete pool/") && c.contains("zed"));
            assertThat(SftpPublisherTest.snapshot(remote)).isEqualTo(SftpPublisherTest.snapshot(local));
            assertRemoteVerifies(remote);
        }
    }

    private static void assertRemoteVerifies(Path remote) throws Exception {
        AptVerification v = AptRepository.open(remote, TestStaging.in(remote.getParent())).verify();
        assertThat(v.problems()).isEmpty();
        assertThat(v.ok()).isTrue();
    }
}
