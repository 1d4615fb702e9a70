package dev.cutter.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cutter.attest.Dsse;
import dev.cutter.attest.EnvelopeSigner;
import dev.cutter.attest.Provenance;
import dev.cutter.content.Digest;
import dev.cutter.oci.AssembledImage;
import dev.cutter.oci.Credentials;
import dev.cutter.oci.Descriptor;
import dev.cutter.oci.ImageAssembler;
import dev.cutter.oci.ImageConfig;
import dev.cutter.oci.LayerBuilder;
import dev.cutter.oci.MediaTypes;
import dev.cutter.oci.OciLayout;
import dev.cutter.oci.Platform;
import dev.cutter.oci.Pusher;
import dev.cutter.oci.Referrers;
import dev.cutter.oci.RegistryClient;
import dev.cutter.oci.RegistryTarget;
import dev.cutter.oci.Repository;
import dev.cutter.sbom.CycloneDx;
import dev.cutter.sign.OpenPgpKey;
import dev.cutter.sigstore.CosignSignatures;
import dev.cutter.sigstore.SigstoreBundle;
import dev.cutter.testing.LocalRegistry;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code check: attestations} and {@code cutter verify} against what a release attached in
 * docker-registry (which has no referrers API: the {@code sha256-<hex>} fallback tags): a clean
 * release (pushed and replicated) verifies, with and without its ledger; then the release key
 * swapped; a platform's cosign signature taken away (in the push repository and the replica), the index's replaced by another key's, a platform's pointed at the
 * index's, the archive's Sigstore bundle replaced by the checksums file's and that one removed; a
 * provenance of another run grafted on, an SBOM whose file digest was changed, and a platform's
 * referrers emptied each fail the verification (exit 1) with a message naming what and where.
 */
