package dev.cutter.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.cutter.content.Digest;
import dev.cutter.oci.Credentials;
import dev.cutter.oci.Referrers;
import dev.cutter.oci.RegistryClient;
import dev.cutter.oci.RegistryClientTest;
import dev.cutter.oci.Repository;
import dev.cutter.sigstore.CosignSignatures;
import dev.cutter.testing.LocalRegistry;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cutter.oci.Descriptor;
import dev.cutter.oci.MediaTypes;
import dev.cutter.oci.RegistryTarget;
import dev.cutter.sbom.CycloneDx;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A promotion publishes the candidate's SBOMs, provenance and signatures with its index, digest for
 * digest, making none again; its archives' statement is the candidate's; {@code cutter verify} of the
 * promoted version checks them against the candidate's run, and a tampered referrer in the promoted
 * repository fails it.
 */
@Tag("e2e")
class AttestationPromotionTest {
    private static final RegistryClient CLIENT = new RegistryClient(HttpClient.newHttpClient(), Credentials.none(), Set.of());

    @TempDir
    Path tmp;

    @Test
    void thePromotedImageCarriesTheCandidatesReferrers() throws Exception {
        try (LocalRegistry registry = LocalRegistry.start()) {
            Path project = Files.createDirectories(tmp.resolve("app"));
            Files.writeString(project.resolve("app.bin"), "binary\n");
            Files.createDirectories(project.resolve("keys"));
            Files.copy(Path.of("examples/km/keys/release-key.asc"), project.resolve("keys/release-key.asc"));
            Files.writeString(project.resolve("cutter.yaml"), """
                    project: app
                    channels:
                      rc:     { match: "*-rc*", suffix: "-dev", floating: false }
                      stable: { match: "*" }
                    registries:
                      r: { url: "%s" }
                    images:
                      - id: app
                        platforms: [linux/amd64]
                        files: { /app: app.bin }
                        push: "r/acme/app{channel.suffix}"
                        tags: [ "{version}" ]
                    attestations: { key: "${file:keys/release-key.asc}" }
                    """.formatted(registry.address()));
            Map<String, String> env = Map.of("SOURCE_DATE_EPOCH", "1767323045");
            CutterProcess.Result rc = CutterProcess.inProcess(project, env, "release", "--version", "1.0.0-rc1",
                    "--sha", "0123456789abcdef0123456789abcdef01234567");
            assertThat(rc.exit()).as(rc.out() + rc.err()).isZero();

            // another machine's content store: what the promotion publishes comes from the candidate's repository
            try (var store = Files.walk(project.resolve(".cutter/oci"))) {
                store.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
            CutterProcess.Result promote = CutterProcess.inProcess(project, env, "promote", "--from", "1.0.0-rc1", "--to", "1.0.0");
            assertThat(promote.exit()).as(promote.out() + promote.err()).isZero();
            assertThat(promote.out()).contains("5 of the candidate's attestations of sha256:").contains("none made");

            var dev = Repository.parse(registry.address() + "/acme/app-dev");
            var prod = Repository.parse(registry.address() + "/acme/app");
            Digest index = CLIENT.headManifest(dev, "1.0.0-rc1").orElseThrow().digest();
            assertThat(CLIENT.headManifest(prod, "1.0.0").orElseThrow().digest()).isEqualTo(index);
            Digest amd64 = Digest.parse(JsonMapper.builder().build().readTree(CLIENT.getManifest(dev, index.toString()).orElseThrow().bytes())
                    .path("manifests").get(0).path("digest").asText());
            for (Digest subject : new Digest[] {index, amd64}) {
                String candidate = RegistryClientTest.skopeo("inspect", "--tls-verify=false", "--raw",
                        "docker://" + dev + ":" + Referrers.fallbackTag(subject));
                assertThat(RegistryClientTest.skopeo("inspect", "--tls-verify=false", "--raw",
                        "docker://" + prod + ":" + Referrers.fallbackTag(subject))).isEqualTo(candidate);
                // cosign's signature tag, made for the candidate, is the promoted image's too
                String sig = CosignSignatures.tag(subject);
                assertThat(CLIENT.headManifest(prod, sig)).as(sig).isPresent();
                assertThat(CLIENT.headManifest(prod, sig).orElseThrow().digest())
                        .isEqualTo(CLIENT.headManifest(dev, sig).orElseThrow().digest());
            }
        }
    }

    @Test
    void thePromotedVersionVerifiesAgainstTheCandidatesRunAndATamperedReferrerIsCaught() throws Exception {
        try (LocalRegistry registry = LocalRegistry.start()) {
            Path project = Files.createDirectories(tmp.resolve("app"));
            Files.writeString(project.resolve("app.bin"), "binary\n");
            Files.createDirectories(project.resolve("keys"));
            Files.copy(Path.of("examples/km/keys/release-key.asc"), project.resolve("keys/release-key.asc"));
            Files.copy(Path.of("examples/veilid/keys/repo-key.asc"), project.resolve("keys/repo-key.asc"));
            Files.writeString(project.resolve("cutter.yaml"), """
                    project: app
                    channels:
                      rc:     { match: "*-rc*", suffix: "-dev", floating: false }
                      stable: { match: "*" }
                    registries:
                      r: { url: "%s" }
                    images:
                      - id: app
                        platforms: [linux/amd64, linux/arm64]
                        files: { /srv/app: app.bin }
                        push: "r/acme/app{channel.suffix}"
                        tags: [ "{version}" ]
                    archives:
                      - id: app
                        name: "app-{version}.tar.gz"
                        format: tar.gz
                        files: [ { src: app.bin } ]
                    checksums:
                      name: SHA256SUMS
                    signs:
                      - id: files
                        artifacts: all
                        key: "${file:keys/repo-key.asc}"
                    releases:
                      - id: store
                        name: "v{version}"
                        store: "dir:dist/releases"
                    attestations: { key: "${file:keys/release-key.asc}" }
                    """.formatted(registry.address()));
            Map<String, String> env = Map.of("SOURCE_DATE_EPOCH", "1767323045");
            CutterProcess.Result rc = CutterProcess.inProcess(project, env, "release", "--version", "1.0.0-rc1",
                    "--sha", "0123456789abcdef0123456789abcdef01234567");
            assertThat(rc.exit()).as(rc.out() + rc.err()).isZero();
            CutterProcess.Result promote = CutterProcess.inProcess(project, env, "promote", "--from", "1.0.0-rc1", "--to", "1.0.0");
            assertThat(promote.exit()).as(promote.out() + promote.err()).isZero();
            assertThat(promote.out()).contains("of the candidate's attestations of sha256:").contains("carried by the pushes, none made");

            // the archives' statement is the candidate's, under the promoted release's name; the SBOMs and it are signed
            Path dist = project.resolve("dist");
            assertThat(Files.readString(dist.resolve("app-1.0.0.intoto.jsonl")))
                    .isEqualTo(Files.readString(dist.resolve("app-1.0.0-rc1.intoto.jsonl")));
            Path released = dist.resolve("releases/v1.0.0");
            for (String name : new String[] {"app-1.0.0.tar.gz.cdx.json", "app-1.0.0.tar.gz.spdx.json", "app-1.0.0.intoto.jsonl"}) {
                assertThat(released.resolve(name)).exists();
                assertThat(released.resolve(name + ".sigstore.json")).exists();
                assertThat(released.resolve(name + ".asc")).exists();
            }

            CutterProcess.Result verified = CutterProcess.inProcess(project, env, "verify", "--version", "1.0.0");
            assertThat(verified.exit()).as(verified.out() + verified.err()).isZero();
            assertThat(verified.out()).contains("attestations of 1 published images and 1 archives and packages are signed by the"
                    + " release key").contains("3 image manifests' cosign signatures and 5 files' Sigstore bundles verify")
                    .contains("3 SBOMs' and statements' OpenPGP signatures verify")
                    .contains("was first made by run ");

            // an SBOM beside the carried one in the promoted repository, naming another digest for the file: caught there
            var prod = Repository.parse(registry.address() + "/acme/app");
            RegistryTarget target = new RegistryTarget(CLIENT, prod);
            Digest index = CLIENT.headManifest(prod, "1.0.0").orElseThrow().digest();
            JsonNode indexJson = JsonMapper.builder().build().readTree(CLIENT.getManifest(prod, index.toString()).orElseThrow().bytes());
            Digest amd64 = Digest.parse(indexJson.path("manifests").get(0).path("digest").asText());
            long amd64Size = indexJson.path("manifests").get(0).path("size").asLong();
            var json = JsonMapper.builder().build();
            Referrers.Referrer sbom = Referrers.list(target, amd64).stream().filter(r -> r.artifactType().equals(CycloneDx.MEDIA_TYPE))
                    .findFirst().orElseThrow();
            JsonNode manifest = json.readTree(target.getManifest(sbom.manifest().digest()).orElseThrow());
            Path blob = tmp.resolve("sbom.json");
            target.getBlob(Digest.parse(manifest.path("layers").get(0).path("digest").asText()), blob);
            ObjectNode bom = (ObjectNode) json.readTree(blob.toFile());
            for (JsonNode c : bom.path("components")) {
                if (c.path("name").asText().equals("srv/app")) {
                    ((ObjectNode) c.path("hashes").get(0)).put("content", "0".repeat(64));
                }
            }
            Descriptor tampered = Referrers.attach(target, new Descriptor(MediaTypes.OCI_MANIFEST, amd64, amd64Size),
                    CycloneDx.MEDIA_TYPE, CycloneDx.MEDIA_TYPE, json.writeValueAsBytes(bom), Map.of());
            CutterProcess.Result caught = CutterProcess.inProcess(project, env, "verify", "--version", "1.0.0");
            assertThat(caught.exit()).as(caught.out() + caught.err()).isEqualTo(1);
            assertThat(caught.out()).contains(prod + "@" + amd64 + " (linux/amd64): its application/vnd.cyclonedx+json SBOM "
                    + tampered.digest() + ": srv/app is sha256:" + "0".repeat(64) + " in the SBOM but sha256:");

            // an SBOM's OpenPGP signature swapped for another file's: named
            Files.copy(dist.resolve("app-1.0.0.intoto.jsonl.asc"), dist.resolve("app-1.0.0.tar.gz.cdx.json.asc"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            CutterProcess.Result swapped = CutterProcess.inProcess(project, env, "verify", "--version", "1.0.0");
            assertThat(swapped.exit()).as(swapped.out() + swapped.err()).isEqualTo(1);
            assertThat(swapped.out()).contains("dist/app-1.0.0.tar.gz.cdx.json.asc is not a signature of app-1.0.0.tar.gz.cdx.json");
        }
    }
}
