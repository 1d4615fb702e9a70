package dev.cutter.http;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.cutter.content.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sender against a real HTTP server on loopback that answers from a script: 503, 429 with
 * Retry-After in seconds and as an HTTP-date, GitHub's rate-limit 403s, dropped connections. Waits
 * are recorded by the sleeper instead of slept, so the test checks exactly what would be waited.
 */
class SenderTest {
    static final Instant NOW = Instant.parse("2025-05-01T12:00:00Z");
    static final Backoff QUICK = new Backoff(4, Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofMinutes(2));

    /** One scripted answer: a status with headers and a body, or a connection closed without any. */
    record Answer(int status, Map<String, String> headers, String body) {
        static final Answer DROP = new Answer(-1, Map.of(), "");

        static Answer of(int status, String... headers) {
            Map<String, String> map = new java.util.LinkedHashMap<>();
            for (int i = 0; i + 1 < headers.length; i += 2) {
                map.put(headers[i], headers[i + 1]);
            }
            return new Answer(status, map, "");
        }

        Answer body(String json) {
            return new Answer(status, headers, json);
        }
    }

    /** What the server saw of one request. */
    record Seen(String method, String authorization, long bodyBytes, boolean bodyComplete) {}

    HttpServer server;
    final ConcurrentLinkedQueue<Answer> script = new ConcurrentLinkedQueue<>();
    final List<Seen> seen = new CopyOnWriteArrayList<>();
    final List<Duration> waits = new ArrayList<>();
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    Sender sender;

