package dev.cutter.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.cutter.ledger.Artifact;
import dev.cutter.ledger.Attempt;
import dev.cutter.ledger.Effect;
import dev.cutter.ledger.JobRecord;
import dev.cutter.ledger.JobState;
import dev.cutter.ledger.LogLine;
import dev.cutter.ledger.Run;
import dev.cutter.ledger.RunState;
import io.javalin.http.Context;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A run's page and each of its jobs' pages. A run that failed shows its failed jobs first, each
 * with its error and the last lines it wrote, before the DAG and the table; a job's page holds
 * all of one job: its attempts, its log, what it was given and made, and what it changed.
 */
record RunPages(Server server, Pages pages) {
    /** Lines of a failed job's output shown under its error on the run's page. */
    static final int TAIL = 15;
    /** The most lines a job's page shows; the API pages through the rest. */
    static final int LOG_LINES = 5000;

    void register(Server.Routes r) {
        r.get("/runs/{id}", Role.VIEWER, this::run);
        r.get("/runs/{id}/jobs/<job>", Role.VIEWER, this::job);
    }

    static String jobHref(String runId, String jobId) {
        return "/runs/" + Html.url(runId) + "/jobs/" + String.join("/", java.util.Arrays.stream(jobId.split("/", -1)).map(Html::url).toList());
    }

    private Run found(String id) {
        return server.ledger.run(id).orElseThrow(() -> new Refusal(404, "no run " + id + " in the ledger"));
    }

