package dev.cutter.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cutter.content.Digest;
import dev.cutter.testing.LocalRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A manifest's media type is what its bytes say: their {@code mediaType}, else what they are
 * shaped as ({@code manifests}: an index; {@code config}: an image manifest), as containerd and
 * the registries read them. The OCI image spec makes the field optional; umoci leaves it out. A
 * caller's guess never decides the Content-Type a registry is sent.
 */
class ManifestMediaTypeTest {
    static final RegistryClient CLIENT = CopierTest.CLIENT;
    static final String CONFIG = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}";

    @TempDir
    Path tmp;

    static byte[] bytes(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }

    static String descriptor(String mediaType, Digest digest, long size) {
        return "{\"mediaType\":\"" + mediaType + "\",\"digest\":\"" + digest + "\",\"size\":" + size + "}";
    }

    @Test
    void withoutMediaTypeTheShapeDecidesAndTheServedTypeOnlyWhereItAgrees() {
        String config = descriptor(MediaTypes.OCI_CONFIG, Digest.sha256(bytes(CONFIG)), CONFIG.length());
        byte[] manifest = bytes("{\"schemaVersion\":2,\"config\":" + config + ",\"layers\":[]}");
        byte[] index = bytes("{\"schemaVersion\":2,\"manifests\":[" + descriptor(MediaTypes.OCI_MANIFEST, Digest.sha256(manifest),
                manifest.length) + "]}");

        assertThat(ManifestContent.parse(manifest, MediaTypes.OCI_INDEX, "r:1").mediaType()).isEqualTo(MediaTypes.OCI_MANIFEST);
        assertThat(ManifestContent.parse(manifest, "", "r:1").mediaType()).isEqualTo(MediaTypes.OCI_MANIFEST);
        assertThat(ManifestContent.parse(manifest, "application/json", "r:1").mediaType()).isEqualTo(MediaTypes.OCI_MANIFEST);
        assertThat(ManifestContent.parse(index, MediaTypes.OCI_MANIFEST, "r:1").mediaType()).isEqualTo(MediaTypes.OCI_INDEX);
        assertThat(ManifestContent.parse(index, MediaTypes.DOCKER_MANIFEST_LIST + "; charset=utf-8", "r:1").mediaType())
                .as("a registry's own word, where the shape agrees").isEqualTo(MediaTypes.DOCKER_MANIFEST_LIST);
        assertThat(ManifestContent.mediaTypeOf(manifest, "m")).isEqualTo(MediaTypes.OCI_MANIFEST);
        assertThat(ManifestContent.mediaTypeOf(index, "i")).isEqualTo(MediaTypes.OCI_INDEX);
    }

    @Test
    void aDeclaredMediaTypeIsKeptAndFormsCutterCannotCarryAreNamed() {
        String config = descriptor(MediaTypes.DOCKER_CONFIG, Digest.sha256(bytes(CONFIG)), CONFIG.length());
        byte[] docker = bytes("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.DOCKER_MANIFEST + "\",\"config\":" + config
                + ",\"layers\":[]}");
        assertThat(ManifestContent.parse(docker, MediaTypes.OCI_MANIFEST, "r:1").mediaType()).isEqualTo(MediaTypes.DOCKER_MANIFEST);

        byte[] ambiguous = bytes("{\"schemaVersion\":2,\"config\":" + config + ",\"layers\":[],\"manifests\":[]}");
        assertThatThrownBy(() -> ManifestContent.parse(ambiguous, MediaTypes.OCI_MANIFEST, "r:1"))
                .isInstanceOf(RegistryException.class).hasMessageContaining("r:1").hasMessageContaining("both");
        byte[] schema1 = bytes("{\"schemaVersion\":1,\"name\":\"a/b\",\"tag\":\"1\",\"fsLayers\":[],\"history\":[]}");
        assertThatThrownBy(() -> ManifestContent.parse(schema1, "application/vnd.docker.distribution.manifest.v1+prettyjws", "r:1"))
                .isInstanceOf(RegistryException.class).hasMessageContaining("schema 1").hasMessageContaining("skopeo copy --format v2s2");
        byte[] other = bytes("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.artifact.manifest.v1+json\",\"blobs\":[]}");
        assertThatThrownBy(() -> ManifestContent.parse(other, "", "r:1"))
                .isInstanceOf(RegistryException.class).hasMessageContaining("application/vnd.oci.artifact.manifest.v1+json");
    }

    @Test
    void nonDistributableLayersAndAttestationsAreToldByTheirMediaTypeAndAnnotation() {
        assertThat(MediaTypes.isNonDistributable(MediaTypes.OCI_LAYER_NONDISTRIBUTABLE_TAR_ZSTD)).isTrue();
        assertThat(MediaTypes.isNonDistributable(MediaTypes.DOCKER_FOREIGN_LAYER_TAR_GZIP)).isTrue();
        assertThat(MediaTypes.isNonDistributable(MediaTypes.OCI_LAYER_TAR_ZSTD)).isFalse();
        assertThat(MediaTypes.isNonDistributable(MediaTypes.DOCKER_LAYER_TAR_GZIP)).isFalse();
        Digest image = Digest.sha256(bytes("image"));
        Descriptor attestation = new Descriptor(MediaTypes.OCI_MANIFEST, Digest.sha256(bytes("a")), 1,
                Optional.of(new Platform("unknown", "unknown")), java.util.Map.of(Descriptor.REFERENCE_TYPE, Descriptor.ATTESTATION_MANIFEST,
                Descriptor.REFERENCE_DIGEST, image.toString()));
        assertThat(attestation.describes()).contains(image);
        assertThat(new Descriptor(MediaTypes.OCI_MANIFEST, image, 1).describes()).isEmpty();
    }

    @Test
    void aManifestWithoutMediaTypeIsPutAndTaggedWithItsOwnTypeWhateverTheCallerGuessed() throws Exception {
        OciLayout store = OciLayout.open(tmp.resolve("store"));
        Digest manifest = umociLike(store);
        byte[] bytes = Files.readAllBytes(store.blob(manifest));
        try (LocalRegistry registry = LocalRegistry.start()) {
            var repo = Repository.parse(registry.address() + "/t/img");
            Pusher.pushManifest(CLIENT, repo, store, manifest, Optional.empty());
            Pusher.tag(CLIENT, repo, store, manifest, "1"); // the manifest's bytes decide, not Pusher's fallback
            new RegistryTarget(CLIENT, repo).tag("2", new Descriptor(MediaTypes.OCI_INDEX, manifest, bytes.length), bytes);

            assertThat(CLIENT.headManifest(repo, "1").orElseThrow().mediaType()).isEqualTo(MediaTypes.OCI_MANIFEST);
            assertThat(CLIENT.getManifest(repo, "2").orElseThrow().bytes()).isEqualTo(bytes);
        }
        LayoutTarget layout = new LayoutTarget(tmp.resolve("out"));
        Pusher.push(layout, store, store::blob, new Descriptor(MediaTypes.OCI_INDEX, manifest, bytes.length));
        layout.tag("1", new Descriptor(MediaTypes.OCI_INDEX, manifest, bytes.length), bytes);
        assertThat(layout.resolve(manifest.toString()).orElseThrow().mediaType()).isEqualTo(MediaTypes.OCI_MANIFEST);
        assertThat(layout.resolve("1").orElseThrow().mediaType()).isEqualTo(MediaTypes.OCI_MANIFEST);
        assertThat(Copier.reachable(store, new Descriptor(MediaTypes.OCI_INDEX, manifest, bytes.length))).hasSize(3);
    }

    /** A manifest as umoci writes it: no mediaType, one gzip layer. */
    static Digest umociLike(OciLayout store) throws Exception {
        Digest config = put(store, bytes(CONFIG));
        Digest layer = put(store, new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0});
        return put(store, bytes("{\"schemaVersion\":2,\"config\":" + descriptor(MediaTypes.OCI_CONFIG, config, CONFIG.length())
                + ",\"layers\":[" + descriptor(MediaTypes.OCI_LAYER_TAR_GZIP, layer, 20) + "]}"));
    }

    static Digest put(OciLayout store, byte[] bytes) throws Exception {
        Path file = Files.write(Files.createTempFile(store.root(), "blob", ".tmp"), bytes);
        Digest digest = Digest.sha256(bytes);
        store.putBlob(digest, file);
        Files.delete(file);
        return digest;
    }
}
