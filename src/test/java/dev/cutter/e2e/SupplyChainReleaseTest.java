package dev.cutter.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.cutter.attest.Dsse;
import dev.cutter.content.Digest;
import dev.cutter.oci.AssembledImage;
import dev.cutter.oci.Credentials;
import dev.cutter.oci.ImageAssembler;
import dev.cutter.oci.ImageConfig;
import dev.cutter.oci.LayerBuilder;
import dev.cutter.oci.OciLayout;
import dev.cutter.oci.Platform;
import dev.cutter.oci.Pusher;
import dev.cutter.oci.Referrers;
import dev.cutter.oci.RegistryClient;
import dev.cutter.oci.RegistryClientTest;
import dev.cutter.oci.RegistryTarget;
import dev.cutter.oci.Repository;
import dev.cutter.sbom.Schemas;
import dev.cutter.sigstore.CosignSignatures;
import dev.cutter.sigstore.SigstoreBundle;
import dev.cutter.sigstore.SimpleSigning;
import dev.cutter.testing.LocalRegistry;
import dev.cutter.testing.Tools;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A release with {@code attestations:}: every image platform's SBOMs and the index's signed
 * provenance are OCI referrers in the push repository and its replica (under the referrers tag
 * schema, as docker-registry 2.8 has no referrers API), read back with skopeo, validated against
 * the official schemas with ajv and verified with openssl; the archive's SBOMs and the provenance
 * are release assets; the index and each platform manifest carry cosign's signature (its
 * {@code .sig} tag), the archive and the checksums file a Sigstore bundle, each verified by openssl
 * with the published key; a release again changes nothing; {@code cutter copy} carries them
 * unless told not to.
 */
