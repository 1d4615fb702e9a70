package dev.cutter.oci;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cutter.content.Digest;
import dev.cutter.testing.LocalRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Images made by other tools pass through Cutter byte for byte: umoci's manifests without
 * {@code mediaType}, indexes without it, buildah's and skopeo's Docker schema 2 manifests and
 * manifest lists, zstd layers, non-distributable layers, buildx's attestation entries and
 * artifacts with a {@code subject}. Each is pushed to one docker-registry by skopeo, copied to
 * another by the {@link Copier} (the code of {@code cutter copy}), and read there by skopeo, whose
 * bytes must be the source's; then the {@link Puller} reads it from there into a content store
 * and it is pushed from that store once more, as a promotion and a verification read it.
 */
@Tag("e2e")
class ForeignImagesTest {
    static final RegistryClient CLIENT = CopierTest.CLIENT;
    static final Platform AMD64 = Platform.parse("linux/amd64");
    static final Platform ARM64 = Platform.parse("linux/arm64");

    @TempDir
    Path tmp;

    @Test
    void anImageUmociMadeAndSkopeoPushedIsCopiedDigestForDigest() throws Exception {
        Path layout = OtherTools.umoci(tmp.resolve("umoci"), "x", "hello from umoci\n");
        assertThat(OtherTools.read(layout, Digest.parse(OtherTools.entry(layout, "x").path("digest").asText())).has("mediaType"))
                .as("umoci writes its manifests without mediaType").isFalse();
        try (LocalRegistry a = LocalRegistry.start(); LocalRegistry b = LocalRegistry.start()) {
            OtherTools.skopeoCopy("oci:" + layout + ":x", "docker://" + a.address() + "/t/img:1");

            CopyBatchTest.Result copy = CopyBatchTest.cutter("copy", a.address() + "/t/img:1", b.address() + "/t/cli:1");
            assertThat(copy.code()).as(copy.err()).isZero();
            assertThat(OtherTools.raw(b.address() + "/t/cli:1")).isEqualTo(OtherTools.raw(a.address() + "/t/img:1"));
            carried(a, b, "t/img:1");

            Path out = tmp.resolve("out");
            new Copier(CLIENT, OciLayout.open(tmp.resolve("store2"))).copy(ImageReference.parse(a.address() + "/t/img:1"),
                    List.of(ImageReference.parse("oci:" + out + ":1")));
            assertThat(Skopeo.find().run("inspect", "--raw", "oci:" + out + ":1").stdout())
                    .isEqualTo(OtherTools.raw(a.address() + "/t/img:1"));
            assertThat(OciLayout.open(out).resolve("1").orElseThrow().mediaType()).isEqualTo(MediaTypes.OCI_MANIFEST);
        }
    }

    @Test
    void anIndexWithoutMediaTypeIsCopiedWholeAndNarrowedToAPlatform() throws Exception {
        Path layout = OtherTools.umoci(tmp.resolve("umoci"), "amd64", "amd64\n");
        OtherTools.umoci(layout, "arm64", "arm64\n");
        OtherTools.run(Map.of(), "umoci", "config", "--image", layout + ":arm64", "--architecture", "arm64");
        ObjectNode index = OtherTools.JSON.createObjectNode().put("schemaVersion", 2);
        index.withArray("manifests").add(OtherTools.entry(layout, "amd64").set("platform", AMD64.toJson()));
        index.withArray("manifests").add(OtherTools.entry(layout, "arm64").set("platform", ARM64.toJson()));
        OtherTools.tag(layout, "both", OtherTools.json(layout, MediaTypes.OCI_INDEX, index));
        try (LocalRegistry a = LocalRegistry.start(); LocalRegistry b = LocalRegistry.start()) {
            OtherTools.skopeoCopy("oci:" + layout + ":both", "docker://" + a.address() + "/t/multi:1");
            assertThat(OtherTools.JSON.readTree(OtherTools.raw(a.address() + "/t/multi:1")).has("mediaType")).isFalse();

            carried(a, b, "t/multi:1");

            Copier copier = new Copier(CLIENT, OciLayout.open(tmp.resolve("narrow")));
            var arm = copier.copy(ImageReference.parse(a.address() + "/t/multi:1"),
                    List.of(ImageReference.parse(b.address() + "/t/arm:1")), List.of(ARM64));
            assertThat(arm.get(0).digest().toString()).isEqualTo(OtherTools.entry(layout, "arm64").path("digest").asText());
            var both = copier.copy(ImageReference.parse(a.address() + "/t/multi:1"),
                    List.of(ImageReference.parse(b.address() + "/t/both:1")), List.of(ARM64, AMD64));
            assertThat(OtherTools.raw(b.address() + "/t/both:1")).as("every platform kept: the index as it was")
                    .isEqualTo(OtherTools.raw(a.address() + "/t/multi:1"));
            assertThat(both.get(0).digest()).isEqualTo(Digest.sha256(OtherTools.raw(a.address() + "/t/multi:1")));
        }
    }