    private void run(Context ctx) {
        String id = ctx.pathParam("id");
        Run run = found(id);
        List<JobRecord> jobs = server.ledger.jobs(id);
        Map<String, String> states = new LinkedHashMap<>();
        jobs.forEach(j -> states.put(j.jobId(), Views.lower(j.state())));
        JsonNode plan = Publications.plan(server.ledger, id);
        List<DagSvg.Node> nodes = new ArrayList<>();
        for (JsonNode job : plan.path("jobs")) {
            List<String> needs = new ArrayList<>();
            job.path("needs").forEach(n -> needs.add(n.asText()));
            nodes.add(new DagSvg.Node(job.path("id").asText(), job.path("kind").asText(), needs));
        }
        Server.Caller caller = Server.caller(ctx);
        Map<String, Object> view = Views.run(run, server.clock.instant());
        StringBuilder b = new StringBuilder();
        b.append("<h1>Run <code>").append(Html.escape(id)).append("</code> ").append(Html.state(Views.lower(run.state()))).append("</h1>");
        List<JobRecord> failed = jobs.stream().filter(j -> j.state() == JobState.FAILED).toList();
        if (!failed.isEmpty()) {
            b.append("<section id=\"failures\" class=\"card failures\"><h2>").append(failed.size() == 1 ? "1 job failed" : failed.size() + " jobs failed")
                    .append("</h2>");
            for (JobRecord j : failed) {
                b.append("<div class=\"failure\" data-job=\"").append(Html.escape(j.jobId())).append("\"><h3><a href=\"")
                        .append(Html.escape(jobHref(id, j.jobId()))).append("\">").append(Html.escape(j.jobId())).append("</a> <small>")
                        .append(Html.escape(j.kind())).append(j.attempts() > 1 ? ", " + j.attempts() + " attempts" : "").append("</small></h3>")
                        .append("<p class=\"error\">").append(Html.escape(j.detail().orElse("failed without a message"))).append("</p>");
                List<LogLine> tail = tail(id, j.jobId(), TAIL);
                if (!tail.isEmpty()) {
                    b.append("<pre class=\"log tail\">").append(lines(tail, false)).append("</pre>");
                }
                b.append("<p><a href=\"").append(Html.escape(jobHref(id, j.jobId()))).append("\">Its whole log, attempts and inputs →</a></p></div>");
            }
            b.append("</section>");
        }
        b.append("<section id=\"run\" data-run=\"").append(Html.escape(id)).append("\" data-final=\"").append(run.state().isFinal() ? "yes" : "no")
                .append("\" class=\"card\"><dl>")
                .append("<dt>What</dt><dd>").append(Views.lower(run.kind())).append(" of ").append(Html.escape(run.project())).append(' ')
                .append("<a href=\"/releases/").append(Html.escape(Html.url(run.project()))).append('/').append(Html.escape(Html.url(run.version())))
                .append("\">").append(Html.escape(run.version())).append("</a> (tag ").append(Html.escape(run.tag())).append(", channel ")
                .append(Html.escape(run.channel())).append(")</dd><dt>State</dt><dd id=\"run-state\">").append(Html.state(Views.lower(run.state())))
                .append("</dd><dt>Started</dt><dd><time>").append(run.started()).append("</time></dd><dt>Duration</dt><dd id=\"run-duration\">")
                .append(Views.duration((double) view.get("seconds"))).append("</dd><dt>Where</dt><dd>pid ").append(run.pid()).append(" on ")
                .append(Html.escape(run.host())).append("</dd>");
        server.access.starter(id).ifPresent(e -> b.append("<dt>Started by</dt><dd id=\"run-actor\">").append(Html.escape(e.actor())).append("</dd>"));
        b.append("</dl>");
        boolean mayCancel = caller.principal().filter(p -> p.role().includes(Role.RELEASER) && p.mayPublishTo(run.channel())).isPresent();
        if (run.state() == RunState.RUNNING && mayCancel) {
            if (server.launcher.runsHere(id)) {
                b.append("<form method=\"post\" action=\"/runs/").append(Html.escape(id)).append("/cancel\">").append(Html.csrfField(caller.csrf()))
                        .append("<button type=\"submit\" class=\"danger\" id=\"cancel\">Cancel run</button></form>");
            } else {
                b.append("<p class=\"hint\" id=\"elsewhere\">Run by pid ").append(run.pid()).append(" on ").append(Html.escape(run.host()))
                        .append(", not by this server: stop it there (Ctrl-C); then <code>cutter release --resume ").append(Html.escape(id))
                        .append("</code> resumes it.</p>");
            }
        }
        b.append("</section><h2>Jobs</h2><div class=\"dag-frame\">").append(DagSvg.render(nodes, states)).append("</div>");
        b.append("<table id=\"jobs\"><thead><tr><th>Job</th><th>Kind</th><th>State</th><th>Attempts</th><th>Started</th><th>Took</th>"
                + "<th>Detail</th></tr></thead><tbody>");
        for (JobRecord j : jobs) {
            Map<String, Object> jv = Views.job(j);
            b.append("<tr data-job=\"").append(Html.escape(j.jobId())).append("\"").append(j.state() == JobState.FAILED ? " class=\"failed\"" : "")
                    .append("><td><a href=\"").append(Html.escape(jobHref(id, j.jobId()))).append("\" class=\"job-page\">")
                    .append(Html.escape(j.jobId())).append("</a> <a href=\"#log\" class=\"job-filter\" title=\"show only its lines in the log below\">log</a></td><td>")
                    .append(Html.escape(j.kind())).append("</td><td class=\"job-state\">")
                    .append(Html.state(Views.lower(j.state()))).append("</td><td class=\"attempts\">").append(j.attempts())
                    .append("</td><td class=\"started\">").append(j.started().map(Instant::toString).orElse("")).append("</td><td class=\"took\">")
                    .append(jv.containsKey("seconds") ? Views.duration((double) jv.get("seconds")) : "").append("</td><td class=\"detail\">")
                    .append(Html.escape(j.detail().orElse(""))).append("</td></tr>");
        }
        b.append("</tbody></table><h2>Log <small id=\"log-filter\"></small></h2><pre id=\"log\" class=\"log\"></pre>");
        pages.show(ctx, "Run " + id, b.toString());
    }

    private List<LogLine> tail(String runId, String jobId, int n) {
        List<LogLine> all = server.ledger.logs(runId, Optional.of(jobId), 0, LOG_LINES);
        return all.subList(Math.max(0, all.size() - n), all.size());
    }

