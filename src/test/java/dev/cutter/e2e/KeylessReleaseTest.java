package dev.cutter.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutter.sigstore.SigstoreMock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A release whose files are signed keyless, against Fulcio and Rekor as {@code @sigstore/mock}
 * serves them (a fake of Sigstore's services, {@link SigstoreMock}): the archive's and the checksums
 * file's bundles are verified by sigstore-js for the token's identity, published with the release;
 * a release made again keeps them; a Fulcio refusing the token fails the release with its words.
 */
@Tag("e2e")
class KeylessReleaseTest {
    static final String ISSUER = "https://gitlab.example.org";
    static final String IDENTITY = "https://gitlab.example.org/acme/app//.gitlab-ci.yml@refs/tags/v1.0.0"; // as Fulcio names a GitLab CI job

    @TempDir
    Path tmp;

    @Test
    void theFilesAreSignedKeylessForTheCiIdentityAndVerifyWithSigstoreJs() throws Exception {
        try (SigstoreMock mock = SigstoreMock.start(Files.createDirectories(tmp.resolve("sigstore")))) {
            Path project = project(mock);
            String token = SigstoreMock.token(Map.of("iss", ISSUER, "sub", IDENTITY, "aud", "sigstore",
                    "exp", Instant.now().plusSeconds(600).getEpochSecond()));
            Map<String, String> env = Map.of("SOURCE_DATE_EPOCH", "1767323045", "CI_JOB_SIGSTORE", token);

            CutterProcess.Result release = CutterProcess.inProcess(project, env, "release", "--version", "1.0.0");
            assertThat(release.exit()).as(release.out() + release.err()).isZero();
            assertThat(release.out() + release.err()).doesNotContain(token);

            Path published = project.resolve("dist/releases/v1.0.0");
            for (String file : new String[] {"hello.tar.gz", "SHA256SUMS"}) {
                Path bundle = published.resolve(file + ".sigstore.json");
                assertThat(bundle).exists();
                SigstoreMock.Verdict verdict = mock.verify(bundle, published.resolve(file), IDENTITY, ISSUER);
                assertThat(verdict.verified()).as(verdict.output()).isTrue();
            }
            assertThat(mock.verify(published.resolve("hello.tar.gz.sigstore.json"), published.resolve("SHA256SUMS"), IDENTITY, ISSUER)
                    .verified()).isFalse();
            assertThat(mock.requests("/api/v2/signingCert")).isEqualTo(1);
            // one entry per file signed: the archive, the checksums file and the archives' two SBOMs (CycloneDX, SPDX)
            assertThat(mock.requests("/api/v1/log/entries")).isEqualTo(4);
            try (var bundles = Files.list(published)) {
                assertThat(bundles.filter(f -> f.getFileName().toString().endsWith(".sigstore.json")).count()).isEqualTo(4);
            }

            // cutter verify checks key-based bundles only: a keyless one is not taken for a key's, and is said to be left to cosign
            CutterProcess.Result verify = CutterProcess.inProcess(project, env, "verify", "--version", "1.0.0");
            assertThat(verify.exit()).as(verify.out() + verify.err()).isZero();
            assertThat(verify.out() + verify.err()).contains("keyless");

            byte[] before = Files.readAllBytes(published.resolve("hello.tar.gz.sigstore.json"));
            CutterProcess.Result again = CutterProcess.inProcess(project, env, "release", "--version", "1.0.0");
            assertThat(again.exit()).as(again.out() + again.err()).isZero();
            assertThat(Files.readAllBytes(published.resolve("hello.tar.gz.sigstore.json"))).isEqualTo(before);
            assertThat(mock.requests("/api/v2/signingCert")).isEqualTo(1);

            mock.fail("/api/v2/signingCert", 401, 1, Map.of("Content-Type", "application/json"),
                    "{\"code\":401,\"message\":\"There was an error processing the identity token\"}");
            Files.writeString(project.resolve("hello.txt"), "hello again\n");
            CutterProcess.Result refused = CutterProcess.inProcess(project, env, "release", "--version", "1.0.1");
            assertThat(refused.exit()).as(refused.out() + refused.err()).isEqualTo(4);
            assertThat(refused.out() + refused.err()).contains("hello.tar.gz: keyless signing failed: Fulcio could not issue a signing"
                    + " certificate: POST " + mock.url + "/api/v2/signingCert answered 401 (There was an error processing the identity token)");
        }
    }
    /**
     * A pull request's build signs nothing keyless: no certificate asked of Fulcio, no entry in
     * Rekor's log, no token needed, no bundle written (a keyless signature is the release's).
     */
    @Test
    void aBuildOnlyRunAsksFulcioAndRekorNothingAndNeedsNoToken() throws Exception {
        try (SigstoreMock mock = SigstoreMock.start(Files.createDirectories(tmp.resolve("sigstore")))) {
            Path project = project(mock);

            CutterProcess.Result build = CutterProcess.inProcess(project, Map.of("SOURCE_DATE_EPOCH", "1767323045"),
                    "release", "--build-only", "--version", "0.0.0-pr.7");

            assertThat(build.exit()).as(build.out() + build.err()).isZero();
            assertThat(mock.requests("/api/v2/signingCert")).isZero();
            assertThat(mock.requests("/api/v1/log/entries")).isZero();
            try (var files = Files.walk(project)) {
                assertThat(files.filter(f -> f.getFileName().toString().endsWith(".sigstore.json")).toList()).isEmpty();
            }
        }
    }

    /** A project whose archive and checksums file are signed keyless by {@code mock}'s Fulcio and Rekor. */
    private Path project(SigstoreMock mock) throws java.io.IOException {
        Path project = Files.createDirectories(tmp.resolve("app"));
        Files.writeString(project.resolve("hello.txt"), "hello\n");
        Files.writeString(project.resolve("cutter.yaml"), """
                project: app
                archives:
                  - { id: hello, name: hello.tar.gz, format: tar.gz, files: [ { src: hello.txt } ] }
                checksums: true
                releases:
                  - { id: store, name: "v{version}", store: "dir:dist/releases" }
                attestations:
                  provenance: false
                  signatures:
                    keyless: { fulcio: "%s", rekor: "%s", identity-token: CI_JOB_SIGSTORE }
                """.formatted(mock.url, mock.url));
        return project;
    }
}