    @Test
    void dockerSchema2ManifestsAndManifestListsFromBuildahAndSkopeo() throws Exception {
        OtherTools.Buildah buildah = OtherTools.Buildah.at(tmp.resolve("buildah"));
        buildah.image("app-amd64", AMD64, "amd64\n");
        buildah.image("app-arm64", ARM64, "arm64\n");
        buildah.list("app", "app-amd64", "app-arm64");
        Path layout = OtherTools.umoci(tmp.resolve("umoci"), "x", "umoci\n");
        try (LocalRegistry a = LocalRegistry.start(); LocalRegistry b = LocalRegistry.start()) {
            buildah.run("manifest", "push", "--all", "--format", "v2s2", "--tls-verify=false", "app",
                    "docker://" + a.address() + "/d/list:1");
            OtherTools.skopeoCopy("oci:" + layout + ":x", "docker://" + a.address() + "/d/single:1", "--format", "v2s2");
            assertThat(OtherTools.JSON.readTree(OtherTools.raw(a.address() + "/d/list:1")).path("mediaType").asText())
                    .isEqualTo(MediaTypes.DOCKER_MANIFEST_LIST);
            assertThat(OtherTools.JSON.readTree(OtherTools.raw(a.address() + "/d/single:1")).path("mediaType").asText())
                    .isEqualTo(MediaTypes.DOCKER_MANIFEST);

            carried(a, b, "d/list:1");
            carried(a, b, "d/single:1");
        }
    }

    @Test
    void zstdLayersFromBuildahKeepTheirCompression() throws Exception {
        OtherTools.Buildah buildah = OtherTools.Buildah.at(tmp.resolve("buildah"));
        buildah.image("app", AMD64, "zstd\n");
        Path layout = tmp.resolve("zstd");
        buildah.run("push", "-q", "--compression-format", "zstd", "app", "oci:" + layout + ":1");
        try (LocalRegistry a = LocalRegistry.start(); LocalRegistry b = LocalRegistry.start()) {
            OtherTools.skopeoCopy("oci:" + layout + ":1", "docker://" + a.address() + "/z/app:1", "--preserve-digests");
            JsonNode manifest = OtherTools.JSON.readTree(OtherTools.raw(a.address() + "/z/app:1"));
            assertThat(manifest.path("layers").get(0).path("mediaType").asText()).isEqualTo(MediaTypes.OCI_LAYER_TAR_ZSTD);

            carried(a, b, "z/app:1");
        }
    }

