package dev.cutter.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * A server-sent events client on the JDK's HttpClient alone (the load test's second process
 * uses it too, with nothing else on its class path): reads events as the spec frames them
 * ({@code event:}, {@code data:}, {@code id:}, a blank line ends one; {@code :} lines are comments).
 */
final class SseStream {
    record Event(String name, String data, String id) {}

    private SseStream() {}

    /** Reads events from {@code url} until one matches {@code last} (which is included) or the stream ends. */
    static List<Event> read(HttpClient client, String url, String token, Duration timeout, Predicate<Event> last)
            throws IOException, InterruptedException {
        return read(client, url, token, timeout, last, java.util.Map.of());
    }

    /** As {@link #read(HttpClient, String, String, Duration, Predicate)}, sending {@code headers} too (a reconnect's Last-Event-ID). */
    static List<Event> read(HttpClient client, String url, String token, Duration timeout, Predicate<Event> last,
            java.util.Map<String, String> headers) throws IOException, InterruptedException {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url)).header("Accept", "text/event-stream")
                .header("Authorization", "Bearer " + token).timeout(timeout).GET();
        headers.forEach(builder::header);
        HttpRequest request = builder.build();
        HttpResponse<java.io.InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() != 200) {
            throw new IOException(url + " answered " + response.statusCode() + ": " + new String(response.body().readAllBytes(), StandardCharsets.UTF_8));
        }
        List<Event> events = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String name = "message";
            String id = null;
            StringBuilder data = new StringBuilder();
            String line;
            while ((line = in.readLine()) != null) {
                if (line.isEmpty()) {
                    if (!data.isEmpty()) {
                        Event e = new Event(name, data.toString(), id);
                        events.add(e);
                        if (last.test(e)) {
                            return events;
                        }
                    }
                    name = "message";
                    id = null;
                    data.setLength(0);
                } else if (line.startsWith(":")) {
                    continue; // a keep-alive comment
                } else if (line.startsWith("event:")) {
                    name = line.substring(6).strip();
                } else if (line.startsWith("id:")) {
                    id = line.substring(3).strip();
                } else if (line.startsWith("data:")) {
                    if (!data.isEmpty()) {
                        data.append('\n');
                    }
                    data.append(line.substring(5).strip());
                }
            }
        }
        return events;
    }
}
