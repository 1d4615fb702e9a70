package dev.cutter.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP proxy on loopback in front of a real registry that injects faults from a seeded
 * sequence: 503, 429 with Retry-After, a connection dropped before forwarding, and a connection
 * dropped after the registry did the work (the answer lost). Location headers are rewritten so
 * every request of an upload comes through the proxy too.
 */
public final class FaultyProxy implements AutoCloseable {
    public enum Fault { NONE, UNAVAILABLE, TOO_MANY, RESET_BEFORE, RESET_AFTER }

    private static final Set<String> HOP = Set.of("connection", "content-length", "host", "transfer-encoding", "keep-alive",
            "upgrade", "expect");
    private final HttpServer server;
    private final String target;
    private final Random random;
    private final double rate;
    private final HttpClient http = HttpClient.newHttpClient();
    private final AtomicInteger injected = new AtomicInteger();

    private FaultyProxy(HttpServer server, String target, long seed, double rate) {
        this.server = server;
        this.target = target;
        this.random = new Random(seed);
        this.rate = rate;
    }

    /** A proxy to {@code target} (host:port) injecting a fault into {@code rate} of the requests. */
    public static FaultyProxy start(String target, long seed, double rate) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        FaultyProxy proxy = new FaultyProxy(server, target, seed, rate);
        server.createContext("/", proxy::handle);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
        return proxy;
    }

    public String address() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    public int injected() {
        return injected.get();
    }

    private synchronized Fault next() {
        if (random.nextDouble() >= rate) {
            return Fault.NONE;
        }
        List<Fault> faults = List.of(Fault.UNAVAILABLE, Fault.TOO_MANY, Fault.RESET_BEFORE, Fault.RESET_AFTER);
        return faults.get(random.nextInt(faults.size()));
    }

    private void handle(HttpExchange exchange) throws IOException {
        Fault fault = exchange.getRequestURI().getPath().equals("/v2/") ? Fault.NONE : next();
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            switch (fault) {
                case UNAVAILABLE -> {
                    injected.incrementAndGet();
                    exchange.sendResponseHeaders(503, -1);
                    return;
                }
                case TOO_MANY -> {
                    injected.incrementAndGet();
                    exchange.getResponseHeaders().add("Retry-After", "1");
                    exchange.sendResponseHeaders(429, -1);
                    return;
                }
                case RESET_BEFORE -> {
                    injected.incrementAndGet();
                    throw new IOException("injected reset"); // the connection closes without an answer
                }
                default -> { }
            }
            HttpRequest.Builder forward = HttpRequest.newBuilder(URI.create("http://" + target + exchange.getRequestURI()))
                    .method(exchange.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(body));
            exchange.getRequestHeaders().forEach((name, values) -> {
                if (!HOP.contains(name.toLowerCase())) {
                    values.forEach(v -> forward.header(name, v));
                }
            });
            HttpResponse<InputStream> response;
            try {
                response = http.send(forward.build(), HttpResponse.BodyHandlers.ofInputStream());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
            if (fault == Fault.RESET_AFTER) {
                injected.incrementAndGet();
                response.body().close();
                throw new IOException("injected reset after the registry answered");
            }
            response.headers().map().forEach((name, values) -> {
                if (!HOP.contains(name.toLowerCase())) {
                    values.forEach(v -> exchange.getResponseHeaders().add(name,
                            name.equalsIgnoreCase("Location") ? v.replace(target, address()) : v));
                }
            });
            byte[] bytes = response.body().readAllBytes();
            boolean head = exchange.getRequestMethod().equals("HEAD");
            if (head) {
                response.headers().firstValue("Content-Length").ifPresent(l -> exchange.getResponseHeaders().set("Content-Length", l));
            }
            exchange.sendResponseHeaders(response.statusCode(), head || bytes.length == 0 ? -1 : bytes.length);
            if (!head && bytes.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