    @Test
    void nonDistributableLayersAreCarriedAsTheyAreAndTheirBlobsOnlyWhereTheSourceHasThem() throws Exception {
        Path layout = OtherTools.umoci(tmp.resolve("umoci"), "x", "base\n");
        // one layer only its URL holds (never pushed), one whose blob travels with the image (it has no URL)
        byte[] elsewhere = "a layer its vendor serves\n".getBytes(StandardCharsets.UTF_8);
        ObjectNode foreign = OtherTools.JSON.createObjectNode().put("mediaType", MediaTypes.OCI_LAYER_NONDISTRIBUTABLE_TAR_GZIP)
                .put("digest", Digest.sha256(elsewhere).toString()).put("size", elsewhere.length);
        foreign.putArray("urls").add("https://vendor.example/layers/" + Digest.sha256(elsewhere).hex());
        Descriptor held = OtherTools.blob(layout, MediaTypes.OCI_LAYER_NONDISTRIBUTABLE_TAR,
                "a layer kept here\n".getBytes(StandardCharsets.UTF_8));
        ObjectNode heldEntry = OtherTools.JSON.createObjectNode().put("mediaType", held.mediaType())
                .put("digest", held.digest().toString()).put("size", held.size());
        withLayers(layout, "x", "foreign", foreign, heldEntry);
        withLayers(layout, "x", "foreign-url", foreign); // Docker's foreign layers must have URLs
        try (LocalRegistry a = LocalRegistry.allowingForeignLayers(); LocalRegistry b = LocalRegistry.allowingForeignLayers()) {
            OtherTools.skopeoCopy("oci:" + layout + ":foreign", "docker://" + a.address() + "/f/oci:1");
            OtherTools.skopeoCopy("oci:" + layout + ":foreign-url", "docker://" + a.address() + "/f/docker:1", "--format", "v2s2");
            // skopeo leaves the layer with a URL where the URL says, and sends the other (compressed on the way)
            var source = Repository.parse(a.address() + "/f/oci");
            JsonNode layers = OtherTools.JSON.readTree(OtherTools.raw(a.address() + "/f/oci:1")).path("layers");
            Digest absent = Digest.parse(layers.get(1).path("digest").asText());
            Digest present = Digest.parse(layers.get(2).path("digest").asText());
            assertThat(layers.get(2).path("mediaType").asText()).startsWith("application/vnd.oci.image.layer.nondistributable.");
            assertThat(CLIENT.blobExists(source, absent)).isFalse();
            assertThat(CLIENT.blobExists(source, present)).isTrue();
            assertThat(OtherTools.JSON.readTree(OtherTools.raw(a.address() + "/f/docker:1")).path("layers").get(1).path("mediaType")
                    .asText()).isEqualTo(MediaTypes.DOCKER_FOREIGN_LAYER_TAR_GZIP);

            carried(a, b, "f/oci:1");
            carried(a, b, "f/docker:1");
            CopyBatchTest.Result copy = CopyBatchTest.cutter("copy", a.address() + "/f/oci:1", b.address() + "/f/cli:1");
            assertThat(copy.code()).as(copy.err()).isZero();
            assertThat(copy.out()).contains("(3 blobs sent)"); // config, layer, and the non-distributable one the source has

            var target = Repository.parse(b.address() + "/f/oci");
            assertThat(CLIENT.blobExists(target, absent)).as("not pushed: the source lacks it").isFalse();
            assertThat(CLIENT.blobExists(target, present)).as("carried: the source has it").isTrue();
        }
    }

    /** The umoci image {@code tag} with {@code layers} added (and their diff ids in its config), as {@code as}. */
    private static void withLayers(Path layout, String tag, String as, ObjectNode... layers) throws Exception {
        ObjectNode manifest = (ObjectNode) OtherTools.read(layout, Digest.parse(OtherTools.entry(layout, tag).path("digest").asText()));
        ObjectNode config = (ObjectNode) OtherTools.read(layout, Digest.parse(manifest.path("config").path("digest").asText()));
        for (ObjectNode layer : layers) {
            manifest.withArray("layers").add(layer);
            config.withObject("rootfs").withArray("diff_ids").add(layer.path("digest").asText());
        }
        Descriptor configBlob = OtherTools.json(layout, MediaTypes.OCI_CONFIG, config);
        manifest.withObject("config").put("digest", configBlob.digest().toString()).put("size", configBlob.size());
        OtherTools.tag(layout, as, OtherTools.json(layout, MediaTypes.OCI_MANIFEST, manifest));
    }

