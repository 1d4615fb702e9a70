package dev.cutter.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP proxy on loopback in front of a real registry that injects the faults of real networks
 * from a seeded sequence: 503, 429 with Retry-After, a connection dropped before forwarding, a
 * connection dropped after the registry did the work (the answer lost), an answer held back longer
 * than the client waits (a stall), and a body cut short of its Content-Length (truncated). Location
 * headers are rewritten so every request of an upload comes through the proxy too.
 */
public final class FaultyProxy implements AutoCloseable {
    public enum Fault { NONE, UNAVAILABLE, TOO_MANY, RESET_BEFORE, RESET_AFTER, STALL, TRUNCATED }

    /** The faults of {@link #start(String, long, double)}: those a client survives by retrying at once. */
    public static final List<Fault> TRANSIENT = List.of(Fault.UNAVAILABLE, Fault.TOO_MANY, Fault.RESET_BEFORE, Fault.RESET_AFTER);

    private final HttpServer server;
    private final String target;
    private final Random random;
    private final double rate;
    private final List<Fault> faults;
    private final Duration stall;
    private final Map<Fault, AtomicInteger> injected = new ConcurrentHashMap<>();

    private FaultyProxy(HttpServer server, String target, long seed, double rate, List<Fault> faults, Duration stall) {
        this.server = server;
        this.target = target;
        this.random = new Random(seed);
        this.rate = rate;
        this.faults = List.copyOf(faults);
        this.stall = stall;
    }

    /** A proxy to {@code target} (host:port) injecting one of the {@link #TRANSIENT} faults into {@code rate} of the requests. */
    public static FaultyProxy start(String target, long seed, double rate) throws IOException {
        return start(target, seed, rate, TRANSIENT, Duration.ZERO);
    }

    /**
     * A proxy injecting one of {@code faults} into {@code rate} of the requests; a {@link Fault#STALL}
     * holds the answer for {@code stall} (longer than the client's time-out, so it gives up on it).
     */
    public static FaultyProxy start(String target, long seed, double rate, List<Fault> faults, Duration stall) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        FaultyProxy proxy = new FaultyProxy(server, target, seed, rate, faults, stall);
        server.createContext("/", proxy::handle);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
        return proxy;
    }

    public String address() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    /** How many faults were injected so far. */
    public int injected() {
        return injected.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    /** How many faults of each kind were injected so far. */
    public Map<Fault, Integer> injectedByKind() {
        Map<Fault, Integer> counts = new java.util.TreeMap<>();
        injected.forEach((fault, n) -> counts.put(fault, n.get()));
        return counts;
    }

    private synchronized Fault next() {
        if (random.nextDouble() >= rate) {
            return Fault.NONE;
        }
        return faults.get(random.nextInt(faults.size()));
    }

    private void count(Fault fault) {
        injected.computeIfAbsent(fault, f -> new AtomicInteger()).incrementAndGet();
    }

    private void handle(HttpExchange exchange) throws IOException {
        Fault fault = exchange.getRequestURI().getPath().equals("/v2/") ? Fault.NONE : next();
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            switch (fault) {
                case UNAVAILABLE -> {
                    count(fault);
                    exchange.sendResponseHeaders(503, -1);
                    return;
                }
                case TOO_MANY -> {
                    count(fault);
                    exchange.getResponseHeaders().add("Retry-After", "1");
                    exchange.sendResponseHeaders(429, -1);
                    return;
                }
                case RESET_BEFORE -> {
                    count(fault);
                    throw new IOException("injected reset"); // the connection closes without an answer
                }
                default -> { }
            }
            Upstream.Answer answer = Upstream.forward(exchange, body, target, address());
            switch (fault) {
                case RESET_AFTER -> {
                    count(fault);
                    throw new IOException("injected reset after the registry answered");
                }
                case STALL -> {
                    count(fault);
                    pause(stall); // the injected stall: the client gives up waiting meanwhile
                }
                case TRUNCATED -> {
                    if (!exchange.getRequestMethod().equals("HEAD") && answer.body().length > 1) {
                        count(fault);
                        answer.headers().forEach((name, values) -> values.forEach(v -> exchange.getResponseHeaders().add(name, v)));
                        exchange.sendResponseHeaders(answer.status(), answer.body().length);
                        OutputStream out = exchange.getResponseBody();
                        out.write(answer.body(), 0, answer.body().length / 2);
                        out.flush();
                        throw new IOException("injected truncation"); // the connection closes mid-body
                    }
                }
                default -> { }
            }
            Upstream.reply(exchange, answer);
        }
    }

    static void pause(Duration d) throws IOException {
        try {
            Thread.sleep(d.toMillis()); // the stall or Retry-After this fault plays
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
