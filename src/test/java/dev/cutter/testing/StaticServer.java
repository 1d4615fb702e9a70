package dev.cutter.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A directory served over HTTP on a loopback port, as a static web server serves an apt
 * repository (following symbolic links). It records every request and can run a hook after
 * serving a path, to change the repository while a client is in the middle of an update.
 */
public final class StaticServer implements AutoCloseable {
    private final HttpServer server;
    private final Path root;
    /** Every request served, "METHOD /path", in order. */
    public final List<String> requests = new CopyOnWriteArrayList<>();
    private volatile String hookPath;
    private volatile Consumer<String> hook;

    public StaticServer(Path root) throws IOException {
        this.root = root.toAbsolutePath().normalize();
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.createContext("/", this::serve);
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    }

    /** Runs {@code action} once, right after the response for {@code path} was sent. */
    public void afterServing(String path, Consumer<String> action) {
        this.hookPath = path;
        this.hook = action;
    }

    private void serve(HttpExchange exchange) throws IOException {
        String path = URI.create(exchange.getRequestURI().toString()).getPath();
        requests.add(exchange.getRequestMethod() + " " + path);
        Path file = root.resolve(path.substring(1)).normalize();
        try (exchange) {
            if (!file.startsWith(root) || !Files.isRegularFile(file)) {
                exchange.sendResponseHeaders(404, -1);
            } else {
                long size = Files.size(file);
                exchange.getResponseHeaders().add("Content-Type", "application/octet-stream");
                if (exchange.getRequestMethod().equals("HEAD")) {
                    exchange.sendResponseHeaders(200, -1);
                } else {
                    exchange.sendResponseHeaders(200, size == 0 ? -1 : size);
                    try (InputStream in = Files.newInputStream(file); OutputStream out = exchange.getResponseBody()) {
                        in.transferTo(out);
                    }
                }
            }
        }
        Consumer<String> action = hook;
        if (action != null && path.equals(hookPath)) {
            hook = null;
            action.accept(path);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
