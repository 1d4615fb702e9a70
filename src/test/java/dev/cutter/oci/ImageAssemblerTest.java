package dev.cutter.oci;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cutter.content.Digest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageAssemblerTest {
    @TempDir
    Path tmp;

    static final Digest A = Digest.parse("sha256:" + "a".repeat(64));
    static final Digest B = Digest.parse("sha256:" + "b".repeat(64));
    static final Digest C = Digest.parse("sha256:" + "c".repeat(64));

    static Layer layer(Digest digest, Digest diffId) {
        return new Layer(new Descriptor(MediaTypes.OCI_LAYER_TAR_GZIP, digest, 42), diffId, Path.of("unused"));
    }

    @Test
    void theConfigIsCanonicalJsonWithFixedKeyOrderAndSortedMaps() {
        ImageConfig config = new ImageConfig(List.of("/app", "--flag=\"x\""), List.of(),
                Map.of("Z", "last", "A_B", "1", "A", "tab\there"), Optional.of("/work"), Optional.empty(),
                Map.of("b", "2", "a", "ünï"), Instant.parse("2024-05-01T12:00:00Z"));

        String json = new String(ImageAssembler.configJson(Platform.parse("linux/arm/v7"), List.of(layer(A, B), layer(B, C)), config), UTF_8);

        assertThat(json).isEqualTo("{\"created\":\"2024-05-01T12:00:00Z\",\"architecture\":\"arm\",\"os\":\"linux\",\"variant\":\"v7\","
                + "\"config\":{\"Env\":[\"A=tab\\there\",\"A_B=1\",\"Z=last\"],\"Entrypoint\":[\"/app\",\"--flag=\\\"x\\\"\"],"
                + "\"WorkingDir\":\"/work\",\"Labels\":{\"a\":\"ünï\",\"b\":\"2\"}},"
                + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + B + "\",\"" + C + "\"]},"
                + "\"history\":[{\"created\":\"2024-05-01T12:00:00Z\",\"created_by\":\"cutter: add files\"},"
                + "{\"created\":\"2024-05-01T12:00:00Z\",\"created_by\":\"cutter: add files\"}]}");
    }

    @Test
    void anEmptyConfigKeepsOnlyWhatAnImageNeeds() {
        String json = new String(ImageAssembler.configJson(Platform.parse("linux/amd64"), List.of(),
                ImageConfig.created(Instant.EPOCH)), UTF_8);

        assertThat(json).isEqualTo("{\"created\":\"1970-01-01T00:00:00Z\",\"architecture\":\"amd64\",\"os\":\"linux\","
                + "\"config\":{},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]},\"history\":[]}");
    }

    @Test
    void controlCharactersAreEscapedAndNothingElse() {
        ImageConfig config = ImageConfig.created(Instant.EPOCH).withLabels(Map.of("k", "\u0001\n\\/<>&\u2028"));

        String json = new String(ImageAssembler.configJson(Platform.parse("linux/amd64"), List.of(), config), UTF_8);

        assertThat(json).contains("\"Labels\":{\"k\":\"\\u0001\\n\\\\/<>&\u2028\"}");
    }

    @Test
    void theManifestListsConfigThenLayers() {
        Descriptor config = new Descriptor(MediaTypes.OCI_CONFIG, A, 7);

        String json = new String(ImageAssembler.manifestJson(config, List.of(layer(B, C))), UTF_8);

        assertThat(json).isEqualTo("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + A + "\",\"size\":7},"
                + "\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"" + B + "\",\"size\":42}]}");
    }

    @Test
    void theIndexHasOneEntryPerPlatformInTheOrderGiven() {
        List<AssembledImage> images = List.of(
                new AssembledImage(new Descriptor(MediaTypes.OCI_MANIFEST, B, 10), Platform.parse("linux/arm64"), A),
                new AssembledImage(new Descriptor(MediaTypes.OCI_MANIFEST, C, 11), Platform.parse("linux/amd64"), A));

        String json = new String(ImageAssembler.indexJson(images, Map.of("z", "1", "a", "2")), UTF_8);

        assertThat(json).isEqualTo("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":["
                + "{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"" + B + "\",\"size\":10,"
                + "\"platform\":{\"architecture\":\"arm64\",\"os\":\"linux\"}},"
                + "{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"" + C + "\",\"size\":11,"
                + "\"platform\":{\"architecture\":\"amd64\",\"os\":\"linux\"}}],"
                + "\"annotations\":{\"a\":\"2\",\"z\":\"1\"}}");
    }

    @Test
    void theSameInputsGiveTheSameLayerConfigManifestAndIndexDigestsInAnyDirectory() throws IOException {
        Sample.Built first = Sample.build(tmp.resolve("one/src"), tmp.resolve("one/blobs"),
                FileTime.fromMillis(1_000_000_000_000L), "rw-r--r--");
        Sample.Built second = Sample.build(tmp.resolve("two/src"), tmp.resolve("two/blobs"),
                FileTime.fromMillis(1_714_000_000_999L), "rw-------");

        assertThat(second.layers()).extracting(Layer::descriptor).isEqualTo(first.layers().stream().map(Layer::descriptor).toList());
        assertThat(second.layers()).extracting(Layer::diffId).isEqualTo(first.layers().stream().map(Layer::diffId).toList());
        assertThat(second.images()).isEqualTo(first.images());
        assertThat(second.index()).isEqualTo(first.index());
        assertThat(Files.readAllBytes(tmp.resolve("two/blobs").resolve(second.index().digest().hex())))
                .isEqualTo(Files.readAllBytes(tmp.resolve("one/blobs").resolve(first.index().digest().hex())));
    }

    @Test
    void aChangedLabelChangesTheConfigManifestAndIndexButNotTheLayer() throws IOException {
        Sample.Built built = Sample.build(tmp.resolve("src"), tmp.resolve("blobs"), FileTime.fromMillis(0), "rw-r--r--");
        Layer layer = built.layers().getFirst();

        AssembledImage relabelled = ImageAssembler.assemble(Sample.PLATFORMS.getFirst(), List.of(layer),
                Sample.config().withLabels(Map.of("org.opencontainers.image.version", "1.0.1")), tmp.resolve("blobs"));

        AssembledImage original = built.images().getFirst();
        assertThat(relabelled.config()).isNotEqualTo(original.config());
        assertThat(relabelled.digest()).isNotEqualTo(original.digest());
    }

    @Test
    void theIndexNamesBothPlatformsAndEveryBlobItReachesIsInTheDirectory() throws IOException {
        Path blobs = tmp.resolve("blobs");
        Sample.Built built = Sample.build(tmp.resolve("src"), blobs, FileTime.fromMillis(0), "rw-r--r--");

        JsonNode index = CanonicalJson.read(Files.readAllBytes(blobs.resolve(built.index().digest().hex())));

        assertThat(built.index().mediaType()).isEqualTo(MediaTypes.OCI_INDEX);
        assertThat(index.get("manifests")).extracting(m -> m.at("/platform/os").asText() + "/" + m.at("/platform/architecture").asText())
                .containsExactly("linux/amd64", "linux/arm64");
        for (JsonNode entry : index.get("manifests")) {
            Path manifestFile = blobs.resolve(Digest.parse(entry.get("digest").asText()).hex());
            assertThat(Digest.sha256(manifestFile).toString()).isEqualTo(entry.get("digest").asText());
            assertThat(Files.size(manifestFile)).isEqualTo(entry.get("size").asLong());
            JsonNode manifest = CanonicalJson.read(Files.readAllBytes(manifestFile));
            List<JsonNode> referenced = new java.util.ArrayList<>();
            referenced.add(manifest.get("config"));
            manifest.get("layers").forEach(referenced::add);
            for (JsonNode descriptor : referenced) {
                Path blob = blobs.resolve(Digest.parse(descriptor.get("digest").asText()).hex());
                assertThat(Digest.sha256(blob).toString()).isEqualTo(descriptor.get("digest").asText());
                assertThat(Files.size(blob)).isEqualTo(descriptor.get("size").asLong());
            }
        }
        JsonNode config = CanonicalJson.read(Files.readAllBytes(blobs.resolve(built.image("linux/arm64").config().hex())));
        assertThat(config.get("architecture").asText()).isEqualTo("arm64");
        assertThat(config.at("/rootfs/diff_ids/0").asText()).isEqualTo(built.layers().get(1).diffId().toString());
    }

    @Test
    void layersBuiltElsewhereAreCopiedInSoTheDirectoryHoldsTheWholeImage() throws IOException {
        Path source = Sample.write(tmp.resolve("f"), "x", "rw-r--r--", FileTime.fromMillis(0));
        Layer layer = LayerBuilder.fromFiles(Map.of("/f", source), Map.of(), 0, tmp.resolve("elsewhere"));

        ImageAssembler.assemble(Platform.parse("linux/amd64"), List.of(layer), ImageConfig.created(Instant.EPOCH), tmp.resolve("blobs"));

        assertThat(tmp.resolve("blobs").resolve(layer.digest().hex())).hasSameBinaryContentAs(layer.blob());
    }

    @Test
    void refusesTwoImagesForOnePlatformInAnIndex() throws IOException {
        Sample.Built built = Sample.build(tmp.resolve("src"), tmp.resolve("blobs"), FileTime.fromMillis(0), "rw-r--r--");
        AssembledImage amd64 = built.image("linux/amd64");

        assertThatThrownBy(() -> ImageAssembler.index(List.of(amd64, amd64), Map.of(), tmp.resolve("blobs")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("linux/amd64");
    }

    @Test
    void refusesAnIndexOverImagesAssembledIntoAnotherDirectory() throws IOException {
        Sample.Built built = Sample.build(tmp.resolve("src"), tmp.resolve("blobs"), FileTime.fromMillis(0), "rw-r--r--");

        assertThatThrownBy(() -> ImageAssembler.index(built.images(), Map.of(), tmp.resolve("other")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("assemble the images into");
    }
}
