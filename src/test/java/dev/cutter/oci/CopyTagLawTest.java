package dev.cutter.oci;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutter.oci.CopyBatchTest.Result;
import dev.cutter.testing.LocalRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `cutter copy` obeys law 3 as a release does: a version tag never moves, unless forced. */
@Tag("security")
class CopyTagLawTest {
    @TempDir
    Path tmp;

    /** Two different images, tagged one and two in the layout tmp/build. */
    private record Images(OciLayout layout, Sample.Built one, Sample.Built two) {}

    private Images twoImages() throws Exception {
        OciLayout layout = OciLayout.open(tmp.resolve("build"));
        Sample.Built one = Sample.build(tmp.resolve("one"), layout.blobs(), FileTime.fromMillis(1_000_000_000_000L), "rw-r--r--");
        Sample.Built two = Sample.build(tmp.resolve("two"), layout.blobs(), FileTime.fromMillis(1_500_000_000_000L), "rwxr-xr-x");
        layout.tag("one", one.index());
        layout.tag("two", two.index());
        return new Images(layout, one, two);
    }

    private String raw(LocalRegistry registry, String path) throws Exception {
        return RegistryClientTest.skopeo("inspect", "--tls-verify=false", "--raw", "docker://" + registry.address() + "/" + path);
    }

    @Test
    void aVersionTagAtAnotherDigestIsRefusedAndNothingIsCopied() throws Exception {
        try (LocalRegistry registry = LocalRegistry.start()) {
            Images images = twoImages();
            OciLayout layout = images.layout();
            Sample.Built one = images.one();
            Sample.Built two = images.two();
            String src = "oci:" + tmp.resolve("build");
            assertThat(CopyBatchTest.cutter("copy", src + ":one", registry.address() + "/acme/app:1.0.0").code()).isZero();
            String before = raw(registry, "acme/app:1.0.0");

            Result refused = CopyBatchTest.cutter("copy", src + ":two", registry.address() + "/acme/app:1.0.0",
                    registry.address() + "/acme/other:1.0.0");

            assertThat(refused.code()).isEqualTo(3);
            assertThat(refused.err()).contains(registry.address() + "/acme/app:1.0.0 points at " + one.index().digest())
                    .contains("version tag").contains("--force");
            assertThat(raw(registry, "acme/app:1.0.0")).isEqualTo(before);
            Process other = new ProcessBuilder("skopeo", "inspect", "--tls-verify=false", "--raw",
                    "docker://" + registry.address() + "/acme/other:1.0.0").redirectErrorStream(true).start();
            other.getInputStream().readAllBytes();
            assertThat(other.waitFor()).as("the other target was not written either").isNotZero();

            Result forced = CopyBatchTest.cutter("copy", "--force", src + ":two", registry.address() + "/acme/app:1.0.0");

            assertThat(forced.code()).as(forced.err()).isZero();
            assertThat(raw(registry, "acme/app:1.0.0")).isEqualTo(Files.readString(layout.blob(two.index().digest())));
        }
    }

    @Test
    void floatingTagsMoveAndTheSameDigestIsNoConflict() throws Exception {
        try (LocalRegistry registry = LocalRegistry.start()) {
            Images images = twoImages();
            OciLayout layout = images.layout();
            Sample.Built one = images.one();
            Sample.Built two = images.two();
            String src = "oci:" + tmp.resolve("build");
            assertThat(CopyBatchTest.cutter("copy", src + ":one", registry.address() + "/acme/app:latest",
                    registry.address() + "/acme/app:2.0.0").code()).isZero();

            Result moved = CopyBatchTest.cutter("copy", src + ":two", registry.address() + "/acme/app:latest");
            Result again = CopyBatchTest.cutter("copy", src + ":one", registry.address() + "/acme/app:2.0.0");

            assertThat(moved.code()).as(moved.err()).isZero();
            assertThat(raw(registry, "acme/app:latest")).isEqualTo(Files.readString(layout.blob(two.index().digest())));
            assertThat(again.code()).as(again.err()).isZero();
        }
    }

