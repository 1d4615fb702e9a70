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
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A promotion publishes the candidate's SBOMs and provenance with its index, digest for digest, making none again. */
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
            assertThat(promote.out() + promote.err()).doesNotContain("attest/");

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
}
