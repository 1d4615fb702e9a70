package dev.cutter.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server stopped while event streams are open ends each stream and its sending thread. A
 * stream closed after Jetty had let go of its request once left that thread looping through
 * Javalin's error handling for as long as the process lived, a core's worth of CPU and a log
 * line per turn.
 */
class StreamsAtStopTest {
    @TempDir
    Path dir;

    @Test
    void stoppingTheServerEndsEveryOpenStreamAndItsThread() throws Exception {
        ServerFixture fixture = new ServerFixture(dir);
        List<CompletableFuture<Long>> streams = new ArrayList<>();
        try {
            String viewer = fixture.token(Role.VIEWER);
            for (int i = 0; i < 4; i++) {
                HttpRequest request = HttpRequest.newBuilder(URI.create(fixture.url("/api/events")))
                        .header("Accept", "text/event-stream").header("Authorization", "Bearer " + viewer).GET().build();
                streams.add(fixture.http.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream())
                        .thenApply(StreamsAtStopTest::drain));
            }
            List<java.net.Socket> leaving = new ArrayList<>();
            for (int i = 0; i < 4; i++) { // browsers that go away while their stream is open
                java.net.URI url = URI.create(fixture.url("/api/events"));
                java.net.Socket socket = new java.net.Socket(url.getHost(), url.getPort());
                socket.getOutputStream().write(("GET /api/events HTTP/1.1\r\nHost: " + url.getAuthority()
                        + "\r\nAccept: text/event-stream\r\nAuthorization: Bearer " + viewer + "\r\n\r\n")
                        .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                socket.getOutputStream().flush();
                leaving.add(socket);
            }
            int expected = streams.size() + leaving.size();
            for (int i = 0; i < 400 && fixture.server.feeds.watchers() < expected; i++) {
                Thread.sleep(25); // the stream's handler registers the watcher on Jetty's thread
            }
            assertThat(fixture.server.feeds.watchers()).isEqualTo(expected);
            for (java.net.Socket socket : leaving) {
                socket.close();
            }
            // until Jetty notices they left (their watchers end), for at most two seconds: the stop
            // below then meets both kinds of stream, ended and open
            long noticed = System.nanoTime() + Duration.ofSeconds(2).toNanos();
            while (fixture.server.feeds.watchers() > streams.size() && System.nanoTime() < noticed) {
                Thread.sleep(25);
            }
        } finally {
            fixture.close();
        }
        for (CompletableFuture<Long> stream : streams) {
            stream.get(30, TimeUnit.SECONDS); // the client saw its stream end
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (fixture.server.feeds.sending() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(fixture.server.feeds.sending()).as("streams whose thread still runs after the server stopped").isZero();
    }

    private static long drain(HttpResponse<InputStream> response) {
        try (InputStream in = response.body()) {
            return in.transferTo(java.io.OutputStream.nullOutputStream());
        } catch (java.io.IOException e) {
            return -1; // a stream cut off by the stop ended too
        }
    }
}
