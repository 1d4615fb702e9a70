package dev.cutter.kinds.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.cutter.ledger.JobState;
import dev.cutter.plan.Action;
import dev.cutter.run.JobContext;
import dev.cutter.run.JobFailure;
import dev.cutter.run.ActionHandler;
import dev.cutter.run.JobOutcome;
import dev.cutter.run.JobResult;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Posts the outcome of the run to a webhook: generic JSON ({@link #json}), or Slack's
 * {@code {"text": …}} ({@link #slack}, also what Mattermost and Rocket.Chat incoming webhooks
 * read). Runs after everything else, whatever happened; {@code on} decides whether it posts.
 */
public record NotifyJob(HttpClient http) implements ActionHandler<Action.Notify> {
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    /** At most this many failed jobs and publications are listed in a Slack message; the JSON lists every one. */
    private static final int SLACK_LINES = 10;

    /**
     * The generic body: what was released and how it went, counts by state, every failed job
     * with its error, and every publication (repository and tags) the plan made.
     */
    static Map<String, Object> json(JobContext context, String outcome) {
        var plan = context.plan();
        List<JobResult> ended = others(context);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("project", plan.project());
        body.put("version", plan.version());
        body.put("tag", plan.tag());
        body.put("channel", plan.channel());
        body.put("run", context.runId());
        body.put("outcome", outcome);
        body.put("summary", headline(context, outcome));
        Map<String, Long> jobs = new TreeMap<>();
        ended.forEach(r -> jobs.merge(r.state().name().toLowerCase(), 1L, Long::sum));
        body.put("jobs", jobs);
        body.put("failed", ended.stream().filter(r -> r.state() == JobState.FAILED)
                .map(r -> Map.of("job", r.jobId(), "error", r.detail())).toList());
        body.put("published", outcome.equals("success") ? publications(context) : List.of());
        return body;
    }

    /** Slack's {@code text}: the headline, then the failed jobs or what was published, a line each. */
    static String slack(JobContext context, String outcome) {
        StringBuilder text = new StringBuilder(headline(context, outcome));
        List<String> lines = outcome.equals("success") ? context.plan().publications().stream()
                .map(p -> "• " + p.repository() + " " + String.join(", ", p.tags())).toList()
                : others(context).stream().filter(r -> r.state() == JobState.FAILED)
                        .map(r -> "• " + r.jobId() + ": " + r.detail()).toList();
        lines.stream().limit(SLACK_LINES).forEach(line -> text.append('\n').append(line));
        if (lines.size() > SLACK_LINES) {
            text.append("\n… and ").append(lines.size() - SLACK_LINES).append(" more (cutter runs show ").append(context.runId()).append(')');
        }
        return text.toString();
    }

    private static String headline(JobContext context, String outcome) {
        var plan = context.plan();
        List<JobResult> ended = others(context);
        long failed = ended.stream().filter(r -> r.state() == JobState.FAILED).count();
        return plan.project() + " " + plan.version() + " (" + plan.channel() + "): release "
                + (outcome.equals("success") ? "succeeded" : "failed (" + failed + " of " + ended.size() + " jobs)")
                + " — run " + context.runId();
    }

    /** The other jobs' results: a notification does not report itself or its sibling notifications. */
    private static List<JobResult> others(JobContext context) {
        return context.ended().stream().filter(r -> !r.kind().equals("notify")).toList();
    }

    private static List<Map<String, Object>> publications(JobContext context) {
        return context.plan().publications().stream().map(p -> Map.<String, Object>of("repository", p.repository(), "tags", p.tags()))
                .toList();
    }

    @Override
    public JobOutcome run(JobContext context, Action.Notify notify) throws Exception {
        String outcome = context.runSucceeded() ? "success" : "failure";
        if (!notify.on().contains(outcome)) {
            return JobOutcome.skipped("notifies on " + String.join("/", notify.on()) + " only; the run's outcome is " + outcome, List.of());
        }
        Map<String, Object> body = notify.format().equals("slack") ? Map.of("text", slack(context, outcome)) : json(context, outcome);
        String url = context.secrets().resolve(notify.url());
        String target = "notification " + context.job().id() + " to " + masked(url);
        hide(context.secrets().masker(), url);
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body))).build();
        } catch (IllegalArgumentException e) {
            throw JobFailure.failed(target + ": the URL is not a URL (it is not shown: a webhook URL often holds a token)");
        }
        HttpResponse<Void> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.discarding());
        } catch (IOException e) {
            throw JobFailure.unreachable(context.secrets().masker().mask(target + " failed: " + why(e)), true);
        }
        int status = response.statusCode();
        if (status == 429 || status >= 500) {
            throw JobFailure.retryable(target + ": the webhook answered " + status,
                    dev.cutter.http.Retries.asked(response.headers(), java.time.Instant.now()).orElse(null));
        }
        if (status >= 300) {
            throw JobFailure.failed(target + ": the webhook answered " + status);
        }
        return JobOutcome.done("posted " + outcome, List.of(), List.of());
    }

    /**
     * A webhook URL is a secret, whether or not the spec writes it as one: Slack's and most
     * others carry their token in the path, and the host and port say where to send it. What a
     * person reads is its scheme alone.
     */
    static String masked(String url) {
        String scheme = url.contains("://") ? url.substring(0, url.indexOf("://")) : "";
        return (scheme.matches("[A-Za-z][A-Za-z0-9+.-]{0,15}") ? scheme.toLowerCase(java.util.Locale.ROOT) : "?") + "://[masked]";
    }

    /** The URL and its parts go to the run's masker, so no later message, log line or ledger row shows them. */
    private static void hide(dev.cutter.run.Masker masker, String url) {
        masker.add(url);
        try {
            URI u = URI.create(url);
            for (String part : new String[] {u.getRawAuthority(), u.getHost(), u.getRawPath(), u.getPath(), u.getRawQuery(), u.getQuery(),
                    u.getRawUserInfo()}) {
                masker.add(part); // (null and very short parts are ignored by the masker)
            }
        } catch (IllegalArgumentException notAUrl) {
            // the whole text is masked already
        }
    }

    /**
     * What went wrong, in words of our own: the HTTP client's messages name the host (a refused
     * TLS name, an unresolved address), so none of them is passed on.
     */
    static String why(IOException e) {
        return switch (e) {
            case java.net.http.HttpConnectTimeoutException t -> "the connection timed out";
            case java.net.http.HttpTimeoutException t -> "no answer within 30 s";
            case java.net.ConnectException c when c.getCause() instanceof java.nio.channels.UnresolvedAddressException ->
                    "the host name does not resolve";
            case java.net.ConnectException c -> "the connection was refused";
            case javax.net.ssl.SSLException t -> "the TLS handshake failed";
            default -> "the connection failed (" + e.getClass().getSimpleName() + ")";
        };
    }
}
