package dev.cutter.kinds.validate;
import dev.cutter.run.jobs.Contexts;
import dev.cutter.run.jobs.Registries;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cutter.testing.TestStaging;
import dev.cutter.content.Digest;
import dev.cutter.plan.Action;
import dev.cutter.plan.Job;
import dev.cutter.release.Asset;
import dev.cutter.release.DirectoryStore;
import dev.cutter.release.ExistsPolicy;
import dev.cutter.release.ReleaseDraft;
import dev.cutter.run.JobFailure;
import dev.cutter.sign.OpenPgpKey;
import dev.cutter.sign.OpenPgpSigner;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The assets check reads every released asset back and trusts only digests, the checksums file and signatures. */
class AssetChecksTest {
    static final Path KEY = Path.of("examples/km/keys/release-key.asc").toAbsolutePath();

    @TempDir
    Path project;

    Contexts.Recording context;

    @BeforeEach
    void aSignedRelease() throws Exception {
        Path files = Files.createDirectories(project.resolve("files"));
        Path app = Files.writeString(files.resolve("app.tar.gz"), "the app\n");
        Path sums = Files.writeString(files.resolve("SHA256SUMS"), Digest.sha256(app).hex() + "  app.tar.gz\n");
        Path sig = files.resolve("SHA256SUMS.asc");
        OpenPgpKey key;
        try (InputStream in = Files.newInputStream(KEY)) {
            key = OpenPgpKey.read(in, new char[0]);
        }
        try (InputStream in = Files.newInputStream(sums); OutputStream out = Files.newOutputStream(sig)) {
            new OpenPgpSigner(key, Clock.fixed(key.created(), ZoneOffset.UTC)).detach(in, out);
        }
        List<Asset> assets = new ArrayList<>();
        for (Path p : List.of(app, sums, sig)) {
            assets.add(new Asset(p.getFileName().toString(), p, Digest.sha256(p), Files.size(p), Optional.empty()));
        }
        new DirectoryStore(project.resolve("store"), TestStaging.in(project)).publish(new ReleaseDraft("v1.2.3", "demo", "1.2.3", "stable", "v1.2.3",
                Optional.empty(), Instant.parse("2026-01-02T03:04:05Z"), assets, "", false, false), ExistsPolicy.FAIL);
        Job validate = new Job("validate/assets", "validate", "assets", List.of(), Map.of(), Optional.empty(),
                new Action.Validate("assets", Optional.empty(), Optional.empty(), Optional.empty(), Map.of(), Optional.empty()));
        context = new Contexts.Recording(project, validate, Map.of(),
                new Job("checksums/checksums", "checksums", "checksums", List.of(), Map.of(), Optional.empty(),
                        new Action.Checksums("SHA256SUMS", "sha256")),
                new Job("sign/checksums", "sign", "checksums", List.of(), Map.of(), Optional.empty(),
                        new Action.Sign("checksums", "detached", "${file:" + KEY + "}", Optional.empty())),
                new Job("release/store", "release", "store", List.of(), Map.of(), Optional.empty(),
                        new Action.Release("v1.2.3", "dir:store", List.of(), "fail", false, false, Optional.empty(), Optional.empty())));
    }

    @Test
    void aReleaseAsPublishedPasses() throws Exception {
        var outcome = Contexts.run(new ValidateJob(Map.of(), null, new Registries(null, Map.of()), null), context);

        assertThat(outcome.detail()).contains("3 assets in 1 releases match their digests, checksums and signatures");
    }

    @Test
    void aChangedAssetIsNamedWithItsDigestAndItsChecksumLine() throws Exception {
        Path stored = project.resolve("store/v1.2.3/app.tar.gz").toRealPath();
        stored.toFile().setWritable(true);
        Files.writeString(stored, "the app, changed on the server\n");

        assertThatThrownBy(() -> Contexts.run(new ValidateJob(Map.of(), null, new Registries(null, Map.of()), null), context)).isInstanceOf(JobFailure.class)
                .hasMessageContaining("v1.2.3/app.tar.gz is sha256:").hasMessageContaining("not sha256:")
                .hasMessageContaining("v1.2.3/app.tar.gz does not match its line in SHA256SUMS");
    }

    @Test
    void aSignatureByAnotherKeyOrOverOtherBytesFails() throws Exception {
        Path sums = project.resolve("store/v1.2.3/SHA256SUMS").toRealPath();
        sums.toFile().setWritable(true);
        Files.writeString(sums, Files.readString(sums) + "\n");

        assertThatThrownBy(() -> Contexts.run(new ValidateJob(Map.of(), null, new Registries(null, Map.of()), null), context)).isInstanceOf(JobFailure.class)
                .hasMessageContaining("v1.2.3/SHA256SUMS.asc is not a valid signature of SHA256SUMS");
    }
}
