package dev.cutter.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cutter.plan.PlanJson;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A real {@link Server} on a free loopback port over a SQLite ledger in a temporary directory,
 * releasing a small spec: one build whose environment carries a secret with a known value, an
 * image published to two OCI layout directories (a push and a replica, so "every registry" has
 * two answers), an archive in a directory release store, and triggers for webhooks.
 */
final class ServerFixture implements AutoCloseable {
    static final String SECRET = "hunter2-very-secret-value";
    static final String WEBHOOK_SECRET = "webhook-shared-secret-0123456789";

    static final String SPEC = """
            project: demo
            vars:
              NOTE: { default: "none", pattern: "[a-z0-9 ]*", api: true }
              FLAVOUR: plain
            channels:
              rc: { match: "*-rc*", floating: false }
              stable: { match: "*" }
            registries:
              main: { layout: "oci-main" }
              mirror: { layout: "oci-mirror" }
            builds:
              - id: app
                run: mkdir -p out && sleep "${NAP:-0.5}" && echo "built with $TOKEN" && echo "app $TOKEN" > out/app.txt && echo app > out/app
                env: { TOKEN: "${env:DEMO_SECRET}" }
                outputs: [ out/app ]
              - id: docs
                run: echo "docs for {version}, {vars.FLAVOUR}, note {vars.NOTE}"
            images:
              - id: app
                platforms: [linux/amd64]
                from: scratch
                files: { /app: out/app }
                push: "main/demo/app"
                tags: [ "{version}", "latest" ]
            replicate:
              - { image: app, to: [ "mirror/demo/app" ] }
            archives:
              - id: bundle
                files: [ out/app ]
                needs: [app]
            releases:
              - id: main
                store: "dir:releases"
                assets: [ bundle ]
            triggers:
              - { tag: "v*", do: release }
              - { pull-request: "main", do: build }
              - { branch: "candidates/*", version: "{branch.name}-rc1" }
              - { branch: main, version: "{last}-rc.{commits}" }
            execution:
              inherit-env: [NAP]   # how long the test's build sleeps; commands see only what they are given
            """;

    final Path dir;
    final Server server;
    /** The server's access log, kept here instead of on standard error. */
    final List<String> accessLog = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    ServerFixture(Path dir) throws IOException {
        this(dir, Map.of());
    }

    ServerFixture(Path dir, Map<String, String> extraEnvironment) throws IOException {
        this(dir, extraEnvironment, Limits.defaults());
    }

    ServerFixture(Path dir, Map<String, String> extraEnvironment, Limits limits) throws IOException {
        this.dir = dir;
        Files.writeString(dir.resolve("cutter.yaml"), SPEC);
        Map<String, String> env = new java.util.HashMap<>(System.getenv());
        env.put("DEMO_SECRET", SECRET);
        env.put("SOURCE_DATE_EPOCH", "1700000000");
        env.putAll(extraEnvironment);
        server = Server.start(new Server.Config("127.0.0.1", 0, dir.resolve(".cutter/ledger.db").toString(),
                List.of(dir.resolve("cutter.yaml")), Optional.of(WEBHOOK_SECRET), Optional.of(WEBHOOK_SECRET), env, limits, accessLog::add));
    }

    String url(String path) {
        return server.url() + path;
    }

    String token(Role role, String... channels) {
        return server.tokens.create(role.label() + "-" + System.nanoTime(), role, List.of(channels)).secret();
    }

    record Answer(int status, String body, HttpResponse<String> response) {
        JsonNode json() {
            try {
                return PlanJson.mapper().readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (" + status + "): " + body, e);
            }
        }
    }

    Answer get(String path, String token) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(30)).GET();
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return send(b.build());
    }

    Answer post(String path, String token, String json) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(90))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return send(b.build());
    }

    Answer send(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), r.body(), r);
    }

    /** Every event of the run's stream, up to and with {@code end}. */
    List<SseStream.Event> watch(String runId, String token) throws IOException, InterruptedException {
        return SseStream.read(http, url("/api/runs/" + runId + "/events"), token, Duration.ofMinutes(2), e -> e.name().equals("end"));
    }

    @Override
    public void close() {
        server.close();
    }
}
