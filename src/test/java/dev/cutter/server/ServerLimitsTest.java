package dev.cutter.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * What unauthenticated callers can make the server spend: connections that announce a body and
 * send it a byte at a time, bodies larger than any webhook delivery. All traffic stays on
 * 127.0.0.1.
 */
@Tag("e2e")
@Tag("security")
class ServerLimitsTest {
    @TempDir
    Path dir;

    ServerFixture fixture;

    @AfterEach
    void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    /** 10 MB is over the delivery limit; 1 MB is under it, so only the count of pending readers stops those. */
    @ParameterizedTest(name = "Content-Length {0}")
    @ValueSource(longs = {10_000_000, 1_000_000})
    void slowWebhookBodiesOn250ConnectionsDoNotStarveAnAuthenticatedRequest(long length) throws Exception {
        fixture = new ServerFixture(dir, Map.of("NAP", "0"));
        String viewer = fixture.token(Role.VIEWER);
        List<Socket> slow = new ArrayList<>();
        try {
            for (int i = 0; i < 250; i++) {
                slow.add(slowDelivery(length));
            }
            long begin = System.nanoTime();
            ServerFixture.Answer answer = fixture.send(HttpRequest.newBuilder(URI.create(fixture.url("/api/runs")))
                    .header("Authorization", "Bearer " + viewer).timeout(Duration.ofSeconds(20)).GET().build());
            long millis = (System.nanoTime() - begin) / 1_000_000;
            System.out.println("authenticated request under 250 slow deliveries of " + length + " bytes: " + answer.status()
                    + " in " + millis + " ms");
            assertThat(answer.status()).isEqualTo(200);
            assertThat(millis).as("latency of an authenticated request under 250 slow connections").isLessThan(5_000);
            assertThat(fixture.server.gate().pending()).as("unauthenticated bodies being read").isLessThanOrEqualTo(8);
        } finally {
            closeAll(slow);
        }
    }

    @Test
    void aDeliveryAnnouncedLargerThanTheLimitIsAnswered413BeforeItsBodyIsRead() throws Exception {
        fixture = new ServerFixture(dir, Map.of("NAP", "0"));
        try (Socket s = slowDelivery(6_000_000)) {
            s.setSoTimeout(5_000);
            String head = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertThat(head).startsWith("HTTP/1.1 413").contains("at most 5000000 bytes");
        }
    }

    /** Cut off by the deadline alone (no minimum rate), and by Jetty's minimum data rate alone (a generous deadline). */
    @ParameterizedTest(name = "within {0} s, at least {1} B/s")
    @CsvSource({"2, 0", "60, 1024"})
    void aBodyThatTricklesInIsCutOffWhenItsTimeIsUp(long within, long rate) throws Exception {
        Limits d = Limits.defaults();
        fixture = new ServerFixture(dir, Map.of("NAP", "0"), new Limits(d.maxHookBody(), d.maxApiBody(), Duration.ofSeconds(within),
                rate, d.idleTimeout(), d.pendingPerAddress(), d.pendingOverall()));
        long begin = System.nanoTime();
        String answer = "";
        try (Socket s = slowDelivery(1_000)) {
            s.setSoTimeout(200);
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            // a byte every 200 ms (the read's time-out), until the server answers, which it must within a few seconds
            while (answer.isEmpty() && System.nanoTime() - begin < 15_000_000_000L) {
                try {
                    out.write(' ');
                    out.flush();
                } catch (IOException closed) {
                    // the server closed the connection; read what it answered
                }
                try {
                    answer = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
                } catch (java.net.SocketTimeoutException nothingYet) {
                    // keep trickling
                }
            }
        }
        long millis = (System.nanoTime() - begin) / 1_000_000;
        System.out.println("trickled body cut off after " + millis + " ms: " + answer.lines().findFirst().orElse("(nothing)")
                + " " + answer.substring(Math.max(0, answer.indexOf("{"))));
        assertThat(answer).as("after " + millis + " ms").startsWith("HTTP/1.1 408").doesNotContain("internal error");
        assertThat(millis).isLessThan(10_000);
        awaitNoPendingReaders();
    }

    @Test
    void aBodyThatComesAfterAPauseButWholeIsRead() throws Exception {
        fixture = new ServerFixture(dir, Map.of("NAP", "0"));
        String body = "{\"ref\": \"refs/heads/x\", \"pad\": \"" + "x".repeat(4_000) + "\"}";
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), fixture.server.port()), 2_000);
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(("POST /hooks/github HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nX-GitHub-Event: push\r\n"
                    + "X-Hub-Signature-256: sha256=00\r\nConnection: close\r\nContent-Length: " + body.length() + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            // a client on a slow link: the body follows its headers 1.5 s later, then all at once
            Thread.sleep(1_500); // the client's pause is what is tested, not a wait for the server
            out.write(body.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertThat(answer).as("the body was read and its signature checked").startsWith("HTTP/1.1 401");
        }
    }

    /** The gate counts a reader out when its answer completes, just after the client has it. */
    private void awaitNoPendingReaders() throws InterruptedException {
        long until = System.nanoTime() + 5_000_000_000L;
        while (fixture.server.gate().pending() > 0 && System.nanoTime() < until) {
            Thread.sleep(10);
        }
        assertThat(fixture.server.gate().pending()).as("unauthenticated readers left counted").isZero();
    }

    /** A webhook delivery's headers and its first byte; the rest never comes. */
    private Socket slowDelivery(long length) throws IOException {
        Socket s = new Socket();
        try {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), fixture.server.port()), 2_000);
            OutputStream out = s.getOutputStream();
            out.write(("POST /hooks/github HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "X-GitHub-Event: push\r\nContent-Length: " + length + "\r\n\r\n{").getBytes(StandardCharsets.US_ASCII));
            out.flush();
        } catch (IOException refused) {
            // a connection refused or closed by the server is the server doing its job
        }
        return s;
    }

    private static void closeAll(List<Socket> sockets) {
        for (Socket s : sockets) {
            try {
                s.close();
            } catch (IOException ignored) {
                // best effort
            }
        }
    }
}