    @Test
    void aTagTheLedgerRecordsAsReleasedImmutableIsRefusedWhateverItsShape() throws Exception {
        try (LocalRegistry registry = LocalRegistry.start()) {
            Path project = Files.createDirectories(tmp.resolve("project"));
            Files.writeString(project.resolve("app"), "app\n");
            Path spec = Files.writeString(project.resolve("cutter.yaml"), """
                    project: demo
                    registries:
                      main: { url: "%s" }
                    images:
                      - id: app
                        platforms: [linux/amd64]
                        from: scratch
                        files: { /app: app }
                        push: main/acme/app
                        tags: [ "rev-{short_sha}" ]
                    """.formatted(registry.address()));
            Result released = CopyBatchTest.cutter("release", "-f", spec.toString(), "--version", "1.0.0",
                    "--sha", "abcdef0123456789abcdef0123456789abcdef01");
            assertThat(released.code()).as(released.err()).isZero();
            String before = raw(registry, "acme/app:rev-abcdef0");
            OciLayout layout = OciLayout.open(tmp.resolve("build"));
            Sample.Built other = Sample.build(tmp.resolve("other"), layout.blobs(), FileTime.fromMillis(1_000_000_000_000L), "rw-r--r--");
            layout.tag("other", other.index());

            Result refused = CopyBatchTest.cutter("copy", "--ledger", project.resolve(".cutter/ledger.db").toString(),
                    "oci:" + tmp.resolve("build") + ":other", registry.address() + "/acme/app:rev-abcdef0");

            assertThat(refused.code()).as(refused.err()).isEqualTo(3);
            assertThat(refused.err()).contains("released it as an immutable tag");
            assertThat(raw(registry, "acme/app:rev-abcdef0")).isEqualTo(before);
        }
    }

    @Test
    void aCopyBetweenRegistriesRunAgainFindsEveryTargetAsItIsAndChangesNothing() throws Exception {
        try (LocalRegistry registry = LocalRegistry.start()) {
            OciLayout layout = OciLayout.open(tmp.resolve("build"));
            Sample.Built one = Sample.build(tmp.resolve("one"), layout.blobs(), FileTime.fromMillis(1_000_000_000_000L), "rw-r--r--");
            layout.tag("one", one.index());
            String source = registry.address() + "/acme/app:1.0.0";
            assertThat(CopyBatchTest.cutter("copy", "oci:" + tmp.resolve("build") + ":one", source).code()).isZero();
            String target = registry.address() + "/mirror/app:1.0.0";

            Result first = CopyBatchTest.cutter("copy", source, target);
            Result again = CopyBatchTest.cutter("copy", source, target);

            assertThat(first.code()).as(first.err()).isZero();
            assertThat(again.code()).as(again.err()).isZero();
            assertThat(again.out()).contains(target + " " + one.index().digest() + " (0 blobs sent)");
            assertThat(raw(registry, "mirror/app:1.0.0")).isEqualTo(Files.readString(layout.blob(one.index().digest())));
        }
    }

    /**
     * The law judges the targets before anything is written, but another writer may tag while the
     * copy uploads (a registry has no compare-and-set): the tag is read again just before it is
     * written, and a version tag that appeared meanwhile is not overwritten.
     */
    @Test
    void aVersionTagWrittenWhileTheCopyUploadsIsNotOverwritten() throws Exception {
        try (LocalRegistry registry = LocalRegistry.start();
                dev.cutter.testing.HostileRegistry held = dev.cutter.testing.HostileRegistry.start(registry.address(),
                        dev.cutter.testing.HostileRegistry.Trick.HOLD_FIRST_MANIFEST)) {
            Images images = twoImages();
            String src = "oci:" + tmp.resolve("build");
            var paused = java.util.concurrent.CompletableFuture.supplyAsync(
                    () -> CopyBatchTest.cutter("copy", src + ":two", held.address() + "/acme/app:1.0.0"), r -> new Thread(r).start());
            assertThat(held.awaitHeld(java.time.Duration.ofMinutes(1))).as("the copy reached its manifests").isTrue();
            assertThat(CopyBatchTest.cutter("copy", src + ":one", registry.address() + "/acme/app:1.0.0").code()).isZero();
            held.letGo();

            Result overtaken = paused.get(2, java.util.concurrent.TimeUnit.MINUTES);

            assertThat(overtaken.code()).as(overtaken.err()).isEqualTo(3);
            assertThat(overtaken.err()).contains("acme/app:1.0.0 points at " + images.one().index().digest()).contains("version tag");
            assertThat(raw(registry, "acme/app:1.0.0")).isEqualTo(Files.readString(images.layout().blob(images.one().index().digest())));
        }
    }
}
