package dev.cutter.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cutter.testing.DockerHubFront;
import dev.cutter.testing.LocalRegistry;
import dev.cutter.testing.TokenServer;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry client against Docker Hub's pull limit ({@link DockerHubFront}, a fake of what
 * Docker Hub adds, before the real distribution registry behind token auth) and against a
 * declared budget: requests are paced by one bucket per registry shared by the run's clients, a
 * remainder near zero slows pulls down, and a spent limit is one clear refusal, not five retries.
 * Waits are recorded instead of slept.
 */
@Tag("e2e")
class RateLimitedRegistryTest {
    @TempDir
    Path tmp;

    final List<Duration> waits = new CopyOnWriteArrayList<>();

    /** An index pushed as acme/app:1.0.0 into {@code registry}, with {@code client}. */
    Sample.Built pushed(String registry, RegistryClient client) throws Exception {
        OciLayout layout = OciLayout.open(tmp.resolve("build"));
        Sample.Built image = Sample.build(tmp.resolve("src"), layout.blobs(), FileTime.fromMillis(1_000_000_000_000L), "rw-r--r--");
        layout.tag("1.0.0", image.index());
        new Copier(client, OciLayout.open(tmp.resolve("store"))).copy(ImageReference.parse("oci:" + tmp.resolve("build") + ":1.0.0"),
                List.of(ImageReference.parse(registry + "/acme/app:1.0.0")));
        return image;
    }

    static RegistryClient anonymous() {
        return new RegistryClient(RegistryClient.http(), Credentials.none(), Set.of());
    }

    @Test
    void aSpentPullLimitIsOneClearRefusalSayingWhatToDo() throws Exception {
        try (TokenServer tokens = TokenServer.start(tmp.resolve("token")).user("ci", "pw").allow("ci", "acme/*", "pull", "push")
                .allow(null, "acme/*", "pull");
                LocalRegistry registry = LocalRegistry.withTokenAuth(tokens);
                DockerHubFront hub = DockerHubFront.start(registry.address(), 100, 0, Duration.ofHours(6))) {
            pushed(registry.address(), new RegistryClient(RegistryClient.http(), Credentials.of(
                    Map.of(registry.address(), new Credentials.UsernamePassword("ci", "pw")), Credentials.none()), Set.of()));
            Repository repo = Repository.parse(hub.address() + "/acme/app");

            assertThatThrownBy(() -> anonymous().getManifest(repo, "1.0.0")).isInstanceOfSatisfying(RegistryException.class, e -> {
                assertThat(e.status()).isEqualTo(429);
                assertThat(e.unreachable()).as("exit 4: the way to the target, like a refused login").isTrue();
                assertThat(e.retryable()).as("the job is not tried again for hours").isFalse();
                assertThat(e.getMessage()).contains("TOOMANYREQUESTS").contains(DockerHubFront.TOO_MANY)
                        .contains("0 of 100 per 6h left").contains("cutter login " + hub.address()).contains("ratelimit:")
                        .doesNotContain("Exception");
            });
            assertThat(hub.refused()).as("asked once: a six-hour window is not waited for").isEqualTo(1);
        }
    }

    @Test
    void pullsSlowDownWhenTheRegistrysRemainderRunsOut() throws Exception {
        try (LocalRegistry registry = LocalRegistry.start();
                DockerHubFront hub = DockerHubFront.start(registry.address(), 100, 2, Duration.ofHours(6))) {
            pushed(registry.address(), anonymous());
            RegistryClient client = anonymous().paced(new RateLimits(Clock.systemUTC(), waits::add));
            Repository repo = Repository.parse(hub.address() + "/acme/app");

            client.getManifest(repo, "1.0.0");
            client.getManifest(repo, "1.0.0");
            assertThat(waits).as("within what the registry said was left").isEmpty();
            assertThatThrownBy(() -> client.getManifest(repo, "1.0.0")).isInstanceOf(RegistryException.class);

            assertThat(waits).as("the third pull waited for the window to free one: 6h / 100").hasSize(1);
            assertThat(waits.getFirst()).isBetween(Duration.ofSeconds(215), Duration.ofSeconds(217));
            assertThat(hub.pulls()).hasSize(2);
        }
    }

    @Test
    void aDeclaredBudgetPacesTheManifestRequestsOfEveryClientOfTheRun() throws Exception {
        try (LocalRegistry registry = LocalRegistry.start()) {
            pushed(registry.address(), anonymous());
            RateLimits limits = new RateLimits(Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC), waits::add);
            limits.declare(registry.address(), RateLimits.Budget.parse("2/1m"));
            RegistryClient one = anonymous().paced(limits);
            RegistryClient other = new RegistryClient(RegistryClient.http(), Credentials.none(), Set.of()).paced(limits);
            Repository repo = Repository.parse(registry.address() + "/acme/app");

            one.headManifest(repo, "1.0.0"); // a HEAD is not counted
            one.getManifest(repo, "1.0.0");
            other.getManifest(repo, "1.0.0");
            one.getManifest(repo, "1.0.0");
            other.getManifest(repo, "1.0.0");

            assertThat(waits).containsExactly(Duration.ofSeconds(30), Duration.ofSeconds(60));
        }
    }
}