    @Test
    void attestationEntriesAsBuildxWritesThemTravelWithTheirImages() throws Exception {
        OtherTools.Buildah buildah = OtherTools.Buildah.at(tmp.resolve("buildah"));
        Path layout = tmp.resolve("layout");
        List<Platform> platforms = List.of(AMD64, ARM64, Platform.parse("linux/arm/v7"));
        for (Platform platform : platforms) {
            String name = "app-" + platform.architecture() + platform.variant().orElse("");
            buildah.image(name, platform, platform + "\n");
            buildah.run("push", "-q", name, "oci:" + layout + ":" + name);
        }
        ObjectNode index = OtherTools.JSON.createObjectNode().put("schemaVersion", 2).put("mediaType", MediaTypes.OCI_INDEX);
        List<ObjectNode> attestations = new ArrayList<>();
        for (Platform platform : platforms) {
            ObjectNode image = OtherTools.entry(layout, "app-" + platform.architecture() + platform.variant().orElse(""));
            index.withArray("manifests").add(image.set("platform", platform.toJson()));
            attestations.add(attestation(layout, Digest.parse(image.path("digest").asText())));
        }
        attestations.forEach(index.withArray("manifests")::add);
        OtherTools.tag(layout, "release", OtherTools.json(layout, MediaTypes.OCI_INDEX, index));
        try (LocalRegistry a = LocalRegistry.start(); LocalRegistry b = LocalRegistry.start()) {
            OtherTools.skopeoCopy("oci:" + layout + ":release", "docker://" + a.address() + "/x/app:1");

            carried(a, b, "x/app:1");

            Copier copier = new Copier(CLIENT, OciLayout.open(tmp.resolve("narrow")));
            var two = copier.copy(ImageReference.parse(a.address() + "/x/app:1"), List.of(ImageReference.parse(b.address() + "/x/two:1")),
                    List.of(AMD64, ARM64)).get(0);
            JsonNode narrowed = OtherTools.JSON.readTree(OtherTools.raw(b.address() + "/x/two:1"));
            assertThat(Digest.sha256(OtherTools.raw(b.address() + "/x/two:1"))).isEqualTo(two.digest());
            List<String> kept = new ArrayList<>();
            narrowed.path("manifests").forEach(m -> kept.add(m.path("platform").path("os").asText() + "/"
                    + m.path("platform").path("architecture").asText()));
            assertThat(kept).as("each image's attestation stays beside it").containsExactly("linux/amd64", "linux/arm64",
                    "unknown/unknown", "unknown/unknown");
            assertThat(narrowed.path("manifests").get(2).toString()).isEqualTo(attestations.get(0).toString());
            assertThat(narrowed.path("manifests").get(3).toString()).isEqualTo(attestations.get(1).toString());
            var all = copier.copy(ImageReference.parse(a.address() + "/x/app:1"), List.of(ImageReference.parse(b.address() + "/x/all:1")),
                    platforms).get(0);
            assertThat(all.digest()).as("every platform named: the index as it was").isEqualTo(Digest.sha256(OtherTools.raw(a.address() + "/x/app:1")));
        }
    }

    @Test
    void anArtifactWithASubjectAndTheEmptyConfigIsCopiedAsItIs() throws Exception {
        Path layout = OtherTools.umoci(tmp.resolve("umoci"), "x", "the subject\n");
        Descriptor empty = OtherTools.blob(layout, MediaTypes.OCI_EMPTY, "{}".getBytes(StandardCharsets.UTF_8));
        Descriptor note = OtherTools.blob(layout, "text/plain", "a note about the image\n".getBytes(StandardCharsets.UTF_8));
        ObjectNode artifact = OtherTools.JSON.createObjectNode().put("schemaVersion", 2).put("mediaType", MediaTypes.OCI_MANIFEST)
                .put("artifactType", "application/vnd.example.note.v1");
        artifact.putObject("config").put("mediaType", empty.mediaType()).put("digest", empty.digest().toString())
                .put("size", empty.size());
        artifact.putArray("layers").addObject().put("mediaType", note.mediaType()).put("digest", note.digest().toString())
                .put("size", note.size());
        artifact.set("subject", OtherTools.entry(layout, "x"));
        artifact.putObject("annotations").put("org.opencontainers.image.created", "2024-05-01T12:00:00Z");
        OtherTools.tag(layout, "note", OtherTools.json(layout, MediaTypes.OCI_MANIFEST, artifact));
        try (LocalRegistry a = LocalRegistry.start(); LocalRegistry b = LocalRegistry.start()) {
            OtherTools.skopeoCopy("oci:" + layout + ":x", "docker://" + a.address() + "/n/app:1");
            OtherTools.skopeoCopy("oci:" + layout + ":note", "docker://" + a.address() + "/n/app:note");

            carried(a, b, "n/app:note");
            carried(a, b, "n/app:1");
        }
    }