@Tag("e2e")
class AttestationCheckTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final RegistryClient CLIENT = new RegistryClient(HttpClient.newHttpClient(), Credentials.none(), Set.of());

    @TempDir
    Path tmp;

    @Test
    void verifyChecksSignaturesProvenanceAndSbomsAndNamesEachTampering() throws Exception {
        try (LocalRegistry registry = LocalRegistry.start()) {
            pushBase(registry);
            Path project = Files.createDirectories(tmp.resolve("app"));
            Files.writeString(project.resolve("hello.txt"), "hello\n");
            Files.createDirectories(project.resolve("keys"));
            Files.copy(Path.of("examples/km/keys/release-key.asc"), project.resolve("keys/release-key.asc"));
            Files.writeString(project.resolve("cutter.yaml"), """
                    project: app
                    registries:
                      r: { url: "%s" }
                    images:
                      - id: app
                        platforms: [linux/amd64, linux/arm64]
                        from: "%s/base/deb:1"
                        files: { /srv/hello.txt: hello.txt }
                        push: r/acme/app
                        tags: [ "{version}" ]
                    replicate:
                      - { image: app, to: [ r/mirror/app ] }
                    archives:
                      - id: hello
                        name: "hello-{version}.tar.gz"
                        format: tar.gz
                        files: [ { src: hello.txt } ]
                    checksums:
                      name: SHA256SUMS
                    releases:
                      - id: store
                        name: "v{version}"
                        store: "dir:dist/releases"
                    attestations:
                      key: "${file:keys/release-key.asc}"
                    validate:
                      - { id: attested, check: attestations }
                    """.formatted(registry.address(), registry.address()));
            Map<String, String> env = Map.of("SOURCE_DATE_EPOCH", "1767323045");
            String sha = "0123456789abcdef0123456789abcdef01234567";

            // the release runs the check itself, then verify runs it again from the ledger's record
            CutterProcess.Result release = CutterProcess.inProcess(project, env, "release", "--version", "2.0.0", "--sha", sha);
            assertThat(release.exit()).as(release.out() + release.err()).isZero();
            assertThat(release.out()).contains("validate/attested");
            CutterProcess.Result verified = CutterProcess.inProcess(project, env, "verify", "--version", "2.0.0", "--sha", sha);
            assertThat(verified.exit()).as(verified.out() + verified.err()).isZero();
            assertThat(verified.out()).contains("attestations of 2 published images and 1 archives and packages are signed by the"
                    + " release key").contains("6 image manifests' cosign signatures and 5 files' Sigstore bundles verify against it")
                    .doesNotContain("note:");

            // without the ledger, what the registry holds is checked and the detail says what is not
            Path ledger = project.resolve(".cutter/ledger.db");
            Path kept = tmp.resolve("ledger.db");
            Files.move(ledger, kept);
            CutterProcess.Result alone = CutterProcess.inProcess(project, env, "verify", "--version", "2.0.0", "--sha", sha);
            assertThat(alone.exit()).as(alone.out() + alone.err()).isZero();
            assertThat(alone.out()).contains("attestations of 2 published images")
                    .contains("6 image manifests' cosign signatures verify against it").contains("is not in this ledger")
                    .contains("only the release's record in a ledger locates");
            // nor the secret key: the release's published public key checks the signatures
            Path key = project.resolve("keys/release-key.asc");
            Files.move(key, tmp.resolve("release-key.asc"));
            CutterProcess.Result noSecret = CutterProcess.inProcess(project, env, "verify", "--version", "2.0.0", "--sha", sha);
            assertThat(noSecret.exit()).as(noSecret.out() + noSecret.err()).isNotZero();
            assertThat(noSecret.out() + noSecret.err()).contains("keys/release-key.asc");
            CutterProcess.Result publicKey = CutterProcess.inProcess(project, env, "verify", "--version", "2.0.0", "--sha", sha,
                    "--key", "dist/releases/v2.0.0/app-2.0.0.pub.pem");
            assertThat(publicKey.exit()).as(publicKey.out() + publicKey.err()).isZero();
            assertThat(publicKey.out()).contains("attestations of 2 published images")
                    .contains("6 image manifests' cosign signatures");
            Files.move(tmp.resolve("release-key.asc"), key);
            Files.move(kept, ledger, StandardCopyOption.REPLACE_EXISTING);

            // another key than the one that signed: every envelope fails, named by where it is
            Files.copy(key, tmp.resolve("release-key.asc"));
            Files.copy(Path.of("examples/veilid/keys/repo-key.asc"), key, StandardCopyOption.REPLACE_EXISTING);
            CutterProcess.Result wrongKey = CutterProcess.inProcess(project, env, "verify", "--version", "2.0.0", "--sha", sha);
            assertThat(wrongKey.exit()).as(wrongKey.out() + wrongKey.err()).isEqualTo(1);
            var repo = Repository.parse(registry.address() + "/acme/app");
            Digest index = CLIENT.headManifest(repo, "2.0.0").orElseThrow().digest();
            assertThat(wrongKey.out()).contains(repo + "@" + index + " provenance sha256:")
                    .contains("does not verify against the release key")
                    .contains("dist/app-2.0.0.intoto.jsonl: its provenance's signature");
            Files.copy(tmp.resolve("release-key.asc"), key, StandardCopyOption.REPLACE_EXISTING);

            // the signatures: the arm64 manifest's .sig tag pointed at a manifest without one, the index's holding only
            // another key's, the amd64 manifest's tag pointed at the index's (the release key's, of another digest); the
            // archive's Sigstore bundle replaced by the checksums file's, and that one taken away
            RegistryTarget target = new RegistryTarget(CLIENT, repo);
            JsonNode indexJson = JSON.readTree(CLIENT.getManifest(repo, index.toString()).orElseThrow().bytes());
            Digest amd64 = Digest.parse(indexJson.path("manifests").get(0).path("digest").asText());
            long amd64Size = indexJson.path("manifests").get(0).path("size").asLong();
            Digest arm64 = Digest.parse(indexJson.path("manifests").get(1).path("digest").asText());
            Descriptor indexDescriptor = new Descriptor(MediaTypes.OCI_INDEX, index, CLIENT.getManifest(repo, index.toString())
                    .orElseThrow().bytes().length);
            Map<Digest, Descriptor> signatures = new java.util.LinkedHashMap<>();
            for (Digest d : List.of(index, amd64, arm64)) {
                signatures.put(d, target.resolve(CosignSignatures.tag(d)).orElseThrow());
            }
            Descriptor arm64Sbom = Referrers.list(target, arm64).stream().filter(r -> r.artifactType().equals(CycloneDx.MEDIA_TYPE))
                    .findFirst().orElseThrow().manifest();
            byte[] arm64SbomBytes = target.getManifest(arm64Sbom.digest()).orElseThrow();
            target.tag(CosignSignatures.tag(arm64), arm64Sbom, arm64SbomBytes);
            target.tag(CosignSignatures.tag(index), arm64Sbom, arm64SbomBytes);
            try (var in = Files.newInputStream(Path.of("examples/veilid/keys/repo-key.asc"))) {
                OpenPgpKey otherKey = OpenPgpKey.read(in, new char[0]);
                CosignSignatures.attach(target, indexDescriptor, repo.toString(), EnvelopeSigner.of(otherKey.fingerprint(),
                        otherKey.keyPair()));
            }
            var mirror = Repository.parse(registry.address() + "/mirror/app");
            RegistryTarget mirrorTarget = new RegistryTarget(CLIENT, mirror);
            Descriptor mirrorArm64Signature = mirrorTarget.resolve(CosignSignatures.tag(arm64)).orElseThrow();
            mirrorTarget.tag(CosignSignatures.tag(arm64), arm64Sbom, arm64SbomBytes);
            Descriptor indexSignature = signatures.get(index);
            target.tag(CosignSignatures.tag(amd64), indexSignature, target.getManifest(indexSignature.digest()).orElseThrow());
            Path dist = project.resolve("dist");
            Path archiveBundle = dist.resolve("hello-2.0.0.tar.gz" + SigstoreBundle.SUFFIX);
            Path sumsBundle = dist.resolve("SHA256SUMS" + SigstoreBundle.SUFFIX);
            byte[] archiveBundleBytes = Files.readAllBytes(archiveBundle);
            byte[] sumsBundleBytes = Files.readAllBytes(sumsBundle);
            Files.write(archiveBundle, sumsBundleBytes);
            Files.delete(sumsBundle);
            // the SBOM's and the statement's bundles are checked as the archive's: the statement's removed
            Path statementBundle = dist.resolve("app-2.0.0.intoto.jsonl" + SigstoreBundle.SUFFIX);
            byte[] statementBundleBytes = Files.readAllBytes(statementBundle);
            Files.delete(statementBundle);
            CutterProcess.Result unsigned = CutterProcess.inProcess(project, env, "verify", "--version", "2.0.0", "--sha", sha);
            assertThat(unsigned.exit()).as(unsigned.out() + unsigned.err()).isEqualTo(1);
            assertThat(unsigned.out())
                    .contains(repo + "@" + arm64 + " (linux/arm64) has no cosign signature (tag " + CosignSignatures.tag(arm64) + ")")
                    .contains(mirror + "@" + arm64 + " (linux/arm64) has no cosign signature")
                    .contains(repo + "@" + index + ": no cosign signature by the release key of this manifest (tag "
                            + CosignSignatures.tag(index) + " holds one that does not verify against the release key)")
                    .contains(repo + "@" + amd64 + " (linux/amd64): no cosign signature by the release key of this manifest (tag "
                            + CosignSignatures.tag(amd64) + " holds one by the release key whose payload signs docker-manifest-digest "
                            + index + ", not this manifest)")
                    .contains("dist/hello-2.0.0.tar.gz.sigstore.json is a bundle of " + Digest.sha256(dist.resolve("SHA256SUMS"))
                            + ", not of hello-2.0.0.tar.gz (" + Digest.sha256(dist.resolve("hello-2.0.0.tar.gz")) + ")")
                    .contains("dist/SHA256SUMS.sigstore.json is missing: SHA256SUMS has no Sigstore bundle")
                    .contains("dist/app-2.0.0.intoto.jsonl.sigstore.json is missing: app-2.0.0.intoto.jsonl has no Sigstore bundle");
            for (var signature : signatures.entrySet()) {
                target.tag(CosignSignatures.tag(signature.getKey()), signature.getValue(),
                        target.getManifest(signature.getValue().digest()).orElseThrow());
            }
            mirrorTarget.tag(CosignSignatures.tag(arm64), mirrorArm64Signature,
                    mirrorTarget.getManifest(mirrorArm64Signature.digest()).orElseThrow());
            Files.write(archiveBundle, archiveBundleBytes);
            Files.write(sumsBundle, sumsBundleBytes);
            Files.write(statementBundle, statementBundleBytes);
            CutterProcess.Result signedAgain = CutterProcess.inProcess(project, env, "verify", "--version", "2.0.0", "--sha", sha);
            assertThat(signedAgain.exit()).as(signedAgain.out() + signedAgain.err()).isZero();
            assertThat(signedAgain.out()).contains("6 image manifests' cosign signatures and 5 files' Sigstore bundles");

            // a provenance of another run (the release of 2.0.1, another file, another digest), attached to 2.0.0's index
            Files.writeString(project.resolve("hello.txt"), "hello again\n");
            CutterProcess.Result next = CutterProcess.inProcess(project, env, "release", "--version", "2.0.1", "--sha", sha);
            assertThat(next.exit()).as(next.out() + next.err()).isZero();
            Files.writeString(project.resolve("hello.txt"), "hello\n");
            Digest nextIndex = CLIENT.headManifest(repo, "2.0.1").orElseThrow().digest();
            byte[] nextProvenance = artifact(target, nextIndex, Dsse.MEDIA_TYPE);
            String nextRun = JSON.readTree(Dsse.parse(nextProvenance).payload()).at("/predicate/runDetails/metadata/invocationId")
                    .asText();
            Descriptor grafted = Referrers.attach(target, indexDescriptor, Dsse.MEDIA_TYPE, Dsse.MEDIA_TYPE, nextProvenance,
                    Map.of(Referrers.PREDICATE_TYPE, Provenance.SLSA_PROVENANCE));
            CutterProcess.Result otherRun = CutterProcess.inProcess(project, env, "verify", "--version", "2.0.0", "--sha", sha);
            assertThat(otherRun.exit()).as(otherRun.out() + otherRun.err()).isEqualTo(1);
            assertThat(otherRun.out()).contains(repo + "@" + index + " provenance " + grafted.digest() + ": its provenance was made by run "
                    + nextRun + ", a release of app 2.0.1, which made no " + index)
                    .contains(grafted.digest() + ": its subjects do not name the index " + index);

            // an SBOM whose file digest was changed, beside the true one
            ObjectNode bom = (ObjectNode) JSON.readTree(artifact(target, amd64, CycloneDx.MEDIA_TYPE));
            for (JsonNode c : bom.path("components")) {
                if (c.path("name").asText().equals("srv/hello.txt")) {
                    ((ObjectNode) c.path("hashes").get(0)).put("content", "0".repeat(64));
                }
            }
            Descriptor tampered = Referrers.attach(target, new Descriptor(MediaTypes.OCI_MANIFEST, amd64, amd64Size),
                    CycloneDx.MEDIA_TYPE, CycloneDx.MEDIA_TYPE, JSON.writeValueAsBytes(bom), Map.of());
            CutterProcess.Result sbom = CutterProcess.inProcess(project, env, "verify", "--version", "2.0.0", "--sha", sha);
            assertThat(sbom.exit()).as(sbom.out() + sbom.err()).isEqualTo(1);
            assertThat(sbom.out()).contains(repo + "@" + amd64 + " (linux/amd64): its application/vnd.cyclonedx+json SBOM "
                    + tampered.digest() + ": srv/hello.txt is sha256:" + "0".repeat(64) + " in the SBOM but sha256:");

            // the arm64 manifest's referrers emptied: its fallback tag names an index listing none
            byte[] empty = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":[]}"
                    .getBytes(StandardCharsets.UTF_8);
            target.tag(Referrers.fallbackTag(arm64), new Descriptor(MediaTypes.OCI_INDEX, Digest.sha256(empty), empty.length), empty);
            CutterProcess.Result missing = CutterProcess.inProcess(project, env, "verify", "--version", "2.0.0", "--sha", sha);
            assertThat(missing.exit()).as(missing.out() + missing.err()).isEqualTo(1);
            assertThat(missing.out()).contains(repo + "@" + arm64 + " (linux/arm64) has no application/vnd.cyclonedx+json SBOM among its"
                    + " referrers (referrers API, tag " + Referrers.fallbackTag(arm64) + ")");
        }
    }

    /** A base image with Debian's os-release and a dpkg status, on two platforms. */
    private void pushBase(LocalRegistry registry) throws Exception {
        OciLayout base = OciLayout.open(tmp.resolve("base"));
        Path osRelease = Files.writeString(tmp.resolve("os-release"), "ID=debian\n");
        Path status = Files.writeString(tmp.resolve("status"), "Package: bash\nStatus: install ok installed\nArchitecture: amd64\n"
                + "Version: 5.2.15-2+b2\n");
        List<AssembledImage> images = new ArrayList<>();
        for (String p : List.of("linux/amd64", "linux/arm64")) {
            var layer = LayerBuilder.fromFiles(Map.of("/etc/os-release", osRelease, "/var/lib/dpkg/status", status), Map.of(), 0,
                    base.blobs());
            var config = new ImageConfig(List.of(), List.of("/bin/sh"), Map.of(), Optional.empty(), Optional.empty(), Map.of(),
                    Instant.EPOCH);
            images.add(ImageAssembler.assemble(Platform.parse(p), List.of(layer), config, base.blobs()));
        }
        var index = ImageAssembler.index(images, Map.of(), base.blobs());
        var repo = Repository.parse(registry.address() + "/base/deb");
        Pusher.pushIndex(CLIENT, repo, base, index.digest(), Optional.empty());
        Pusher.tag(CLIENT, repo, base, index.digest(), "1");
    }

    /** The single layer of the first referrer of {@code subject} whose artifact type is {@code type}. */
    private byte[] artifact(RegistryTarget target, Digest subject, String type) throws Exception {
        Referrers.Referrer referrer = Referrers.list(target, subject).stream().filter(r -> r.artifactType().equals(type))
                .findFirst().orElseThrow();
        JsonNode manifest = JSON.readTree(target.getManifest(referrer.manifest().digest()).orElseThrow());
        Path blob = tmp.resolve("blob-" + System.nanoTime());
        target.getBlob(Digest.parse(manifest.path("layers").get(0).path("digest").asText()), blob);
        return Files.readAllBytes(blob);
    }
}
