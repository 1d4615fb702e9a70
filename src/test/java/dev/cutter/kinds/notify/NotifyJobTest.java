package dev.cutter.kinds.notify;
import dev.cutter.run.jobs.Contexts;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.sun.net.httpserver.HttpServer;
import dev.cutter.ledger.JobState;
import dev.cutter.plan.Action;
import dev.cutter.plan.Job;
import dev.cutter.run.JobFailure;
import dev.cutter.run.JobResult;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Webhooks posted to a real HTTP receiver on loopback: what a team's channel is told. */
class NotifyJobTest {
    @TempDir
    Path project;

    HttpServer receiver;
    final BlockingQueue<String> bodies = new LinkedBlockingQueue<>();
    volatile int status = 200;
    volatile String retryAfter = "7";

    @BeforeEach
    void listen() throws Exception {
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/hook", exchange -> {
            bodies.add(new String(exchange.getRequestBody().readAllBytes(), UTF_8) + " " + exchange.getRequestHeaders().getFirst("Content-Type"));
            if (status == 429) {
                exchange.getResponseHeaders().add("Retry-After", retryAfter);
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        receiver.start();
    }

    @AfterEach
    void stop() {
        receiver.stop(0);
    }

    Contexts.Recording context(String format, List<String> on, boolean succeeded) {
        String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook?token=${env:HOOK_TOKEN}";
        Job notify = new Job("notify/team", "notify", "team", List.of("build/a", "push/b"), Map.of(), Optional.empty(),
                new Action.Notify(url, format, on));
        Contexts.Recording context = new Contexts.Recording(project, notify, Map.of("HOOK_TOKEN", "s3cr3t"));
        context.succeeded = succeeded;
        context.ended = List.of(
                new JobResult("build/a", "build", JobState.SUCCEEDED, "", Duration.ofSeconds(1), Optional.empty()),
                new JobResult("push/b", "push", succeeded ? JobState.SUCCEEDED : JobState.FAILED,
                        succeeded ? "" : "127.0.0.1:5000/app: answered 500", Duration.ofSeconds(2),
                        succeeded ? Optional.empty() : Optional.of(JobFailure.Kind.FAILED)));
        return context;
    }

    @Test
    void theJsonBodyTellsWhatWasReleasedHowEachJobEndedAndWhatFailed() throws Exception {
        var outcome = Contexts.run(new NotifyJob(HttpClient.newHttpClient()), context("json", List.of("success", "failure"), false));

        assertThat(outcome.detail()).isEqualTo("posted failure");
        String posted = bodies.poll(5, TimeUnit.SECONDS);
        assertThat(posted).endsWith(" application/json");
        JsonNode body = JsonMapper.builder().build().readTree(posted.substring(0, posted.lastIndexOf(' ')));
        assertThat(body.path("project").asText()).isEqualTo("demo");
        assertThat(body.path("version").asText()).isEqualTo("1.2.3");
        assertThat(body.path("outcome").asText()).isEqualTo("failure");
        assertThat(body.path("summary").asText()).isEqualTo("demo 1.2.3 (stable): release failed (1 of 2 jobs) — run r1");
        assertThat(body.path("jobs").path("succeeded").asInt()).isEqualTo(1);
        assertThat(body.path("jobs").path("failed").asInt()).isEqualTo(1);
        assertThat(body.path("failed").get(0).path("job").asText()).isEqualTo("push/b");
        assertThat(body.path("failed").get(0).path("error").asText()).contains("answered 500");
    }

    @Test
    void slackGetsOneTextWithTheHeadlineAndAFailedJobALine() throws Exception {
        Contexts.run(new NotifyJob(HttpClient.newHttpClient()), context("slack", List.of("failure"), false));

        String posted = bodies.poll(5, TimeUnit.SECONDS);
        JsonNode body = JsonMapper.builder().build().readTree(posted.substring(0, posted.lastIndexOf(' ')));
        assertThat(body.size()).isEqualTo(1);
        assertThat(body.path("text").asText()).isEqualTo("demo 1.2.3 (stable): release failed (1 of 2 jobs) — run r1\n"
                + "• push/b: 127.0.0.1:5000/app: answered 500");
    }

    @Test
    void aRunWhoseOutcomeIsNotListedPostsNothing() throws Exception {
        var outcome = Contexts.run(new NotifyJob(HttpClient.newHttpClient()), context("slack", List.of("failure"), true));

        assertThat(outcome.skipped()).isTrue();
        assertThat(bodies.poll(200, TimeUnit.MILLISECONDS)).isNull();
    }

    @Test
    void aBusyReceiverIsRetriedAfterItsRetryAfterAndTheSecretInTheUrlNeverShows() {
        status = 429;
        Contexts.Recording context = context("json", List.of("success", "failure"), true);

        assertThatThrownBy(() -> Contexts.run(new NotifyJob(HttpClient.newHttpClient()), context))
                .isInstanceOfSatisfying(JobFailure.class, f -> {
                    assertThat(f.retryable()).isTrue();
                    assertThat(f.retryAfter()).contains(Duration.ofSeconds(7));
                    assertThat(f.getMessage()).contains("429").doesNotContain("s3cr3t");
                });
        status = 404;
        assertThatThrownBy(() -> Contexts.run(new NotifyJob(HttpClient.newHttpClient()), context))
                .isInstanceOfSatisfying(JobFailure.class, f -> assertThat(f.retryable()).isFalse());
    }

    @Test
    void aRetryAfterBeyondAnyNumberOrAsADateIsReadAsTheHttpLayerReadsIt() {
        status = 429;
        Contexts.Recording context = context("json", List.of("success", "failure"), true);
        // more digits than a long holds: the receiver's wish is not understood, the backoff decides
        retryAfter = "99999999999999999999999";
        assertThatThrownBy(() -> Contexts.run(new NotifyJob(HttpClient.newHttpClient()), context))
                .isInstanceOfSatisfying(JobFailure.class, f -> {
                    assertThat(f.retryable()).isTrue();
                    assertThat(f.retryAfter()).isEmpty();
                });
        // an HTTP-date, the header's other form, in the past: no wait beyond the backoff's
        retryAfter = "Wed, 21 Oct 2015 07:28:00 GMT";
        assertThatThrownBy(() -> Contexts.run(new NotifyJob(HttpClient.newHttpClient()), context))
                .isInstanceOfSatisfying(JobFailure.class, f -> assertThat(f.retryAfter()).contains(Duration.ZERO));
    }

    @Test
    @org.junit.jupiter.api.Tag("security")
    void aNotificationThatCannotConnectNamesNeitherTheHostNorThePortNorTheTokenOfItsUrl() throws Exception {
        int closed;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = free.getLocalPort();
        }
        String token = "T0CUTTER/B0CUTTER/xoxbTokenInThePath42";
        Job notify = new Job("notify/team", "notify", "team", List.of("build/a"), Map.of(), Optional.empty(),
                new Action.Notify("http://127.0.0.1:" + closed + "/services/" + token, "slack", List.of("success", "failure")));
        Contexts.Recording context = new Contexts.Recording(project, notify, Map.of());
        context.succeeded = true;
        context.ended = List.of(new JobResult("build/a", "build", JobState.SUCCEEDED, "", Duration.ofSeconds(1), Optional.empty()));

        assertThatThrownBy(() -> Contexts.run(new NotifyJob(HttpClient.newHttpClient()), context))
                .isInstanceOfSatisfying(JobFailure.class, f -> assertThat(f.getMessage())
                        .isEqualTo("notification notify/team to http://[masked] failed: the connection was refused")
                        .doesNotContain(String.valueOf(closed)).doesNotContain("127.0.0.1").doesNotContain("xoxbTokenInThePath42"));
        assertThat(context.secrets().masker().mask("posting to http://127.0.0.1:" + closed + "/services/" + token + " broke"))
                .as("what the run writes later is masked too").doesNotContain("xoxbTokenInThePath42").doesNotContain(":" + closed);
    }
}
