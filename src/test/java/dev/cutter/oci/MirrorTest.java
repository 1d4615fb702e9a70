package dev.cutter.oci;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutter.content.Digest;
import dev.cutter.testing.LocalRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A mirror (`cutter copy --batch`) of images that share a base layer, from one registry to
 * another, counted in the target registry's own access log: the shared layer is uploaded once and
 * mounted into the other repository, and a re-run with nothing to change only reads manifests.
 */
class MirrorTest {
    @TempDir
    Path tmp;

    /** Images {@code img1..imgN}, each a base layer they all share and a layer of its own, pushed to {@code source}. */
    private Layer images(LocalRegistry source, int count) throws Exception {
        OciLayout layout = OciLayout.open(tmp.resolve("build"));
        FileTime mtime = FileTime.fromMillis(1_000_000_000_000L);
        Path base = Sample.write(tmp.resolve("base.txt"), "the base every image is built FROM\n", "rw-r--r--", mtime);
        Layer shared = LayerBuilder.fromFiles(Map.of("/etc/base.txt", base), Map.of(), Sample.MTIME, layout.blobs());
        RegistryClient client = new RegistryClient(RegistryClient.http(), Credentials.none(), java.util.Set.of());
        for (int i = 1; i <= count; i++) {
            Path own = Sample.write(tmp.resolve("own" + i), "image " + i + "\n", "rw-r--r--", mtime);
            Layer layer = LayerBuilder.fromFiles(Map.of("/own", own), Map.of(), Sample.MTIME, layout.blobs());
            AssembledImage image = ImageAssembler.assemble(Platform.parse("linux/amd64"), List.of(shared, layer), Sample.config(),
                    layout.blobs());
            layout.tag("img" + i, image.manifest());
            new Copier(client, layout).copy(ImageReference.parse("oci:" + tmp.resolve("build") + ":img" + i),
                    List.of(ImageReference.parse(source.address() + "/lib/img" + i + ":1")));
        }
        return shared;
    }

    private Path batch(LocalRegistry source, LocalRegistry target, int count) throws Exception {
        List<String> lines = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            lines.add(source.address() + "/lib/img" + i + ":1 " + target.address() + "/mirror/img" + i + ":1");
        }
        return Files.write(tmp.resolve("mirror.txt"), lines);
    }

    @Test
    void aLayerTheImagesShareIsUploadedToTheTargetOnceAndMountedIntoTheOtherRepositories() throws Exception {
        try (LocalRegistry source = LocalRegistry.start(); LocalRegistry target = LocalRegistry.start()) {
            Digest base = images(source, 4).descriptor().digest();

            CopyBatchTest.Result copied = CopyBatchTest.cutter("copy", "--batch", batch(source, target, 4).toString());

            assertThat(copied.code()).as(copied.err()).isZero();
            List<LocalRegistry.Request> requests = target.requests();
            assertThat(requests).as("uploads of the shared layer")
                    .filteredOn(r -> r.method().equals("PUT") && r.path().contains("digest=") && r.path().contains(base.hex())).hasSize(1);
            assertThat(requests).as("mounts of the shared layer from the repository it went to")
                    .filteredOn(r -> r.method().equals("POST") && r.path().contains("mount=") && r.path().contains(base.hex()) && r.status() == 201)
                    .hasSize(3);
            for (int i = 1; i <= 4; i++) {
                assertThat(RegistryClientTest.skopeo("inspect", "--tls-verify=false", "--raw", "docker://" + target.address()
                        + "/mirror/img" + i + ":1")).isEqualTo(RegistryClientTest.skopeo("inspect", "--tls-verify=false", "--raw",
                        "docker://" + source.address() + "/lib/img" + i + ":1"));
            }
        }
    }

    @Test
    void aRerunWithNothingToChangeOnlyReadsManifests() throws Exception {
        try (LocalRegistry source = LocalRegistry.start(); LocalRegistry target = LocalRegistry.start()) {
            images(source, 3);
            Path batch = batch(source, target, 3);
            assertThat(CopyBatchTest.cutter("copy", "--batch", batch.toString()).code()).isZero();
            int sourceBefore = source.requests().size();
            int targetBefore = target.requests().size();

            CopyBatchTest.Result again = CopyBatchTest.cutter("copy", "--batch", batch.toString());

            assertThat(again.code()).as(again.err()).isZero();
            List<LocalRegistry.Request> toSource = source.requests().subList(sourceBefore, source.requests().size());
            List<LocalRegistry.Request> toTarget = target.requests().subList(targetBefore, target.requests().size());
            assertThat(toTarget).as("the target is only asked for its tags' manifests").isNotEmpty()
                    .allMatch(r -> r.method().equals("HEAD") && r.path().contains("/manifests/"), "HEAD of a manifest");
            assertThat(toSource).as("the source is only read: manifests, its tags, whether it has a referrers API")
                    .allMatch(r -> (r.method().equals("HEAD") || r.method().equals("GET")) && !r.path().contains("/blobs/"),
                            "a read of no blob");
            // each image: its manifest looked at and its tags listed once (where referrers' tags would be), the referrers
            // API asked until one answer says the registry has none (the three images go at once); nothing per target
            assertThat(toSource.size()).as(toSource.toString()).isLessThanOrEqualTo(3 * 3);
        }
    }
}
