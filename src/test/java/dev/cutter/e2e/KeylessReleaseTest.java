package dev.cutter.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cutter.content.Digest;
import dev.cutter.oci.Credentials;
import dev.cutter.oci.Descriptor;
import dev.cutter.oci.MediaTypes;
import dev.cutter.oci.Referrers;
import dev.cutter.oci.RegistryClient;
import dev.cutter.oci.RegistryTarget;
import dev.cutter.oci.Repository;
import dev.cutter.sigstore.CosignSignatures;
import dev.cutter.sigstore.SigstoreMock;
import dev.cutter.sigstore.SimpleSigning;
import dev.cutter.testing.LocalRegistry;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final RegistryClient CLIENT = new RegistryClient(HttpClient.newHttpClient(), Credentials.none(), Set.of());

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
     * An image released keyless to a loopback docker-registry: the index and its platform manifest
     * carry cosign's keyless signature (certificate, chain and Rekor entry in the layer's
     * annotations, under the {@code .sig} tag and as a referrer), which sigstore-js verifies over
     * its payload for the token's identity; {@code cutter verify} checks them and the files' bundles
     * against the spec's trusted root, identity and issuer, and fails (exit 1) once the index's
     * signature is tampered with in the registry.
     */
    @Test
    void anImageIsSignedKeylessAndCutterVerifyChecksItsSignatures() throws Exception {
        try (SigstoreMock mock = SigstoreMock.start(Files.createDirectories(tmp.resolve("sigstore")));
                LocalRegistry registry = LocalRegistry.start()) {
            Path project = Files.createDirectories(tmp.resolve("img"));
            Files.writeString(project.resolve("hello.txt"), "hello\n");
            Files.createDirectories(project.resolve("sigstore"));
            Files.copy(mock.trustedRoot, project.resolve("sigstore/trusted_root.json"));
            Files.writeString(project.resolve("cutter.yaml"), """
                    project: app
                    registries:
                      r: { url: "%s" }
                    images:
                      - id: app
                        platforms: [linux/amd64]
                        from: scratch
                        files: { /srv/hello.txt: hello.txt }
                        push: r/acme/app
                        tags: [ "{version}" ]
                    archives:
                      - { id: hello, name: hello.tar.gz, format: tar.gz, files: [ { src: hello.txt } ] }
                    releases:
                      - { id: store, name: "v{version}", store: "dir:dist/releases" }
                    attestations:
                      provenance: false
                      signatures:
                        keyless:
                          fulcio: "%s"
                          rekor: "%s"
                          identity-token: CI_JOB_SIGSTORE
                          trusted-root: sigstore/trusted_root.json
                          identity: "https://gitlab.example.org/acme/app//.gitlab-ci.yml@refs/tags/v{version}"
                          issuer: "%s"
                    """.formatted(registry.address(), mock.url, mock.url, ISSUER));
            String token = SigstoreMock.token(Map.of("iss", ISSUER, "sub", IDENTITY, "aud", "sigstore",
                    "exp", Instant.now().plusSeconds(600).getEpochSecond()));
            Map<String, String> env = Map.of("SOURCE_DATE_EPOCH", "1767323045", "CI_JOB_SIGSTORE", token);

            CutterProcess.Result release = CutterProcess.inProcess(project, env, "release", "--version", "1.0.0");
            assertThat(release.exit()).as(release.out() + release.err()).isZero();

            Repository repo = Repository.parse(registry.address() + "/acme/app");
            RegistryTarget target = new RegistryTarget(CLIENT, repo);
            Digest index = CLIENT.headManifest(repo, "1.0.0").orElseThrow().digest();
            JsonNode indexJson = JSON.readTree(CLIENT.getManifest(repo, index.toString()).orElseThrow().bytes());
            Digest amd64 = Digest.parse(indexJson.path("manifests").get(0).path("digest").asText());
            for (Digest subject : List.of(index, amd64)) {
                List<CosignSignatures.Signature> signatures = CosignSignatures.read(target, subject);
                assertThat(signatures).hasSize(1);
                CosignSignatures.Signature signature = signatures.get(0);
                assertThat(signature.keyless()).isTrue();
                assertThat(SimpleSigning.parse(signature.payload())).isEqualTo(new SimpleSigning(repo.toString(), subject));
                Path payload = Files.write(tmp.resolve(subject.hex() + ".payload.json"), signature.payload());
                Path bundle = Files.write(tmp.resolve(subject.hex() + ".sigstore.json"), SigstoreMock.cosignBundle(signature));
                SigstoreMock.Verdict verdict = mock.verify(bundle, payload, IDENTITY, ISSUER);
                assertThat(verdict.verified()).as(verdict.output()).isTrue();
                assertThat(Referrers.list(target, subject)).extracting(Referrers.Referrer::artifactType)
                        .contains(CosignSignatures.ARTIFACT_TYPE);
            }
            SigstoreMock.Verdict archive = mock.verify(project.resolve("dist/releases/v1.0.0/hello.tar.gz.sigstore.json"),
                    project.resolve("dist/releases/v1.0.0/hello.tar.gz"), IDENTITY, ISSUER);
            assertThat(archive.verified()).as(archive.output()).isTrue();

            CutterProcess.Result verify = CutterProcess.inProcess(project, env, "verify", "--version", "1.0.0");
            assertThat(verify.exit()).as(verify.out() + verify.err()).isZero();
            assertThat(verify.out() + verify.err()).contains("2 image manifests' cosign signatures and 3 files' Sigstore bundles verify"
                    + " (keyless, for " + IDENTITY + " (issuer " + ISSUER + "))");

            // released again: the signatures and bundles the spec's trusted root and identity accept stay, Fulcio is asked nothing
            byte[] bundleBefore = Files.readAllBytes(project.resolve("dist/releases/v1.0.0/hello.tar.gz.sigstore.json"));
            int certificates = mock.requests("/api/v2/signingCert"); // one per attest job: the image's and the files'
            assertThat(certificates).isEqualTo(2);
            CutterProcess.Result again = CutterProcess.inProcess(project, env, "release", "--version", "1.0.0");
            assertThat(again.exit()).as(again.out() + again.err()).isZero();
            assertThat(mock.requests("/api/v2/signingCert")).as(again.out() + again.err()).isEqualTo(certificates);
            assertThat(CosignSignatures.read(target, index)).hasSize(1);
            assertThat(Files.readAllBytes(project.resolve("dist/releases/v1.0.0/hello.tar.gz.sigstore.json"))).isEqualTo(bundleBefore);

            // the index's signature with one bit flipped, written back under its tag
            Descriptor sig = target.resolve(CosignSignatures.tag(index)).orElseThrow();
            ObjectNode manifest = (ObjectNode) JSON.readTree(target.getManifest(sig.digest()).orElseThrow());
            ObjectNode annotations = (ObjectNode) manifest.path("layers").get(0).path("annotations");
            byte[] bits = Base64.getDecoder().decode(annotations.path(CosignSignatures.ANNOTATION).asText());
            bits[bits.length - 1] ^= 1;
            annotations.put(CosignSignatures.ANNOTATION, Base64.getEncoder().encodeToString(bits));
            byte[] tampered = JSON.writeValueAsBytes(manifest);
            Descriptor descriptor = new Descriptor(MediaTypes.OCI_MANIFEST, Digest.sha256(tampered), tampered.length);
            target.putManifest(descriptor, tampered);
            target.tag(CosignSignatures.tag(index), descriptor, tampered);

            CutterProcess.Result refused = CutterProcess.inProcess(project, env, "verify", "--version", "1.0.0");
            assertThat(refused.exit()).as(refused.out() + refused.err()).isEqualTo(1);
            assertThat(refused.out() + refused.err()).contains(repo + "@" + index + ": no cosign signature by the identity " + IDENTITY
                    + " (issuer " + ISSUER + ") of this manifest (tag " + CosignSignatures.tag(index) + " holds one that is refused: its"
                    + " signature does not verify over " + Digest.sha256(SimpleSigning.parse(CosignSignatures.read(target, index).get(0)
                    .payload()).bytes()) + " with its certificate's key)");
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