    private static String lines(List<LogLine> lines, boolean withTime) {
        StringBuilder b = new StringBuilder();
        for (LogLine l : lines) {
            b.append("<div class=\"line ").append(Html.escape(l.stream())).append("\">")
                    .append(withTime ? "<span class=\"at\">" + Html.escape(l.at().toString()) + "</span> " : "")
                    .append(Html.escape(l.text())).append("</div>");
        }
        return b.toString();
    }

    private void job(Context ctx) {
        String id = ctx.pathParam("id");
        String jobId = ctx.pathParam("job");
        Run run = found(id);
        JobRecord job = server.ledger.jobs(id).stream().filter(j -> j.jobId().equals(jobId)).findFirst()
                .orElseThrow(() -> new Refusal(404, "run " + id + " has no job " + jobId));
        JsonNode plan = Publications.plan(server.ledger, id);
        JsonNode planned = null;
        for (JsonNode j : plan.path("jobs")) {
            if (j.path("id").asText().equals(jobId)) {
                planned = j;
            }
        }
        List<String> needs = new ArrayList<>();
        if (planned != null) {
            planned.path("needs").forEach(n -> needs.add(n.asText()));
        }
        List<Artifact> artifacts = server.ledger.artifacts(id);
        String runLink = "<a href=\"/runs/" + Html.escape(Html.url(id)) + "\">" + Html.escape(id) + "</a>";
        StringBuilder b = new StringBuilder("<h1>Job <code>").append(Html.escape(jobId)).append("</code> ")
                .append(Html.state(Views.lower(job.state()))).append("</h1>");
        b.append("<section id=\"job\" class=\"card\" data-job=\"").append(Html.escape(jobId)).append("\"><dl><dt>Run</dt><dd>").append(runLink)
                .append(": ").append(Views.lower(run.kind())).append(" of ").append(Html.escape(run.project())).append(' ')
                .append(Html.escape(run.version())).append(", ").append(Html.state(Views.lower(run.state()))).append("</dd><dt>Kind</dt><dd>")
                .append(Html.escape(job.kind())).append("</dd><dt>State</dt><dd id=\"job-state\">").append(Html.state(Views.lower(job.state())))
                .append("</dd><dt>Attempts</dt><dd>").append(job.attempts()).append("</dd><dt>Started</dt><dd>")
                .append(job.started().map(Instant::toString).orElse("—")).append("</dd><dt>Took</dt><dd>")
                .append(job.started().flatMap(s -> job.finished().map(f -> Views.duration(Views.seconds(Duration.between(s, f))))).orElse("—"))
                .append("</dd></dl>");
        job.detail().ifPresent(d -> b.append("<p id=\"job-detail\" class=\"").append(job.state() == JobState.FAILED ? "error" : "hint").append("\">")
                .append(Html.escape(d)).append("</p>"));
        if (!run.state().isFinal()) {
            b.append("<p class=\"hint\">The run is still going: the <a href=\"/runs/").append(Html.escape(Html.url(id)))
                    .append("\">run's page</a> shows it live; this page shows it as it was when loaded.</p>");
        }
        b.append("</section>");

        List<Attempt> attempts = server.ledger.attempts(id, jobId);
        b.append("<h2>Attempts</h2><table id=\"attempts\"><thead><tr><th>#</th><th>State</th><th>Started</th><th>Took</th><th>Detail</th></tr></thead><tbody>");
        for (Attempt a : attempts) {
            b.append("<tr><td>").append(a.number()).append("</td><td>").append(Html.state(Views.lower(a.state()))).append("</td><td>")
                    .append(a.started()).append("</td><td>")
                    .append(a.finished().map(f -> Views.duration(Views.seconds(Duration.between(a.started(), f)))).orElse(""))
                    .append("</td><td>").append(Html.escape(a.detail().orElse(""))).append("</td></tr>");
        }
        b.append("</tbody></table>");
        if (attempts.isEmpty()) {
            b.append("<p class=\"hint\">Not started.</p>");
        }

        b.append("<h2>Inputs</h2>");
        if (needs.isEmpty()) {
            b.append("<p class=\"hint\">It needs no other job.</p>");
        } else {
            b.append("<p id=\"needs\">Needs ");
            for (int i = 0; i < needs.size(); i++) {
                b.append(i == 0 ? "" : ", ").append("<a href=\"").append(Html.escape(jobHref(id, needs.get(i)))).append("\">")
                        .append(Html.escape(needs.get(i))).append("</a>");
            }
            b.append(".</p>");
            artifactTable(b, "inputs", artifacts.stream().filter(a -> needs.contains(a.jobId())).toList(), true);
        }
        if (planned != null && planned.has("action")) {
            b.append("<details id=\"action\"><summary>What the plan asks of it (secret references, never their values)</summary><pre>")
                    .append(Html.escape(pretty(planned.get("action")))).append("</pre></details>");
        }

        b.append("<h2>Outputs</h2>");
        artifactTable(b, "outputs", artifacts.stream().filter(a -> a.jobId().equals(jobId)).toList(), false);

        List<Effect> effects = server.ledger.effects(id).stream().filter(e -> e.jobId().equals(jobId)).toList();
        b.append("<h2>Effects</h2>");
        if (effects.isEmpty()) {
            b.append("<p class=\"hint\">It changed nothing outside Cutter.</p>");
        } else {
            b.append("<table id=\"effects\"><thead><tr><th>Kind</th><th>Target</th><th>Now</th><th>Before</th><th>At</th></tr></thead><tbody>");
            for (Effect e : effects) {
                b.append("<tr><td>").append(Html.escape(e.kind())).append("</td><td><code>").append(Html.escape(e.target())).append("</code></td><td><code>")
                        .append(Html.escape(e.after())).append("</code></td><td><code>")
                        .append(Html.escape(e.kind().equals(Effect.CONFIRMED) ? "(already there)" : e.before().orElse("—")))
                        .append("</code></td><td>").append(e.at()).append("</td></tr>");
            }
            b.append("</tbody></table>");
        }

        List<LogLine> log = server.ledger.logs(id, Optional.of(jobId), 0, LOG_LINES);
        b.append("<h2>Log</h2>");
        if (log.isEmpty()) {
            b.append("<p class=\"hint\">It wrote nothing.</p>");
        } else {
            b.append("<pre id=\"job-log\" class=\"log\">").append(lines(log, true)).append("</pre>");
            if (log.size() == LOG_LINES) {
                b.append("<p class=\"hint\">The first ").append(LOG_LINES).append(" lines; <code>cutter runs logs ").append(Html.escape(id)).append(' ')
                        .append(Html.escape(jobId)).append("</code> or <code>/api/runs/").append(Html.escape(id)).append("/logs?job=")
                        .append(Html.escape(Html.url(jobId))).append("</code> has them all.</p>");
            }
        }
        pages.show(ctx, jobId + " · run " + id, b.toString());
    }

    private static void artifactTable(StringBuilder b, String id, List<Artifact> artifacts, boolean withJob) {
        if (artifacts.isEmpty()) {
            b.append("<p class=\"hint\">").append(id.equals("inputs") ? "No files from them." : "No files or images.").append("</p>");
            return;
        }
        b.append("<table id=\"").append(id).append("\"><thead><tr>").append(withJob ? "<th>From</th>" : "")
                .append("<th>Name</th><th>Kind</th><th>Path</th><th>Digest</th><th>Size</th></tr></thead><tbody>");
        for (Artifact a : artifacts) {
            b.append("<tr>").append(withJob ? "<td>" + Html.escape(a.jobId()) + "</td>" : "").append("<td>").append(Html.escape(a.name()))
                    .append("</td><td>").append(Html.escape(a.kind())).append("</td><td><code>").append(Html.escape(a.path().toString()))
                    .append("</code></td><td><code>").append(Html.escape(a.digest().toString())).append("</code></td><td>").append(a.size())
                    .append("</td></tr>");
        }
        b.append("</tbody></table>");
    }

    private static String pretty(JsonNode node) {
        try {
            return dev.cutter.plan.PlanJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(node);
        } catch (JsonProcessingException e) {
            return node.toString();
        }
    }
}
