package dev.cutter.oci;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutter.testing.LocalRegistry;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `cutter copy` semantics: digest for digest, every platform, source read once, nothing sent twice. */
class CopierTest {
    static final RegistryClient CLIENT = new RegistryClient(HttpClient.newHttpClient(), Credentials.none(), Set.of());

    @TempDir
    Path tmp;

    @Test
    void anIndexCopiedToARegistryAndALayoutKeepsItsDigestAndACopyAgainSendsNothing() throws Exception {
        try (LocalRegistry a = LocalRegistry.start(); LocalRegistry b = LocalRegistry.start()) {
            OciLayout build = OciLayout.open(tmp.resolve("build"));
            Sample.Built image = Sample.build(tmp.resolve("src"), build.blobs(), FileTime.fromMillis(1_000_000_000_000L), "rw-r--r--");
            var source = Repository.parse(a.address() + "/acme/app");
            Pusher.pushIndex(CLIENT, source, build, image.index().digest(), Optional.empty());
            Pusher.tag(CLIENT, source, build, image.index().digest(), "1.0.0");

            Copier copier = new Copier(CLIENT, OciLayout.open(tmp.resolve("store")));
            var targets = List.of(ImageReference.parse(b.address() + "/mirror/app:1.0.0"),
                    ImageReference.parse(a.address() + "/other/app:1.0.0"),
                    ImageReference.parse("oci:" + tmp.resolve("out") + ":1.0.0"));
            var first = copier.copy(ImageReference.parse("docker://" + a.address() + "/acme/app:1.0.0"), targets);
            var second = copier.copy(ImageReference.parse(a.address() + "/acme/app:1.0.0"), targets);

            assertThat(first).extracting(Copier.Copied::digest).containsOnly(image.index().digest());
            assertThat(first.get(0).blobsSent()).isEqualTo(4);
            assertThat(first.get(1).blobsSent()).as("mounted within the same registry, not uploaded").isEqualTo(4);
            assertThat(second).extracting(Copier.Copied::blobsSent).containsExactly(0, 0, 0);
            assertThat(CLIENT.headManifest(Repository.parse(b.address() + "/mirror/app"), "1.0.0").orElseThrow().digest())
                    .isEqualTo(image.index().digest());
            assertThat(RegistryClientTest.skopeo("inspect", "--tls-verify=false", "--raw", "docker://" + b.address() + "/mirror/app:1.0.0"))
                    .isEqualTo(Files.readString(build.blob(image.index().digest())));
            assertThat(OciLayout.open(tmp.resolve("out")).resolve("1.0.0").orElseThrow().digest()).isEqualTo(image.index().digest());
        }
    }

    @Test
    void onePlatformCopiesItsManifestAndSeveralANarrowedIndex() throws Exception {
        try (LocalRegistry a = LocalRegistry.start()) {
            OciLayout build = OciLayout.open(tmp.resolve("build"));
            Sample.Built image = Sample.build(tmp.resolve("src"), build.blobs(), FileTime.fromMillis(1_000_000_000_000L), "rw-r--r--");
            build.tag("1.0.0", image.index());
            Copier copier = new Copier(CLIENT, OciLayout.open(tmp.resolve("store")));
            ImageReference source = ImageReference.parse("oci:" + tmp.resolve("build") + ":1.0.0");

            var arm = copier.copy(source, List.of(ImageReference.parse(a.address() + "/acme/arm:1")), List.of(Platform.parse("linux/arm64")));
            var both = copier.copy(source, List.of(ImageReference.parse(a.address() + "/acme/both:1")), Sample.PLATFORMS);

            assertThat(arm.get(0).digest()).isEqualTo(image.image("linux/arm64").manifest().digest());
            assertThat(RegistryClientTest.skopeo("inspect", "--tls-verify=false", "--config", "docker://" + a.address() + "/acme/arm:1"))
                    .contains("\"architecture\": \"arm64\"");
            assertThat(both.get(0).digest()).isEqualTo(image.index().digest()); // every platform kept: the same bytes
        }
    }

    @Test
    void anIndexOfIndexesIsCopiedWholeAndReadBackByThePuller() throws Exception {
        try (LocalRegistry a = LocalRegistry.start()) {
            OciLayout build = OciLayout.open(tmp.resolve("build"));
            Sample.Built image = Sample.build(tmp.resolve("src"), build.blobs(), FileTime.fromMillis(1_000_000_000_000L), "rw-r--r--");
            byte[] outer = ("{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"" + MediaTypes.OCI_INDEX + "\",\"digest\":\""
                    + image.index().digest() + "\",\"size\":" + image.index().size() + "}]}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
            Path file = Files.write(tmp.resolve("outer.json"), outer);
            dev.cutter.content.Digest digest = dev.cutter.content.Digest.sha256(outer);
            build.putBlob(digest, file);
            build.tag("nested", new Descriptor(MediaTypes.OCI_INDEX, digest, outer.length));

            var copied = new Copier(CLIENT, OciLayout.open(tmp.resolve("store")))
                    .copy(ImageReference.parse("oci:" + tmp.resolve("build") + ":nested"), List.of(ImageReference.parse(a.address() + "/n/app:1")));
            OciLayout read = OciLayout.open(tmp.resolve("read"));
            Puller.Pulled pulled = Puller.pull(CLIENT, Repository.parse(a.address() + "/n/app"), "1", read);

            assertThat(copied.get(0).digest()).isEqualTo(digest);
            assertThat(copied.get(0).blobsSent()).isEqualTo(4);
            assertThat(RegistryClientTest.skopeo("inspect", "--tls-verify=false", "--raw", "docker://" + a.address() + "/n/app:1"))
                    .isEqualTo(new String(outer, java.nio.charset.StandardCharsets.UTF_8));
            assertThat(pulled.blobsFetched()).as("4 blobs, 2 manifests, the inner index and the outer").isEqualTo(8);
            assertThat(Copier.reachable(build, build.resolve("nested").orElseThrow())).hasSize(8).endsWith(image.index().digest(), digest);
        }
    }

    @Test
    void shortNamesMeanDockerHubAsDockerSpellsThem() {
        assertThat(ImageReference.parse("debian:bookworm-slim").location()).isEqualTo("registry-1.docker.io/library/debian");
        assertThat(ImageReference.parse("docker.io/datadog/serverless-init:1").location()).isEqualTo("registry-1.docker.io/datadog/serverless-init");
        assertThat(ImageReference.parse("127.0.0.1:5000/a/b@sha256:" + "a".repeat(64)).reference()).isEqualTo("sha256:" + "a".repeat(64));
        assertThat(ImageReference.parse("oci:/tmp/x:v1")).isEqualTo(new ImageReference(true, "/tmp/x", "v1"));
    }
}
