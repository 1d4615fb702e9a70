package dev.cutter.run.jobs;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.cutter.plan.Action;
import dev.cutter.run.JobContext;
import dev.cutter.run.JobFailure;
import dev.cutter.run.JobHandler;
import dev.cutter.run.JobOutcome;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Posts the outcome of the run to a webhook: generic JSON, or Slack's {@code {"text": …}}. Runs
 * after everything else, whatever happened; {@code on} decides whether it posts.
 */
public final class NotifyJob implements JobHandler {
    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private final HttpClient http;

    public NotifyJob(HttpClient http) {
        this.http = http;
    }

    @Override
    public JobOutcome run(JobContext context) throws Exception {
        Action.Notify notify = (Action.Notify) context.job().action();
        String outcome = context.runSucceeded() ? "success" : "failure";
        if (!notify.on().contains(outcome)) {
            return JobOutcome.skipped("notifies on " + String.join("/", notify.on()) + " only; the run's outcome is " + outcome, List.of());
        }
        var plan = context.plan();
        String summary = plan.project() + " " + plan.version() + " (" + plan.channel() + "): release "
                + (outcome.equals("success") ? "succeeded" : "failed") + " — run " + context.runId();
        Map<String, Object> body = new LinkedHashMap<>();
        if (notify.format().equals("slack")) {
            body.put("text", summary);
        } else {
            body.put("project", plan.project());
            body.put("version", plan.version());
            body.put("tag", plan.tag());
            body.put("channel", plan.channel());
            body.put("run", context.runId());
            body.put("outcome", outcome);
            body.put("summary", summary);
        }
        String url = context.secrets().resolve(notify.url());
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body))).build();
        } catch (IllegalArgumentException e) {
            throw JobFailure.failed("the webhook URL is not a URL: " + context.secrets().masker().mask(url));
        }
        HttpResponse<Void> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.discarding());
        } catch (IOException e) {
            // (a refused connection comes as a ConnectException without a message)
            String why = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName().replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase();
            throw JobFailure.unreachable("cannot reach the webhook " + request.uri().getHost() + ":" + request.uri().getPort() + ": " + why, true);
        }
        int status = response.statusCode();
        if (status == 429 || status >= 500) {
            throw JobFailure.retryable("the webhook answered " + status,
                    response.headers().firstValue("Retry-After").filter(v -> v.matches("\\d+"))
                            .map(v -> Duration.ofSeconds(Long.parseLong(v))).orElse(null));
        }
        if (status >= 300) {
            throw JobFailure.failed("the webhook answered " + status);
        }
        return JobOutcome.done("posted " + outcome, List.of(), List.of());
    }
}