    /** buildx's attestation manifest for {@code image}: an in-toto statement as its layer, listed as unknown/unknown. */
    private static ObjectNode attestation(Path layout, Digest image) throws Exception {
        ObjectNode statement = OtherTools.JSON.createObjectNode().put("_type", "https://in-toto.io/Statement/v0.1")
                .put("predicateType", "https://slsa.dev/provenance/v0.2");
        statement.putArray("subject").addObject().put("name", "app").putObject("digest").put("sha256", image.hex());
        Descriptor layer = OtherTools.json(layout, MediaTypes.IN_TOTO, statement);
        ObjectNode config = OtherTools.JSON.createObjectNode().put("architecture", "unknown").put("os", "unknown");
        config.putObject("config");
        config.putObject("rootfs").put("type", "layers").putArray("diff_ids").add(layer.digest().toString());
        Descriptor configBlob = OtherTools.json(layout, MediaTypes.OCI_CONFIG, config);
        ObjectNode manifest = OtherTools.JSON.createObjectNode().put("schemaVersion", 2).put("mediaType", MediaTypes.OCI_MANIFEST);
        manifest.putObject("config").put("mediaType", configBlob.mediaType()).put("digest", configBlob.digest().toString())
                .put("size", configBlob.size());
        manifest.putArray("layers").addObject().put("mediaType", layer.mediaType()).put("digest", layer.digest().toString())
                .put("size", layer.size()).putObject("annotations").put("in-toto.io/predicate-type", "https://slsa.dev/provenance/v0.2");
        Descriptor written = OtherTools.json(layout, MediaTypes.OCI_MANIFEST, manifest);
        ObjectNode entry = OtherTools.JSON.createObjectNode().put("mediaType", written.mediaType())
                .put("digest", written.digest().toString()).put("size", written.size());
        entry.putObject("annotations").put(Descriptor.REFERENCE_DIGEST, image.toString())
                .put(Descriptor.REFERENCE_TYPE, Descriptor.ATTESTATION_MANIFEST);
        entry.putObject("platform").put("architecture", "unknown").put("os", "unknown");
        return entry;
    }

    /**
     * {@code a/repoTag} copied to {@code b/repoTag} by the Copier: skopeo reads the same bytes from
     * both. Then, as a promotion does, the Puller reads it from {@code b} with its blobs into a
     * content store and it is pushed from there to {@code b/promoted/…}, again the same bytes.
     */
    private void carried(LocalRegistry a, LocalRegistry b, String repoTag) throws Exception {
        byte[] source = OtherTools.raw(a.address() + "/" + repoTag);
        String name = repoTag.replaceAll("[/:]", "-");
        List<Copier.Copied> copied = new Copier(CLIENT, OciLayout.open(tmp.resolve("store-" + name)))
                .copy(ImageReference.parse(a.address() + "/" + repoTag), List.of(ImageReference.parse(b.address() + "/" + repoTag)));

        assertThat(copied.get(0).digest()).isEqualTo(Digest.sha256(source));
        assertThat(OtherTools.raw(b.address() + "/" + repoTag)).as(repoTag + " in the target").isEqualTo(source);

        OciLayout store = OciLayout.open(tmp.resolve("promote-" + name));
        int colon = repoTag.lastIndexOf(':');
        var from = Repository.parse(b.address() + "/" + repoTag.substring(0, colon));
        Puller.Pulled pulled = Puller.pull(CLIENT, from, repoTag.substring(colon + 1), store);
        assertThat(pulled.top().digest()).isEqualTo(Digest.sha256(source));
        assertThat(pulled.top().mediaType()).isEqualTo(ManifestContent.parse(source, "", repoTag).mediaType());
        var promoted = new RegistryTarget(CLIENT, Repository.parse(b.address() + "/promoted/" + name));
        Pusher.push(promoted, store, store::blob, pulled.top());
        promoted.tag("1", pulled.top(), Files.readAllBytes(store.blob(pulled.top().digest())));
        assertThat(OtherTools.raw(b.address() + "/promoted/" + name + ":1")).as(repoTag + " promoted").isEqualTo(source);
    }
}
