package dev.cutter.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A FAKE of Docker Hub's pull rate limit, in front of a real registry ({@link LocalRegistry},
 * with or without {@link TokenServer}, which stands in for {@code auth.docker.io}): everything is
 * the real distribution's answer except what Docker Hub adds, as its documentation ("Docker Hub
 * pull usage and limits") describes it. Every answer to a manifest request carries
 * {@code ratelimit-limit: L;w=W}, {@code ratelimit-remaining: R;w=W} and
 * {@code docker-ratelimit-source}; a GET of a manifest is a pull and spends one of R (HEADs, blobs
 * and the rest are not counted); once R is 0 a GET of a manifest answers 429 with no Retry-After
 * and the body {@code {"errors":[{"code":"TOOMANYREQUESTS","message":"You have reached your pull
 * rate limit. …"}]}}, as Docker Hub does. Counted pulls are recorded with their time.
 */
public final class DockerHubFront implements AutoCloseable {
    /** Docker Hub's message for a spent pull limit. */
    public static final String TOO_MANY = "You have reached your pull rate limit. You may increase the limit by authenticating"
            + " and upgrading: https://www.docker.com/increase-rate-limit";

    private final HttpServer server;
    private final String target;
    private final long limit;
    private final Duration window;
    private final AtomicLong remaining;
    private final List<Instant> pulls = new CopyOnWriteArrayList<>();
    private final AtomicLong refused = new AtomicLong();

    private DockerHubFront(HttpServer server, String target, long limit, long remaining, Duration window) {
        this.server = server;
        this.target = target;
        this.limit = limit;
        this.window = window;
        this.remaining = new AtomicLong(remaining);
    }

    /** Docker Hub's limit of {@code limit} pulls per {@code window}, {@code remaining} of them left, before {@code target} (host:port). */
    public static DockerHubFront start(String target, long limit, long remaining, Duration window) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        DockerHubFront front = new DockerHubFront(server, target, limit, remaining, window);
        server.createContext("/", front::handle);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
        return front;
    }

    public String address() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    /** The times of the pulls counted (manifest GETs answered within the limit). */
    public List<Instant> pulls() {
        return List.copyOf(pulls);
    }

    /** How many manifest GETs were refused with 429. */
    public long refused() {
        return refused.get();
    }

    public long remaining() {
        return remaining.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            boolean manifest = path.contains("/manifests/");
            boolean pull = manifest && exchange.getRequestMethod().equals("GET");
            byte[] body = exchange.getRequestBody().readAllBytes();
            if (pull && remaining.get() <= 0) {
                refused.incrementAndGet();
                headers(exchange);
                byte[] refusal = ("{\"errors\":[{\"code\":\"TOOMANYREQUESTS\",\"message\":\"" + TOO_MANY + "\"}]}")
                        .getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(429, refusal.length);
                exchange.getResponseBody().write(refusal);
                return;
            }
            Upstream.Answer answer = Upstream.forward(exchange, body, target, address());
            if (pull && answer.status() == 200) {
                remaining.decrementAndGet();
                pulls.add(Instant.now());
            }
            if (manifest) {
                headers(exchange);
            }
            Upstream.reply(exchange, answer);
        }
    }

    private void headers(HttpExchange exchange) {
        long w = window.toSeconds();
        exchange.getResponseHeaders().add("ratelimit-limit", limit + ";w=" + w);
        exchange.getResponseHeaders().add("ratelimit-remaining", Math.max(0, remaining.get()) + ";w=" + w);
        exchange.getResponseHeaders().add("docker-ratelimit-source", "127.0.0.1");
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
