package dev.cutter.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cutter.content.Digest;
import dev.cutter.testing.LocalRegistry;
import dev.cutter.testing.Tools;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The distribution client against the real CNCF registry, checked with skopeo. */
public class RegistryClientTest {
    static LocalRegistry registry;
    static final RegistryClient CLIENT = new RegistryClient(HttpClient.newHttpClient(), Credentials.none(), Set.of());

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() throws Exception {
        registry = LocalRegistry.start();
    }

    @AfterAll
    static void stop() throws Exception {
        registry.close();
    }

    Sample.Built built(OciLayout store) throws Exception {
        return Sample.build(tmp.resolve("src"), store.blobs(), FileTime.fromMillis(1_000_000_000_000L), "rw-r--r--");
    }

    public static String skopeo(String... args) throws Exception {
        Tools.require("skopeo", "skopeo");
        java.util.List<String> command = new java.util.ArrayList<>(List.of("skopeo"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

    @Test
    void aPushedIndexIsWhatSkopeoReadsByteForByteAndAPushAgainSendsNothing() throws Exception {
        OciLayout store = OciLayout.open(tmp.resolve("store"));
        Sample.Built image = built(store);
        var repo = Repository.parse(registry.address() + "/acme/app");

        Pusher.Result first = Pusher.pushIndex(CLIENT, repo, store, image.index().digest(), Optional.empty());
        Pusher.tag(CLIENT, repo, store, image.index().digest(), "1.0.0");
        Pusher.Result second = Pusher.pushIndex(CLIENT, repo, store, image.index().digest(), Optional.empty());

        assertThat(first.blobsUploaded()).isEqualTo(4); // two layers, two configs
        assertThat(first.manifestsWritten()).isEqualTo(3);
        assertThat(second).isEqualTo(new Pusher.Result(0, 4, 0));
        String raw = skopeo("inspect", "--tls-verify=false", "--raw", "docker://" + repo + ":1.0.0");
        assertThat(raw.getBytes(StandardCharsets.UTF_8)).isEqualTo(Files.readAllBytes(store.blob(image.index().digest())));
        String arm = skopeo("inspect", "--tls-verify=false", "--override-arch", "arm64", "--config", "docker://" + repo + ":1.0.0");
        assertThat(arm).contains("\"architecture\": \"arm64\"").contains("/usr/local/bin/app");
        assertThat(CLIENT.tags(repo)).containsExactly("1.0.0");
        assertThat(CLIENT.headManifest(repo, "1.0.0")).hasValueSatisfying(h -> assertThat(h.digest()).isEqualTo(image.index().digest()));
    }

    @Test
    void aBlobMountedFromAnotherRepositoryIsNotUploadedAgain() throws Exception {
        OciLayout store = OciLayout.open(tmp.resolve("store"));
        Sample.Built image = built(store);
        var source = Repository.parse(registry.address() + "/acme/source");
        var copy = Repository.parse(registry.address() + "/mirror/copy");
        Pusher.pushIndex(CLIENT, source, store, image.index().digest(), Optional.empty());

        Digest layer = image.layers().get(0).digest();
        Path missing = tmp.resolve("not-there");
        CLIENT.putBlob(copy, layer, missing, Optional.of("acme/source")); // a mount never reads the file

        assertThat(CLIENT.blobExists(copy, layer)).isTrue();
    }

    @Test
    void tagListsFollowPagination() throws Exception {
        OciLayout store = OciLayout.open(tmp.resolve("store"));
        Sample.Built image = built(store);
        var repo = Repository.parse(registry.address() + "/acme/many");
        Pusher.pushIndex(CLIENT, repo, store, image.index().digest(), Optional.empty());
        for (int i = 0; i < 25; i++) {
            Pusher.tag(CLIENT, repo, store, image.index().digest(), "1.0." + i);
        }
        var paged = new RegistryClient(HttpClient.newHttpClient(), Credentials.none(), Set.of()).pageSize(10);

        assertThat(paged.tags(repo)).hasSize(25).contains("1.0.0", "1.0.24");
    }

    @Test
    void unknownThingsAreEmptyAndAManifestWithMissingPartsIsRefusedNamingTheUrl() throws Exception {
        var repo = Repository.parse(registry.address() + "/nobody/here");

        assertThat(CLIENT.tags(repo)).isEmpty();
        assertThat(CLIENT.headManifest(repo, "latest")).isEmpty();
        assertThat(CLIENT.getManifest(repo, "latest")).isEmpty();
        byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"config\":{\"mediaType\":\""
                + MediaTypes.OCI_CONFIG + "\",\"digest\":\"sha256:" + "a".repeat(64) + "\",\"size\":2},\"layers\":[]}")
                .getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> CLIENT.putManifest(repo, "x", MediaTypes.OCI_MANIFEST, manifest))
                .isInstanceOf(RegistryException.class).hasMessageContaining(registry.url() + "/v2/nobody/here/manifests/x")
                .hasMessageContaining("MANIFEST_BLOB_UNKNOWN");
    }

    @Test
    void aRegistryThatIsNotThereIsARetryableFailureNamingTheHost() {
        var client = new RegistryClient(HttpClient.newHttpClient(), Credentials.none(), Set.of(), java.time.Duration.ofMillis(20));
        var repo = Repository.parse("127.0.0.1:9/acme/app");

        assertThatThrownBy(() -> client.tags(repo)).isInstanceOfSatisfying(RegistryException.class, e -> {
            assertThat(e.retryable()).isTrue();
            assertThat(e.getMessage()).contains("cannot reach the registry 127.0.0.1:9");
        });
    }

    @Test
    void aBlobSentInChunksArrivesWholeEvenWhenChunksAreLostOnTheWay() throws Exception {
        Path blob = tmp.resolve("blob");
        byte[] data = new byte[5 << 20];
        new java.util.Random(42).nextBytes(data);
        Files.write(blob, data);
        Digest digest = Digest.sha256(blob);
        var chunked = new RegistryClient(HttpClient.newHttpClient(), Credentials.none(), Set.of(), java.time.Duration.ofMillis(50))
                .chunked(1 << 20);
        var repo = Repository.parse(registry.address() + "/acme/chunks");

        chunked.putBlob(repo, digest, blob, Optional.empty());

        assertThat(CLIENT.blobExists(repo, digest)).isTrue();
        try (dev.cutter.testing.FaultyProxy proxy = dev.cutter.testing.FaultyProxy.start(registry.address(), 7, 0.3)) {
            var throughFaults = Repository.parse(proxy.address() + "/acme/chunks-faulty");
            chunked.putBlob(throughFaults, digest, blob, Optional.empty());

            assertThat(proxy.injected()).as("faults injected").isPositive();
            Path back = tmp.resolve("back");
            CLIENT.getBlob(Repository.parse(registry.address() + "/acme/chunks-faulty"), digest, back);
            assertThat(Files.readAllBytes(back)).isEqualTo(data);
        }
    }
}