    @TempDir
    Path temp;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
        sender = new Sender(http, QUICK, waits::add, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            long read = 0;
            boolean complete = true;
            try (InputStream in = exchange.getRequestBody()) {
                byte[] buffer = new byte[8192];
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    read += n;
                }
            } catch (IOException e) {
                complete = false; // the client stopped sending before Content-Length was reached
            }
            String length = exchange.getRequestHeaders().getFirst("Content-Length");
            complete &= length == null || Long.parseLong(length) == read;
            seen.add(new Seen(exchange.getRequestMethod(), exchange.getRequestHeaders().getFirst("Authorization"), read, complete));
            Answer answer = script.isEmpty() ? Answer.of(200).body("{\"ok\":true}") : script.poll();
            if (answer == Answer.DROP) {
                throw new IOException("scripted: the connection closes without an answer");
            }
            answer.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
            byte[] body = answer.body().getBytes(UTF_8);
            if (!answer.body().isEmpty()) {
                exchange.getResponseHeaders().add("Content-Type", "application/json");
            }
            exchange.sendResponseHeaders(answer.status(), body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                exchange.getResponseBody().write(body);
            }
        }
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    HttpResponse<InputStream> get(String path) {
        return sender.send(() -> HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer s3cr3t-token").GET().build());
    }

    static String body(HttpResponse<InputStream> response) throws IOException {
        try (InputStream in = response.body()) {
            return new String(in.readAllBytes(), UTF_8);
        }
    }

    @Test
    void triesAgainAfter503And429AndWaitsAtLeastWhatRetryAfterSays() throws IOException {
        script.add(Answer.of(503));
        script.add(Answer.of(429, "Retry-After", "3"));

        HttpResponse<InputStream> response = get("/releases");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(body(response)).isEqualTo("{\"ok\":true}");
        assertThat(seen).hasSize(3);
        assertThat(waits).hasSize(2);
        assertThat(waits.get(0)).as("the first backoff, 100 ms ± 20 %").isBetween(Duration.ofMillis(80), Duration.ofMillis(120));
        assertThat(waits.get(1)).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void retryAfterMayBeAnHttpDate() {
        script.add(Answer.of(503, "Retry-After", DateTimeFormatter.RFC_1123_DATE_TIME.format(NOW.plusSeconds(7).atOffset(ZoneOffset.UTC))));

        assertThat(get("/").statusCode()).isEqualTo(200);
        assertThat(waits).containsExactly(Duration.ofSeconds(7));
    }

    @Test
    void gitHubsPrimaryRateLimitWaitsUntilTheResetAndItsSecondaryLimitForRetryAfter() {
        script.add(Answer.of(403, "x-ratelimit-remaining", "0", "x-ratelimit-reset", String.valueOf(NOW.getEpochSecond() + 30))
                .body("{\"message\":\"API rate limit exceeded for installation ID 1.\"}"));
        script.add(Answer.of(403, "retry-after", "60")
                .body("{\"message\":\"You have exceeded a secondary rate limit. Please wait a few minutes before you try again.\"}"));

        assertThat(get("/").statusCode()).isEqualTo(200);
        assertThat(waits).containsExactly(Duration.ofSeconds(30), Duration.ofSeconds(60));
    }

    @Test
    void aLimitThatResetsLaterThanThePatienceFailsAtOnceSayingWhenToComeBack() {
        script.add(Answer.of(403, "x-ratelimit-remaining", "0", "x-ratelimit-reset", String.valueOf(NOW.getEpochSecond() + 3600))
                .body("{\"message\":\"API rate limit exceeded\"}"));

        assertThatThrownBy(() -> get("/repos/acme/app/releases")).isInstanceOfSatisfying(HttpException.class, e -> {
            assertThat(e.status()).isEqualTo(403);
            assertThat(e.retryable()).isTrue();
            assertThat(e.retryAfter()).contains(Duration.ofHours(1));
            assertThat(e.getMessage()).startsWith("GET " + uri("/repos/acme/app/releases") + " answered 403 (API rate limit exceeded)")
                    .contains("it asks to wait 1h (until 2025-05-01T13:00:00Z), longer than the 2m Cutter waits");
        });
        assertThat(seen).hasSize(1);
        assertThat(waits).isEmpty();
    }

    @Test
    void dockerHubsSpentPullLimitFailsAtOnceNamingItsWindow() {
        // Docker Hub's answer, from its documentation: no Retry-After, the window in the headers, the limit's error body
        script.add(Answer.of(429, "ratelimit-limit", "100;w=21600", "ratelimit-remaining", "0;w=21600",
                "docker-ratelimit-source", "192.0.2.1").body("{\"errors\":[{\"code\":\"TOOMANYREQUESTS\",\"message\":\"You have"
                + " reached your pull rate limit. You may increase the limit by authenticating and upgrading:"
                + " https://www.docker.com/increase-rate-limit\"}]}"));

        assertThatThrownBy(() -> get("/v2/library/debian/manifests/bookworm")).isInstanceOfSatisfying(HttpException.class, e -> {
            assertThat(e.status()).isEqualTo(429);
            assertThat(e.retryAfter()).contains(Duration.ofHours(6));
            assertThat(e.getMessage()).contains("TOOMANYREQUESTS").contains("it asks to wait 6h");
        });
        assertThat(seen).hasSize(1);
        assertThat(waits).isEmpty();
    }

    @Test
    void refusalsAreReturnedAsTheyAreWithoutTryingAgain() {
        script.add(Answer.of(403).body("{\"message\":\"Resource not accessible by integration\"}"));
        script.add(Answer.of(404));

        assertThat(get("/").statusCode()).isEqualTo(403);
        assertThat(get("/").statusCode()).isEqualTo(404);
        assertThat(seen).hasSize(2);
        assertThat(waits).isEmpty();
    }

    @Test
    void aDroppedConnectionIsTriedAgain() {
        script.add(Answer.DROP);
        script.add(Answer.DROP);

        // a POST: the JDK client itself sends a GET once more on a closed connection, which would hide one attempt
        assertThat(sender.send(() -> HttpRequest.newBuilder(uri("/")).POST(HttpRequest.BodyPublishers.noBody()).build())
                .statusCode()).isEqualTo(200);
        assertThat(seen).hasSize(3);
        assertThat(waits).hasSize(2);
    }

    @Test
    void whenTheAttemptsRunOutTheErrorNamesTheRequestTheStatusAndTheServicesMessageButNoCredentials() {
        for (int i = 0; i < QUICK.attempts(); i++) {
            script.add(Answer.of(502).body("{\"message\":\"Server Error\"}"));
        }

        assertThatThrownBy(() -> get("/repos/acme/app/releases?per_page=100")).isInstanceOfSatisfying(HttpException.class, e -> {
            assertThat(e.getMessage()).isEqualTo("GET " + uri("/repos/acme/app/releases?per_page=100") + " answered 502 (Server Error) after 4 attempts");
            assertThat(e.retryable()).isTrue();
            assertThat(e.status()).isEqualTo(502);
        }).hasMessageNotContaining("s3cr3t");
        assertThat(seen).hasSize(4).allMatch(s -> "Bearer s3cr3t-token".equals(s.authorization()));
        assertThat(waits).hasSize(3).isSorted();
    }

    @Test
    void aServiceThatIsNotThereIsAPassingFailureWithNoAnswer() throws IOException {
        int port;
        try (var socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort(); // free now, and nothing listens there after the close
        }
        URI nowhere = URI.create("http://127.0.0.1:" + port + "/api/v4/projects");

        assertThatThrownBy(() -> sender.send(() -> HttpRequest.newBuilder(nowhere).GET().build()))
                .isInstanceOfSatisfying(HttpException.class, e -> {
                    assertThat(e.status()).isZero();
                    assertThat(e.retryable()).isTrue();
                    assertThat(e.getMessage()).startsWith("GET " + nowhere + ": no answer (4 attempts): ConnectException");
                });
        assertThat(waits).hasSize(3);
    }

    @Test
    void aFileBodyIsSentWholeWhenItIsWhatItShouldBe() throws IOException {
        Path file = temp.resolve("kontain.tar.gz");
        Files.write(file, new byte[300_000]);
        Digest digest = Digest.sha256(file);

        HttpResponse<InputStream> response = sender.send(() -> HttpRequest.newBuilder(uri("/upload"))
                .POST(FileBody.of(file, 300_000, digest)).build());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(seen).containsExactly(new Seen("POST", null, 300_000, true));
    }

    @Test
    void aFileThatIsNotWhatItShouldBeIsCutShortBeforeTheServiceHasItAllAndNotSentAgain() throws IOException {
        Path file = temp.resolve("kontain.tar.gz");
        Files.write(file, new byte[300_000]);
        Digest built = Digest.sha256("what was built".getBytes(UTF_8));

        assertThatThrownBy(() -> sender.send(() -> HttpRequest.newBuilder(uri("/upload"))
                .POST(FileBody.of(file, 300_000, built)).build())).isInstanceOfSatisfying(HttpException.class, e -> {
                    assertThat(e.retryable()).isFalse();
                    assertThat(e.source()).hasValueSatisfying(s -> assertThat(s.file()).isEqualTo(file));
                    assertThat(e.getMessage()).contains("the body could not be sent: " + file + " is sha256:").contains(", not " + built);
                });
        assertThat(waits).isEmpty();
        assertThat(seen).allSatisfy(s -> assertThat(s.bodyComplete()).as("the server never got the whole body").isFalse());
    }

    @Test
    void aFileOfAnotherSizeIsRefusedToo() throws IOException {
        Path file = temp.resolve("SHA256SUMS");
        Files.writeString(file, "abc");
        Digest digest = Digest.sha256(file);

        assertThatThrownBy(() -> sender.send(() -> HttpRequest.newBuilder(uri("/upload"))
                .POST(FileBody.of(file, 2, digest)).build()))
                .isInstanceOfSatisfying(HttpException.class, e -> assertThat(e.source()).isPresent())
                .hasMessageContaining(file + " has more than 2 bytes");
        assertThatThrownBy(() -> sender.send(() -> HttpRequest.newBuilder(uri("/upload"))
                .POST(FileBody.of(file, 5, digest)).build()))
                .hasMessageContaining(file + " has 3 bytes, not 5");
        assertThatThrownBy(() -> sender.send(() -> HttpRequest.newBuilder(uri("/upload"))
                .POST(FileBody.of(temp.resolve("gone"), 5, digest)).build()))
                .hasMessageContaining(temp.resolve("gone") + " does not exist");
        assertThat(waits).isEmpty();
    }

    @Test
    void theServicesOwnWordsAreReadFromTheShapesForgesAndRegistriesUse() {
        assertThat(HttpException.serviceMessage(("{\"message\":\"Validation Failed\",\"errors\":[{\"resource\":\"ReleaseAsset\","
                + "\"code\":\"already_exists\",\"field\":\"name\"}],\"documentation_url\":\"https://docs.github.com/rest\"}").getBytes(UTF_8),
                "application/json")).isEqualTo("Validation Failed; ReleaseAsset.name already_exists");
        assertThat(HttpException.serviceMessage("{\"message\":{\"tag_name\":[\"has already been taken\"]}}".getBytes(UTF_8), ""))
                .isEqualTo("{\"tag_name\":[\"has already been taken\"]}");
        assertThat(HttpException.serviceMessage(("{\"error\":\"insufficient_scope\",\"error_description\":\"The request requires"
                + " higher privileges than provided by the access token.\",\"scope\":\"api\"}").getBytes(UTF_8), ""))
                .isEqualTo("insufficient_scope; The request requires higher privileges than provided by the access token.");
        assertThat(HttpException.serviceMessage("{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\",\"message\":\"manifest unknown\"}]}"
                .getBytes(UTF_8), "")).isEqualTo("MANIFEST_UNKNOWN: manifest unknown");
        assertThat(HttpException.serviceMessage("upstream connect error".getBytes(UTF_8), "text/plain")).isEqualTo("upstream connect error");
        assertThat(HttpException.serviceMessage("<html><body>502</body></html>".getBytes(UTF_8), "text/html")).isEmpty();
    }

    @Test
    void urlsInMessagesCarryNoCredentials() {
        assertThat(HttpException.safe(URI.create("https://user:pw@gitlab.example/api/v4/projects?private_token=abc&page=2")))
                .isEqualTo("https://gitlab.example/api/v4/projects?private_token=***&page=2");
        assertThat(HttpException.safe(URI.create("https://objects.example/a?X-Amz-Signature=f00&X-Amz-Credential=k&v=1")))
                .isEqualTo("https://objects.example/a?X-Amz-Signature=***&X-Amz-Credential=***&v=1");
    }

    @Test
    void backoffDoublesUpToItsLongestWithJitterAndNeverBeforeWhatWasAsked() {
        Backoff backoff = new Backoff(5, Duration.ofMillis(500), Duration.ofSeconds(3), Duration.ofMinutes(1));

        assertThat(backoff.delay(1, java.util.Optional.empty(), 0.5)).isEqualTo(Duration.ofMillis(500));
        assertThat(backoff.delay(3, java.util.Optional.empty(), 0.5)).isEqualTo(Duration.ofMillis(2000));
        assertThat(backoff.delay(9, java.util.Optional.empty(), 0.5)).isEqualTo(Duration.ofSeconds(3));
        assertThat(backoff.delay(2, java.util.Optional.empty(), 0.0)).isEqualTo(Duration.ofMillis(800));
        assertThat(backoff.delay(2, java.util.Optional.empty(), 0.999)).isBetween(Duration.ofMillis(1190), Duration.ofMillis(1200));
        assertThat(backoff.delay(1, java.util.Optional.of(Duration.ofSeconds(20)), 0.5)).isEqualTo(Duration.ofSeconds(20));
        assertThat(backoff.beyondPatience(Duration.ofSeconds(61))).isTrue();
        assertThat(backoff.beyondPatience(Duration.ofSeconds(60))).isFalse();
    }
}
