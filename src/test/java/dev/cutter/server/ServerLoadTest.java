package dev.cutter.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two hundred live watchers and twenty API readers, from a second process ({@link LoadClient}),
 * during a real release: no error, every watcher sees the run finish, latencies printed.
 */
@Tag("e2e")
class ServerLoadTest {
    static final int WATCHERS = 200;
    static final int READERS = 20;

    @TempDir
    Path dir;

    @Test
    void twoHundredWatchersAndTwentyReadersDuringAReleaseSeeNoErrorAndAllSeeTheEnd() throws Exception {
        // the build sleeps 6 s, so the load runs against a live release
        try (ServerFixture fixture = new ServerFixture(dir, Map.of("NAP", "6"))) {
            String token = fixture.token(Role.VIEWER);
            ServerFixture.Answer started = fixture.post("/api/releases", fixture.token(Role.RELEASER), "{\"version\": \"9.0.0\"}");
            assertThat(started.status()).as(started.body()).isEqualTo(202);
            String run = started.json().get("run").asText();

            String java = ProcessHandle.current().info().command().orElse("java");
            Path classes = Path.of(LoadClient.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path out = dir.resolve("load.txt");
            Process client = new ProcessBuilder(List.of(java, "-cp", classes.toString(), LoadClient.class.getName(),
                    fixture.server.url(), token, run, Integer.toString(WATCHERS), Integer.toString(READERS), "60"))
                    .redirectErrorStream(true).redirectOutput(out.toFile()).start();
            assertThat(client.waitFor(100, TimeUnit.SECONDS)).as("the load client stops by itself").isTrue();
            String report = Files.readString(out, StandardCharsets.UTF_8);
            System.out.println("server load: " + report.strip());

            assertThat(client.exitValue()).as(report).isZero();
            assertThat(report).contains("watchers=200 finished=200").contains("errors=0").containsPattern("p50=[0-9.]+ms p99=[0-9.]+ms");
            assertThat(fixture.get("/api/runs/" + run, token).json().get("state").asText()).isEqualTo("succeeded");
        }
    }
}
