package dev.cutter.testing;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How the test proxies ({@link FaultyProxy}, {@link HostileRegistry}) pass a request on to the real
 * registry behind them and its answer back: hop-by-hop headers dropped, Location headers pointed
 * back at the proxy so every request of an upload comes through it too.
 */
final class Upstream {
    private static final Set<String> HOP = Set.of("connection", "content-length", "host", "transfer-encoding", "keep-alive",
            "upgrade", "expect");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** The registry's answer, whole. */
    record Answer(int status, Map<String, List<String>> headers, byte[] body) {
        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).findFirst()
                    .map(e -> e.getValue().get(0)).orElse(null);
        }
    }

    private Upstream() {}

    /** Sends {@code exchange}'s request, with {@code body}, to {@code target} (host:port) and reads the answer. */
    static Answer forward(HttpExchange exchange, byte[] body, String target, String proxy) throws IOException {
        return forward(exchange, body, target, proxy, java.util.Optional.empty());
    }

    /** As {@link #forward(HttpExchange, byte[], String, String)}, with {@code authorization} (if any) in place of the request's own. */
    static Answer forward(HttpExchange exchange, byte[] body, String target, String proxy, java.util.Optional<String> authorization)
            throws IOException {
        HttpRequest.Builder forward = HttpRequest.newBuilder(URI.create("http://" + target + exchange.getRequestURI()))
                .method(exchange.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (!HOP.contains(name.toLowerCase()) && !(name.equalsIgnoreCase("Authorization") && authorization.isPresent())) {
                values.forEach(v -> forward.header(name, v));
            }
        });
        authorization.ifPresent(a -> forward.header("Authorization", a));
        HttpResponse<InputStream> response;
        try {
            response = HTTP.send(forward.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        Map<String, List<String>> headers = new LinkedHashMap<>();
        response.headers().map().forEach((name, values) -> {
            if (!HOP.contains(name.toLowerCase()) || (name.equalsIgnoreCase("content-length") && exchange.getRequestMethod().equals("HEAD"))) {
                List<String> kept = new ArrayList<>();
                values.forEach(v -> kept.add(name.equalsIgnoreCase("Location") ? v.replace(target, proxy) : v));
                headers.put(name, kept);
            }
        });
        try (InputStream in = response.body()) {
            return new Answer(response.statusCode(), headers, in.readAllBytes());
        }
    }

    /** Sends {@code answer} (its body unless the request was a HEAD) back to the client. */
    static void reply(HttpExchange exchange, Answer answer) throws IOException {
        answer.headers().forEach((name, values) -> values.forEach(v -> exchange.getResponseHeaders().add(name, v)));
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(answer.status(), head || answer.body().length == 0 ? -1 : answer.body().length);
        if (!head && answer.body().length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer.body());
            }
        }
    }

    /** The digest the manifest at {@code path} has on {@code target} (host:port, no auth), or null when there is none. */
    static String digestAt(String target, String path) throws IOException {
        HttpRequest head = HttpRequest.newBuilder(URI.create("http://" + target + path))
                .header("Accept", "application/vnd.oci.image.index.v1+json, application/vnd.oci.image.manifest.v1+json, "
                        + "application/vnd.docker.distribution.manifest.list.v2+json, application/vnd.docker.distribution.manifest.v2+json")
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build();
        try {
            HttpResponse<Void> response = HTTP.send(head, HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200 ? response.headers().firstValue("Docker-Content-Digest").orElse(null) : null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }
}
