package dev.cutter.oci;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutter.testing.HostileRegistry;
import dev.cutter.testing.HostileRegistry.Trick;
import dev.cutter.testing.LocalRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A registry's credentials go to that registry only. Registries that keep blobs elsewhere (S3,
 * GCS, a CDN) redirect blob downloads and hand out upload locations on another host; those URLs
 * carry their own grant. A client that sent its Authorization there would hand the registry's
 * password (Basic) or token to whatever host a registry, or whoever controls its answers, names.
 * Docker's and containerd's clients authorize per host; Cutter does too.
 */
@Tag("e2e")
class CredentialsStayWithTheRegistryTest {
    static final String USER = "releaser";
    static final String PASSWORD = "s3cret-pass-42";

    @TempDir
    Path tmp;

    static RegistryClient signedIn(HostileRegistry front) {
        return new RegistryClient(RegistryClient.http(),
                Credentials.of(Map.of(front.address(), new Credentials.UsernamePassword(USER, PASSWORD)), Credentials.none()), Set.of());
    }

    /** A sample image pushed to {@code repo} and tagged {@code 1.0.0}. */
    Sample.Built pushed(RegistryClient client, Repository repo) throws Exception {
        OciLayout layout = OciLayout.open(tmp.resolve("build"));
        Sample.Built image = Sample.build(tmp.resolve("src"), layout.blobs(), FileTime.fromMillis(1_000_000_000_000L), "rw-r--r--");
        Pusher.pushIndex(client, repo, layout, image.index().digest(), Optional.empty());
        Pusher.tag(client, repo, layout, image.index().digest(), "1.0.0");
        return image;
    }

    @Test
    void uploadsAndDownloadsOnAnotherHostAreSentNoCredentials() throws Exception {
        try (LocalRegistry registry = LocalRegistry.withBasicAuth(USER, PASSWORD);
                HostileRegistry front = HostileRegistry.start(registry.address(), Trick.STORAGE_ELSEWHERE)) {
            RegistryClient client = signedIn(front);
            Repository repo = Repository.parse(front.address() + "/acme/app");
            Sample.Built image = pushed(client, repo);
            Puller.pull(client, repo, "1.0.0", OciLayout.open(tmp.resolve("pulled")));

            assertThat(front.servedElsewhere()).as("uploads and downloads went to the storage host").isPositive();
            assertThat(front.authorizationsSeenElsewhere()).as("credentials sent to the storage host").isEmpty();
            Path pulledLayer = tmp.resolve("pulled/blobs/sha256").resolve(image.layers().get(0).digest().hex());
            assertThat(Files.exists(pulledLayer)).as("the pulled layer").isTrue();
        }
    }

    /** A tag list is read from the registry alone, and ends: a next page elsewhere or a loop of pages is refused. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(value = Trick.class, names = {"TAG_LIST_LOOP", "TAG_LIST_ELSEWHERE"})
    void aTagListThatGoesElsewhereOrRoundInALoopIsRefused(Trick trick) throws Exception {
        try (LocalRegistry registry = LocalRegistry.withBasicAuth(USER, PASSWORD);
                HostileRegistry front = HostileRegistry.start(registry.address(), trick)) {
            RegistryClient client = signedIn(front);
            Repository repo = Repository.parse(front.address() + "/acme/app");
            pushed(client, repo);

            org.assertj.core.api.Assertions.assertThatThrownBy(() -> client.tags(repo))
                    .isInstanceOf(RegistryException.class)
                    .hasMessageContaining(trick == Trick.TAG_LIST_LOOP ? "its pages go round in a loop" : "on another host (http://127.0.0.1:1/");
            assertThat(front.played()).isPositive();
        }
    }
}
