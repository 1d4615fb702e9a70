package dev.cutter.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cutter.ledger.JobState;
import dev.cutter.plan.PlanJson;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The REST API and its event streams over real HTTP on loopback, releasing a real (small) spec. */
class ServerApiTest {
    @TempDir
    Path dir;

    ServerFixture fixture;

    @BeforeEach
    void start() throws Exception {
        fixture = new ServerFixture(dir);
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void aReleaseStartedThroughTheApiIsWatchedToTheEndOverSseAndItsPublicationsReadBack() throws Exception {
        String releaser = fixture.token(Role.RELEASER);

        ServerFixture.Answer started = fixture.post("/api/releases", releaser, "{\"project\": \"demo\", \"version\": \"1.0.0\"}");
        assertThat(started.status()).as(started.body()).isEqualTo(202);
        String run = started.json().get("run").asText();
        assertThat(started.json().get("events").asText()).isEqualTo("/api/runs/" + run + "/events");

        List<SseStream.Event> events = fixture.watch(run, releaser);
        assertThat(events.getLast().name()).isEqualTo("end");
        assertThat(events.getLast().data()).contains("\"state\":\"succeeded\"");
        List<String> jobStates = events.stream().filter(e -> e.name().equals("job") && e.data().contains("\"job\":\"build/app\""))
                .map(e -> json(e.data()).get("state").asText()).toList();
        assertThat(jobStates).endsWith("succeeded");
        assertThat(events).anySatisfy(e -> {
            assertThat(e.name()).isEqualTo("log");
            assertThat(e.data()).contains("built with ***");
            assertThat(e.id()).matches("\\d+");
        });

        JsonNode shown = fixture.get("/api/runs/" + run, releaser).json();
        assertThat(shown.get("state").asText()).isEqualTo("succeeded");
        assertThat(shown.get("jobs")).hasSizeGreaterThanOrEqualTo(6);
        JsonNode effects = fixture.get("/api/runs/" + run + "/effects", releaser).json().get("effects");
        assertThat(effects.toString()).contains("oci:oci-main/demo/app:1.0.0").contains("oci:oci-mirror/demo/app:latest");

        JsonNode published = fixture.get("/api/releases/demo/1.0.0", releaser).json();
        assertThat(published.get("complete").asBoolean()).as(published.toString()).isTrue();
        assertThat(published.get("registries").get("oci:oci-main").get("published").asInt()).isEqualTo(2);
        assertThat(published.get("registries").get("oci:oci-mirror").get("published").asInt()).isEqualTo(2);
        assertThat(published.get("effects").toString()).contains("\"kind\":\"release\"");
        assertThat(fixture.get("/api/releases/demo", releaser).json().get("versions").toString()).contains("1.0.0");

        ServerFixture.Answer again = fixture.post("/api/releases", releaser, "{\"version\": \"1.0.0\"}");
        assertThat(again.status()).as(again.body()).isEqualTo(200);
        assertThat(again.json().get("status").asText()).isEqualTo("nothing_to_do");
    }

    @Test
    void aMalformedLoginFileOfTheServersUserRefusesTheReleaseNamingTheFileNotAsAnInternalError() throws Exception {
        Path docker = java.nio.file.Files.createDirectories(dir.resolve("docker"));
        java.nio.file.Files.writeString(docker.resolve("config.json"), "{\"auths\": {\"ghcr.io\": {\"auth\": \"not base64!\"}}}");
        try (ServerFixture broken = new ServerFixture(java.nio.file.Files.createDirectories(dir.resolve("broken")),
                java.util.Map.of("DOCKER_CONFIG", docker.toString(), "XDG_RUNTIME_DIR", dir.resolve("run").toString()))) {
            ServerFixture.Answer refused = broken.post("/api/releases", broken.token(Role.RELEASER), "{\"version\": \"1.0.0\"}");

            assertThat(refused.status()).as(refused.body()).isEqualTo(503);
            assertThat(refused.body()).contains(docker.resolve("config.json") + ":1:32: auths[\\\"ghcr.io\\\"].auth: is not base64")
                    .doesNotContain("internal error");
        }
    }

    @Test
    void aReconnectWhoseLastEventIdIsBeyondAnyNumberGetsTheWholeStream() throws Exception {
        String viewer = fixture.token(Role.VIEWER);
        String run = fixture.post("/api/releases", fixture.token(Role.RELEASER), "{\"version\": \"1.1.0\"}").json().get("run").asText();
        List<SseStream.Event> first = fixture.watch(run, viewer);

        List<SseStream.Event> again = SseStream.read(fixture.http, fixture.url("/api/runs/" + run + "/events"), viewer,
                java.time.Duration.ofSeconds(30), e -> e.name().equals("end"), Map.of("Last-Event-ID", "99999999999999999999999"));

        assertThat(again).extracting(SseStream.Event::name).contains("end");
        assertThat(again.stream().filter(e -> e.name().equals("log")).count())
                .isEqualTo(first.stream().filter(e -> e.name().equals("log")).count());
    }

    @Test
    void aWatcherThatJoinsLateOrReconnectsGetsTheStateAndOnlyTheLinesItHasNotSeen() throws Exception {
        String viewer = fixture.token(Role.VIEWER);
        String run = fixture.post("/api/releases", fixture.token(Role.RELEASER), "{\"version\": \"1.1.0\"}").json().get("run").asText();
        List<SseStream.Event> first = fixture.watch(run, viewer);
        List<Long> seqs = first.stream().filter(e -> e.name().equals("log")).map(e -> Long.parseLong(e.id())).toList();
        assertThat(seqs).isSorted().doesNotHaveDuplicates().isNotEmpty();

        List<SseStream.Event> later = SseStream.read(fixture.http, fixture.url("/api/runs/" + run + "/events?after=" + seqs.getFirst()),
                viewer, java.time.Duration.ofSeconds(30), e -> e.name().equals("end"));
        assertThat(later.stream().filter(e -> e.name().equals("log")).map(e -> Long.parseLong(e.id())).toList())
                .containsExactlyElementsOf(seqs.subList(1, seqs.size()));
        assertThat(later.stream().filter(e -> e.name().equals("job")).count()).as("every job's state, once")
                .isEqualTo(fixture.get("/api/runs/" + run + "/jobs", viewer).json().get("jobs").size());
    }

    @Test
    void runsStartedByAnotherLedgerConnectionStreamLiveAndShowInTheGlobalStream() throws Exception {
        String viewer = fixture.token(Role.VIEWER);
        // another "process": a ledger connection of its own writing a run, as the CLI would
        try (var other = dev.cutter.ledger.Ledger.open(dir.resolve(".cutter/ledger.db").toString())) {
            var global = new java.util.concurrent.CompletableFuture<List<SseStream.Event>>();
            Thread.ofVirtual().start(() -> {
                try {
                    global.complete(SseStream.read(fixture.http, fixture.url("/api/events"), viewer, java.time.Duration.ofSeconds(30),
                            e -> e.data().contains("\"state\":\"succeeded\"")));
                } catch (Exception e) {
                    global.completeExceptionally(e);
                }
            });
            waitForWatchers(1);
            var run = other.startRun(new dev.cutter.ledger.NewRun(dev.cutter.ledger.RunKind.RELEASE, "elsewhere", "9.9.9", "v9.9.9",
                    "stable", "sha256:00", "{\"plan\":{\"jobs\":[{\"id\":\"build/x\",\"kind\":\"build\",\"needs\":[]}]}}",
                    List.of(new dev.cutter.ledger.JobSeed("build/x", "build")), "other-host", 1));
            var watched = new java.util.concurrent.CompletableFuture<List<SseStream.Event>>();
            Thread.ofVirtual().start(() -> {
                try {
                    watched.complete(fixture.watch(run.id(), viewer));
                } catch (Exception e) {
                    watched.completeExceptionally(e);
                }
            });
            waitForWatchers(2);
            other.jobStarted(run.id(), "build/x");
            other.log(run.id(), "build/x", "stdout", List.of("from the other process"));
            other.jobFinished(run.id(), "build/x", JobState.SUCCEEDED, java.util.Optional.empty(), List.of(), List.of());
            other.finishRun(run.id(), dev.cutter.ledger.RunState.SUCCEEDED);

            List<SseStream.Event> events = watched.get(30, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(events).extracting(SseStream.Event::name).contains("run", "job", "log", "end");
            assertThat(events).anySatisfy(e -> assertThat(e.data()).contains("from the other process"));
            assertThat(global.get(30, java.util.concurrent.TimeUnit.SECONDS)).anySatisfy(e -> {
                assertThat(e.name()).isEqualTo("run");
                assertThat(e.data()).contains(run.id()).contains("\"project\":\"elsewhere\"");
            });
        }
    }

    @Test
    void runsArePagedAndFilteredAndLogsPagedBySeq() throws Exception {
        String viewer = fixture.token(Role.VIEWER);
        try (var ledger = dev.cutter.ledger.Ledger.open(dir.resolve(".cutter/ledger.db").toString())) {
            for (int i = 0; i < 7; i++) {
                var run = ledger.startRun(new dev.cutter.ledger.NewRun(dev.cutter.ledger.RunKind.RELEASE, i % 2 == 0 ? "even" : "odd",
                        "1." + i, "v1." + i, "stable", "sha256:00", "{}", List.of(new dev.cutter.ledger.JobSeed("build/x", "build")), "h", 1));
                ledger.log(run.id(), "build/x", "stdout", List.of("a", "b", "c"));
            }
        }
        List<String> ids = new ArrayList<>();
        String next = "";
        do {
            JsonNode page = fixture.get("/api/runs?limit=3&before=" + next, viewer).json();
            page.get("runs").forEach(r -> ids.add(r.get("id").asText()));
            next = page.has("next") ? page.get("next").asText() : null; // absent on the last page
        } while (next != null);
        assertThat(ids).hasSize(7).doesNotHaveDuplicates();
        assertThat(fixture.get("/api/runs?project=odd", viewer).json().get("runs")).hasSize(3);
        assertThat(fixture.get("/api/runs?state=running&project=even", viewer).json().get("runs")).hasSize(4);
        assertThat(fixture.get("/api/runs?state=sleeping", viewer).status()).isEqualTo(400);

        JsonNode logs = fixture.get("/api/runs/" + ids.getFirst() + "/logs?limit=2", viewer).json();
        assertThat(logs.get("lines")).hasSize(2);
        JsonNode rest = fixture.get("/api/runs/" + ids.getFirst() + "/logs?after=" + logs.get("next").asLong(), viewer).json();
        assertThat(rest.get("lines")).hasSize(1);
        assertThat(rest.get("lines").get(0).get("line").asText()).isEqualTo("c");
        assertThat(fixture.get("/api/runs/r-nope", viewer).status()).isEqualTo(404);
    }

    @Test
    void everyRouteOfTheApiAndTheWebhooksIsInTheOpenApiDocumentAndNothingElse() throws Exception {
        JsonNode doc = fixture.get("/api/openapi.json", null).json();
        assertThat(doc.get("openapi").asText()).startsWith("3.");
        Set<String> documented = new HashSet<>();
        doc.get("paths").properties().forEach(p -> p.getValue().properties().forEach(m -> documented.add(m.getKey().toUpperCase() + " " + p.getKey())));
        Set<String> served = new HashSet<>();
        fixture.server.routes().stream().filter(r -> r.contains(" /api/") || r.contains(" /hooks/")).forEach(served::add);
        assertThat(documented).containsExactlyInAnyOrderElementsOf(served);
        try (InputStream in = Server.class.getResourceAsStream("openapi.json")) {
            assertThat(PlanJson.mapper().readTree(in)).isEqualTo(doc);
        }
    }

    @Test
    void aRunningReleaseIsCancelledThroughTheApiAndARunOfAnotherProcessIsLeftToIt() throws Exception {
        fixture.close();
        fixture = new ServerFixture(java.nio.file.Files.createDirectories(dir.resolve("slow")), java.util.Map.of("NAP", "30")); // a build that would take 30 s
        String releaser = fixture.token(Role.RELEASER);
        String run = fixture.post("/api/releases", releaser, "{\"version\": \"1.2.0\"}").json().get("run").asText();
        for (int i = 0; i < 200 && !fixture.get("/api/runs/" + run + "/jobs", releaser).body().contains("\"state\":\"running\""); i++) {
            Thread.sleep(50); // until the build has started
        }
        long start = System.nanoTime();
        ServerFixture.Answer cancelled = fixture.post("/api/runs/" + run + "/cancel", releaser, "");
        assertThat(cancelled.status()).as(cancelled.body()).isEqualTo(202);
        assertThat(fixture.watch(run, releaser).getLast().data()).contains("\"state\":\"cancelled\"");
        assertThat((System.nanoTime() - start) / 1e9).as("the build was stopped, not waited for").isLessThan(20);
        assertThat(fixture.post("/api/runs/" + run + "/cancel", releaser, "").status()).as("already ended").isEqualTo(409);

        try (var other = dev.cutter.ledger.Ledger.open(dir.resolve("slow/.cutter/ledger.db").toString())) {
            var elsewhere = other.startRun(new dev.cutter.ledger.NewRun(dev.cutter.ledger.RunKind.RELEASE, "demo", "1.3.0", "v1.3.0",
                    "stable", "sha256:00", "{}", List.of(), "other-host", 4242));
            ServerFixture.Answer refused = fixture.post("/api/runs/" + elsewhere.id() + "/cancel", releaser, "");
            assertThat(refused.status()).isEqualTo(409);
            assertThat(refused.json().get("error").asText()).contains("pid 4242 on other-host").contains("stop it there");
        }
    }

    void waitForWatchers(int n) throws InterruptedException {
        for (int i = 0; i < 200 && fixture.server.feeds.watchers() < n; i++) {
            Thread.sleep(25); // the stream's handler registers the watcher on Jetty's thread
        }
        assertThat(fixture.server.feeds.watchers()).isGreaterThanOrEqualTo(n);
    }

    static JsonNode json(String text) {
        try {
            return PlanJson.mapper().readTree(text);
        } catch (java.io.IOException e) {
            throw new AssertionError(text, e);
        }
    }
}
