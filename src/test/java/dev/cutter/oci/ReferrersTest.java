package dev.cutter.oci;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.cutter.content.Digest;
import dev.cutter.testing.LocalRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * OCI 1.1 referrers on docker-registry 2.8, which has no referrers API: artifacts attached with
 * {@code subject} and listed under the referrers tag schema's {@code sha256-<hex>} tag, as skopeo
 * reads them; copies carry them digest for digest, and {@code --no-referrers} leaves them.
 */
class ReferrersTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path tmp;

    private record Published(Sample.Built image, Repository repository, Descriptor sbom, Descriptor provenance) {}

    private Published publishWithReferrers(LocalRegistry registry) throws Exception {
        OciLayout build = OciLayout.open(tmp.resolve("build"));
        Sample.Built image = Sample.build(tmp.resolve("src"), build.blobs(), FileTime.fromMillis(1_000_000_000_000L), "rw-r--r--");
        var repository = Repository.parse(registry.address() + "/acme/app");
        Pusher.pushIndex(CopierTest.CLIENT, repository, build, image.index().digest(), Optional.empty());
        Pusher.tag(CopierTest.CLIENT, repository, build, image.index().digest(), "1.0.0");
        RegistryTarget target = new RegistryTarget(CopierTest.CLIENT, repository);
        Descriptor amd64 = image.image("linux/amd64").manifest();
        Descriptor sbom = Referrers.attach(target, amd64, "application/vnd.cyclonedx+json", "application/vnd.cyclonedx+json",
                "{\"bomFormat\":\"CycloneDX\"}".getBytes(StandardCharsets.UTF_8), Map.of("org.opencontainers.image.created",
                        "2024-05-01T10:00:00Z"));
        Descriptor provenance = Referrers.attach(target, image.index(), "application/vnd.dsse.envelope.v1+json",
                "application/vnd.dsse.envelope.v1+json", "{\"payloadType\":\"x\"}".getBytes(StandardCharsets.UTF_8),
                Map.of("in-toto.io/predicate-type", "https://slsa.dev/provenance/v1"));
        return new Published(image, repository, sbom, provenance);
    }

    @Test
    void anAttachedArtifactNamesItsSubjectAndIsListedUnderTheFallbackTag() throws Exception {
        try (LocalRegistry registry = LocalRegistry.start()) {
            Published p = publishWithReferrers(registry);
            Digest amd64 = p.image().image("linux/amd64").manifest().digest();

            JsonNode index = JSON.readTree(RegistryClientTest.skopeo("inspect", "--tls-verify=false", "--raw",
                    "docker://" + p.repository() + ":" + Referrers.fallbackTag(amd64)));
            assertThat(Referrers.fallbackTag(amd64)).isEqualTo("sha256-" + amd64.hex());
            assertThat(index.path("mediaType").asText()).isEqualTo(MediaTypes.OCI_INDEX);
            assertThat(index.path("manifests")).hasSize(1);
            JsonNode entry = index.path("manifests").get(0);
            assertThat(entry.path("digest").asText()).isEqualTo(p.sbom().digest().toString());
            assertThat(entry.path("artifactType").asText()).isEqualTo("application/vnd.cyclonedx+json");
            assertThat(entry.path("annotations").path("org.opencontainers.image.created").asText()).isEqualTo("2024-05-01T10:00:00Z");

            JsonNode manifest = JSON.readTree(RegistryClientTest.skopeo("inspect", "--tls-verify=false", "--raw",
                    "docker://" + p.repository() + "@" + p.sbom().digest()));
            assertThat(manifest.path("artifactType").asText()).isEqualTo("application/vnd.cyclonedx+json");
            assertThat(manifest.path("subject").path("digest").asText()).isEqualTo(amd64.toString());
            assertThat(manifest.path("config").path("mediaType").asText()).isEqualTo(MediaTypes.OCI_EMPTY);

            // attaching the same artifact again changes nothing
            RegistryTarget target = new RegistryTarget(CopierTest.CLIENT, p.repository());
            Digest before = target.resolve(Referrers.fallbackTag(amd64)).orElseThrow().digest();
            Referrers.attach(target, p.image().image("linux/amd64").manifest(), "application/vnd.cyclonedx+json",
                    "application/vnd.cyclonedx+json", "{\"bomFormat\":\"CycloneDX\"}".getBytes(StandardCharsets.UTF_8),
                    Map.of("org.opencontainers.image.created", "2024-05-01T10:00:00Z"));
            assertThat(target.resolve(Referrers.fallbackTag(amd64)).orElseThrow().digest()).isEqualTo(before);
            assertThat(Referrers.list(target, amd64)).extracting(r -> r.manifest().digest()).containsExactly(p.sbom().digest());
        }
    }

    @Test
    void aCopyCarriesTheReferrersDigestForDigestAndNoReferrersLeavesThem() throws Exception {
        try (LocalRegistry a = LocalRegistry.start(); LocalRegistry b = LocalRegistry.start()) {
            Published p = publishWithReferrers(a);
            Digest amd64 = p.image().image("linux/amd64").manifest().digest();
            ImageReference source = ImageReference.parse(p.repository() + ":1.0.0");

            new Copier(CopierTest.CLIENT, OciLayout.open(tmp.resolve("store"))).copy(source,
                    List.of(ImageReference.parse(b.address() + "/mirror/app:1.0.0"), ImageReference.parse("oci:" + tmp.resolve("out") + ":1.0.0")));
            new Copier(CopierTest.CLIENT, OciLayout.open(tmp.resolve("store2")), false).copy(source,
                    List.of(ImageReference.parse(b.address() + "/bare/app:1.0.0")));

            String sourceIndex = RegistryClientTest.skopeo("inspect", "--tls-verify=false", "--raw",
                    "docker://" + p.repository() + ":" + Referrers.fallbackTag(amd64));
            assertThat(RegistryClientTest.skopeo("inspect", "--tls-verify=false", "--raw",
                    "docker://" + b.address() + "/mirror/app:" + Referrers.fallbackTag(amd64))).isEqualTo(sourceIndex);
            assertThat(RegistryClientTest.skopeo("inspect", "--tls-verify=false", "--raw",
                    "docker://" + b.address() + "/mirror/app@" + p.provenance().digest()))
                    .isEqualTo(RegistryClientTest.skopeo("inspect", "--tls-verify=false", "--raw",
                            "docker://" + p.repository() + "@" + p.provenance().digest()));
            RegistryTarget mirror = new RegistryTarget(CopierTest.CLIENT, Repository.parse(b.address() + "/mirror/app"));
            assertThat(Referrers.list(mirror, p.image().index().digest())).extracting(r -> r.artifactType())
                    .containsExactly("application/vnd.dsse.envelope.v1+json");
            assertThat(Referrers.list(new LayoutTarget(tmp.resolve("out")), amd64)).extracting(r -> r.manifest().digest())
                    .containsExactly(p.sbom().digest());

            RegistryTarget bare = new RegistryTarget(CopierTest.CLIENT, Repository.parse(b.address() + "/bare/app"));
            assertThat(bare.resolve("1.0.0")).isPresent();
            assertThat(Referrers.list(bare, amd64)).isEmpty();
            assertThat(bare.tags()).containsExactly("1.0.0");
        }
    }

    @Test
    void aPushSendsTheReferrersOfAnIndexAndItsPlatformManifestsAtOnce() throws Exception {
        try (LocalRegistry registry = LocalRegistry.start()) {
            OciLayout store = OciLayout.open(tmp.resolve("store"));
            Sample.Built image = Sample.build(tmp.resolve("src"), store.blobs(), FileTime.fromMillis(1_000_000_000_000L), "rw-r--r--");
            LayoutTarget local = new LayoutTarget(store);
            for (Descriptor subject : List.of(image.index(), image.image("linux/amd64").manifest(), image.image("linux/arm64").manifest())) {
                for (String type : List.of("application/vnd.cyclonedx+json", "application/spdx+json")) {
                    Referrers.attach(local, subject, type, type, ("{\"of\":\"" + subject.digest() + "\"}").getBytes(StandardCharsets.UTF_8),
                            Map.of());
                }
            }
            var repository = Repository.parse(registry.address() + "/acme/app");
            Pusher.pushIndex(CopierTest.CLIENT, repository, store, image.index().digest(), Optional.empty());
            // the first artifact manifest's PUT waits for a second to start beside it: sent at once, the second comes at
            // once; sent one after another, the first gives up waiting after 10 s and the count stays at one
            java.util.concurrent.CountDownLatch two = new java.util.concurrent.CountDownLatch(2);
            java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();
            java.util.concurrent.atomic.AtomicInteger most = new java.util.concurrent.atomic.AtomicInteger();
            RegistryTarget remote = new RegistryTarget(CopierTest.CLIENT, repository);
            ImageTarget held = new ImageTarget() {
                public Optional<Descriptor> resolve(String reference) throws java.io.IOException { return remote.resolve(reference); }
                public boolean hasBlob(Digest digest) throws java.io.IOException { return remote.hasBlob(digest); }
                public void getBlob(Digest digest, Path into) throws java.io.IOException { remote.getBlob(digest, into); }
                public void putBlob(Digest digest, Blobs bytes) throws java.io.IOException { remote.putBlob(digest, bytes); }
                public Optional<byte[]> getManifest(Digest digest) throws java.io.IOException { return remote.getManifest(digest); }
                public void tag(String tag, Descriptor manifest, byte[] bytes) throws java.io.IOException { remote.tag(tag, manifest, bytes); }
                public List<String> tags() throws java.io.IOException { return remote.tags(); }
                public Optional<byte[]> referrers(Digest subject) throws java.io.IOException { return remote.referrers(subject); }

                public void putManifest(Descriptor manifest, byte[] bytes) throws java.io.IOException {
                    most.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                    try {
                        two.countDown();
                        two.await(10, java.util.concurrent.TimeUnit.SECONDS);
                        remote.putManifest(manifest, bytes);
                    } catch (InterruptedException e) {
                        throw new java.io.IOException(e);
                    } finally {
                        inFlight.decrementAndGet();
                    }
                }
            };

            assertThat(Referrers.carry(local, held, image.index(), true)).isEqualTo(6);

            assertThat(most.get()).as("artifact manifests sent at once").isGreaterThan(1);
            for (Descriptor subject : List.of(image.index(), image.image("linux/amd64").manifest(), image.image("linux/arm64").manifest())) {
                assertThat(Referrers.list(remote, subject.digest())).extracting(Referrers.Referrer::artifactType)
                        .containsExactlyInAnyOrder("application/vnd.cyclonedx+json", "application/spdx+json");
            }
            assertThat(Referrers.carry(local, remote, image.index(), true)).as("a second carry sends nothing").isZero();
        }
    }
}
