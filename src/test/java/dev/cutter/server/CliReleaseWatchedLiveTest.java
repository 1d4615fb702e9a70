package dev.cutter.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A release run by {@code cutter release} in another process, on the ledger the server reads:
 * the global stream announces it and its own stream shows its jobs and lines live to the end.
 */
@Tag("e2e")
class CliReleaseWatchedLiveTest {
    @TempDir
    Path dir;

    @Test
    void aReleaseOfTheCliOnTheSameLedgerStreamsLiveFromTheServer() throws Exception {
        try (ServerFixture fixture = new ServerFixture(dir)) {
            String viewer = fixture.token(Role.VIEWER);
            CompletableFuture<List<SseStream.Event>> announced = CompletableFuture.supplyAsync(() -> {
                try {
                    return SseStream.read(fixture.http, fixture.url("/api/events"), viewer, Duration.ofSeconds(90),
                            e -> e.data().contains("\"version\":\"8.0.0\""));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            String java = ProcessHandle.current().info().command().orElse("java");
            ProcessBuilder cli = new ProcessBuilder(List.of(java, "--enable-native-access=ALL-UNNAMED", "-cp",
                    System.getProperty("java.class.path"), "dev.cutter.cli.Cutter", "release", "-f", dir.resolve("cutter.yaml").toString(),
                    "--version", "8.0.0")).redirectErrorStream(true).redirectOutput(dir.resolve("cli.log").toFile());
            cli.environment().putAll(Map.of("DEMO_SECRET", ServerFixture.SECRET, "NAP", "3", "CI", "true"));
            Process release = cli.start();

            List<SseStream.Event> global = announced.get(90, TimeUnit.SECONDS);
            String run = ServerApiTest.json(global.getLast().data()).get("id").asText();
            assertThat(ServerApiTest.json(global.getLast().data()).get("pid").asLong()).as("run by the CLI's process").isEqualTo(release.pid());
            List<SseStream.Event> events = fixture.watch(run, viewer);
            assertThat(release.waitFor(90, TimeUnit.SECONDS)).isTrue();
            assertThat(release.exitValue()).isZero();

            List<String> appStates = new ArrayList<>();
            events.stream().filter(e -> e.name().equals("job") && e.data().contains("\"job\":\"build/app\""))
                    .forEach(e -> appStates.add(ServerApiTest.json(e.data()).get("state").asText()));
            assertThat(appStates).as("seen running, then done").containsSubsequence("running", "succeeded");
            assertThat(events).anySatisfy(e -> assertThat(e.data()).contains("built with ***"));
            assertThat(events.getLast().data()).contains("succeeded");
        }
    }
}