@Tag("e2e")
class SupplyChainReleaseTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final RegistryClient CLIENT = new RegistryClient(HttpClient.newHttpClient(), Credentials.none(), Set.of());

    @TempDir
    Path tmp;

    @Test
    void sbomsAndProvenanceTravelWithTheImageAndTheRelease() throws Exception {
        try (LocalRegistry registry = LocalRegistry.start(); LocalRegistry mirror = LocalRegistry.start()) {
            pushBase(registry);
            Path project = Files.createDirectories(tmp.resolve("app"));
            Files.writeString(project.resolve("hello.txt"), "hello\n");
            Files.createDirectories(project.resolve("keys"));
            Files.copy(Path.of("examples/km/keys/release-key.asc"), project.resolve("keys/release-key.asc"));
            Files.writeString(project.resolve("cutter.yaml"), """
                    project: app
                    registries:
                      r: { url: "%s" }
                      m: { url: "%s" }
                    images:
                      - id: app
                        platforms: [linux/amd64, linux/arm64]
                        from: "%s/base/deb:1"
                        files: { /srv/hello.txt: hello.txt }
                        push: r/acme/app
                        tags: [ "{version}" ]
                    replicate:
                      - { image: app, to: [ m/mirror/app ] }
                    archives:
                      - id: hello
                        name: hello.tar.gz
                        format: tar.gz
                        files: [ { src: hello.txt } ]
                    checksums: true
                    releases:
                      - id: store
                        name: "v{version}"
                        store: "dir:dist/releases"
                    attestations:
                      sbom: [cyclonedx, spdx]
                      provenance: true
                      key: "${file:keys/release-key.asc}"
                    """.formatted(registry.address(), mirror.address(), registry.address()));
            Map<String, String> env = Map.of("SOURCE_DATE_EPOCH", "1767323045");
            String sha = "0123456789abcdef0123456789abcdef01234567";

            CutterProcess.Result release = CutterProcess.inProcess(project, env, "release", "--version", "2.0.0", "--sha", sha);
            assertThat(release.exit()).as(release.out() + release.err()).isZero();

            var repo = Repository.parse(registry.address() + "/acme/app");
            Digest index = CLIENT.headManifest(repo, "2.0.0").orElseThrow().digest();
            JsonNode indexJson = JSON.readTree(CLIENT.getManifest(repo, index.toString()).orElseThrow().bytes());
            Digest amd64 = Digest.parse(indexJson.path("manifests").get(0).path("digest").asText());

            // the platform's SBOMs, found as skopeo reads the fallback tag, in the push repository and the replica alike
            String referrers = RegistryClientTest.skopeo("inspect", "--tls-verify=false", "--raw",
                    "docker://" + repo + ":" + Referrers.fallbackTag(amd64));
            assertThat(referrers).contains("\"artifactType\":\"application/vnd.cyclonedx+json\"")
                    .contains("\"artifactType\":\"application/spdx+json\"")
                    .contains("\"artifactType\":\"" + CosignSignatures.ARTIFACT_TYPE + "\"");
            assertThat(RegistryClientTest.skopeo("inspect", "--tls-verify=false", "--raw",
                    "docker://" + mirror.address() + "/mirror/app:" + Referrers.fallbackTag(amd64))).isEqualTo(referrers);

            RegistryTarget target = new RegistryTarget(CLIENT, repo);
            byte[] cyclonedx = artifact(target, amd64, "application/vnd.cyclonedx+json");
            byte[] spdx = artifact(target, amd64, "application/spdx+json");
            assertThat(Schemas.cycloneDxProblems(dev.cutter.sbom.Schemas.file(tmp, "bom.json", cyclonedx))).isEmpty();
            assertThat(Schemas.spdxProblems(dev.cutter.sbom.Schemas.file(tmp, "bom.spdx.json", spdx))).isEmpty();
            JsonNode bom = JSON.readTree(cyclonedx);
            assertThat(bom.path("metadata").path("component").path("hashes").get(0).path("content").asText()).isEqualTo(amd64.hex());
            assertThat(bom.path("components")).extracting(c -> c.path("name").asText()).contains("srv/hello.txt", "bash", "libc6");
            JsonNode hello = find(bom.path("components"), "srv/hello.txt");
            assertThat(hello.path("hashes").get(0).path("content").asText()).isEqualTo(sha256("hello\n"));
            assertThat(find(bom.path("components"), "bash").path("purl").asText()).isEqualTo("pkg:deb/debian/bash@5.2.15-2%2Bb2?arch=amd64");

            // the index's provenance: a DSSE envelope openssl verifies with the published public key
            Path releaseDir = project.resolve("dist/releases/v2.0.0");
            Path pem = releaseDir.resolve("app-2.0.0.pub.pem");
            assertThat(pem).exists();
            Dsse envelope = Dsse.parse(artifact(target, index, Dsse.MEDIA_TYPE));
            assertThat(openssl(pem, Dsse.pae(envelope.payloadType(), envelope.payload()), envelope.signatures().get(0).sig())).isZero();
            JsonNode statement = JSON.readTree(envelope.payload());
            assertThat(statement.path("subject").get(0).path("digest").path("sha256").asText()).isEqualTo(index.hex());
            assertThat(statement.at("/predicate/buildDefinition/externalParameters/commit").asText()).isEqualTo(sha);
            assertThat(statement.at("/predicate/buildDefinition/externalParameters/spec/digest/sha256").asText())
                    .isEqualTo(sha256(Files.readString(project.resolve("cutter.yaml"))));
            assertThat(statement.at("/predicate/buildDefinition/resolvedDependencies").toString()).contains("file:hello.txt")
                    .contains(sha256("hello\n"));
            assertThat(statement.at("/predicate/runDetails/metadata/invocationId").asText()).isNotBlank();

            // cosign's signatures of the index and each platform manifest, under cosign's tags, in the push repository and
            // the replica: openssl verifies each over its payload with the published key
            RegistryTarget replica = new RegistryTarget(CLIENT, Repository.parse(mirror.address() + "/mirror/app"));
            java.security.PublicKey releaseKey = publicKey(pem);
            for (JsonNode subject : List.of(JSON.createObjectNode().put("digest", index.toString()), indexJson.path("manifests").get(0),
                    indexJson.path("manifests").get(1))) {
                Digest signed = Digest.parse(subject.path("digest").asText());
                assertThat(CLIENT.tags(repo)).contains(CosignSignatures.tag(signed));
                for (RegistryTarget where : List.of(target, replica)) {
                    List<CosignSignatures.Signature> signatures = CosignSignatures.read(where, signed);
                    assertThat(signatures).hasSize(1);
                    assertThat(openssl(pem, signatures.get(0).payload(), signatures.get(0).signature())).isZero();
                    assertThat(CosignSignatures.verified(where, signed, releaseKey))
                            .contains(new SimpleSigning(repo.toString(), signed));
                }
            }

            // Sigstore bundles of the archive and the checksums file, beside their SBOMs
            for (String file : List.of("hello.tar.gz", "SHA256SUMS")) {
                Path bundle = releaseDir.resolve(file + SigstoreBundle.SUFFIX);
                assertThat(bundle).as(file).exists();
                SigstoreBundle read = SigstoreBundle.parse(Files.readAllBytes(bundle));
                assertThat(openssl(pem, Files.readAllBytes(releaseDir.resolve(file)), read.signature())).as(file).isZero();
                assertThat(read.verifies(releaseDir.resolve(file), releaseKey)).isTrue();
            }

            // the archive's SBOMs and the provenance of the files are release assets
            assertThat(releaseDir.resolve("hello.tar.gz.cdx.json")).exists();
            assertThat(releaseDir.resolve("hello.tar.gz.spdx.json")).exists();
            assertThat(Schemas.cycloneDxProblems(releaseDir.resolve("hello.tar.gz.cdx.json"))).isEmpty();
            Dsse files = Dsse.parse(Files.readString(releaseDir.resolve("app-2.0.0.intoto.jsonl")).strip().getBytes(StandardCharsets.UTF_8));
            assertThat(openssl(pem, Dsse.pae(files.payloadType(), files.payload()), files.signatures().get(0).sig())).isZero();
            assertThat(new String(files.payload(), StandardCharsets.UTF_8)).contains("hello.tar.gz")
                    .contains(Digest.sha256(releaseDir.resolve("hello.tar.gz")).hex());

            // a release again, on a fresh machine (no ledger, no content store), changes nothing: its new provenance
            // (another run) does not go beside the first
            String indexReferrers = RegistryClientTest.skopeo("inspect", "--tls-verify=false", "--raw",
                    "docker://" + repo + ":" + Referrers.fallbackTag(index));
            try (var state = Files.walk(project.resolve(".cutter"))) {
                state.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
            CutterProcess.Result again = CutterProcess.inProcess(project, env, "release", "--version", "2.0.0", "--sha", sha);
            assertThat(again.exit()).as(again.out() + again.err()).isZero();
            assertThat(RegistryClientTest.skopeo("inspect", "--tls-verify=false", "--raw",
                    "docker://" + repo + ":" + Referrers.fallbackTag(index))).isEqualTo(indexReferrers);

            // cutter copy carries them; --no-referrers leaves them
            CutterProcess.Result copy = CutterProcess.inProcess(project, env, "copy", repo + ":2.0.0", mirror.address() + "/copied/app:2.0.0");
            assertThat(copy.exit()).as(copy.out() + copy.err()).isZero();
            CutterProcess.Result bare = CutterProcess.inProcess(project, env, "copy", "--no-referrers", repo + ":2.0.0",
                    mirror.address() + "/bare/app:2.0.0");
            assertThat(bare.exit()).as(bare.out() + bare.err()).isZero();
            assertThat(RegistryClientTest.skopeo("inspect", "--tls-verify=false", "--raw",
                    "docker://" + mirror.address() + "/copied/app:" + Referrers.fallbackTag(index))).isEqualTo(indexReferrers);
            assertThat(CLIENT.tags(Repository.parse(mirror.address() + "/copied/app")))
                    .contains(CosignSignatures.tag(index), CosignSignatures.tag(amd64));
            assertThat(CLIENT.tags(Repository.parse(mirror.address() + "/bare/app"))).containsExactly("2.0.0");
        }
    }

    /** A base image with Debian's os-release and a dpkg status listing two packages, on two platforms. */
    private void pushBase(LocalRegistry registry) throws Exception {
        OciLayout base = OciLayout.open(tmp.resolve("base"));
        Path osRelease = Files.writeString(tmp.resolve("os-release"), "PRETTY_NAME=\"Debian GNU/Linux 12\"\nID=debian\n");
        Path status = Files.writeString(tmp.resolve("status"), """
                Package: bash
                Status: install ok installed
                Architecture: amd64
                Version: 5.2.15-2+b2

                Package: libc6
                Status: install ok installed
                Architecture: amd64
                Version: 2.36-9+deb12u4
                """);
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

    /** The single layer of the referrer of {@code subject} whose artifact type is {@code type}. */
    private byte[] artifact(RegistryTarget target, Digest subject, String type) throws Exception {
        Referrers.Referrer referrer = Referrers.list(target, subject).stream().filter(r -> r.artifactType().equals(type))
                .findFirst().orElseThrow();
        JsonNode manifest = JSON.readTree(target.getManifest(referrer.manifest().digest()).orElseThrow());
        assertThat(manifest.path("subject").path("digest").asText()).isEqualTo(subject.toString());
        Path blob = tmp.resolve("blob-" + System.nanoTime());
        target.getBlob(Digest.parse(manifest.path("layers").get(0).path("digest").asText()), blob);
        return Files.readAllBytes(blob);
    }

    private static java.security.PublicKey publicKey(Path pem) throws Exception {
        String base64 = Files.readString(pem).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return java.security.KeyFactory.getInstance("Ed25519").generatePublic(
                new java.security.spec.X509EncodedKeySpec(java.util.Base64.getDecoder().decode(base64)));
    }

    private static JsonNode find(JsonNode components, String name) {
        for (JsonNode c : components) {
            if (c.path("name").asText().equals(name)) {
                return c;
            }
        }
        throw new AssertionError("no component " + name + " in " + components);
    }

    private static String sha256(String text) throws Exception {
        return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static int openssl(Path pem, byte[] message, byte[] signature) throws Exception {
        Path m = Files.write(Files.createTempFile("pae", ".bin"), message);
        Path s = Files.write(Files.createTempFile("sig", ".bin"), signature);
        Process p = new ProcessBuilder(Tools.require("openssl", "openssl").toString(), "pkeyutl", "-verify", "-pubin", "-inkey",
                pem.toString(), "-rawin", "-in", m.toString(), "-sigfile", s.toString()).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor();
    }
}
