package dev.cutter.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cutter.ledger.AuditEntry;
import dev.cutter.ledger.JobRecord;
import dev.cutter.ledger.Run;
import dev.cutter.ledger.RunFilter;
import dev.cutter.ledger.RunState;
import dev.cutter.plan.Plan;
import dev.cutter.plan.Publication;
import dev.cutter.plan.ReleaseContext;
import dev.cutter.spec.Spec;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The dashboard: server-rendered pages over the same ledger reads and {@link Actions} as the
 * API. Forms post with the session's synchronizer token; a promotion shows what it will publish
 * and asks for confirmation before anything starts.
 */
final class Pages {
    static final int PAGE = 50;

    private final Server server;
    private final Actions actions;

    Pages(Server server) {
        this.server = server;
        this.actions = new Actions(server);
    }

    void register(Server.Routes r) {
        r.get("/login", null, ctx -> server.answers.html(ctx, login(ctx.queryParam("next"), "")));
        r.post("/login", null, this::logIn);
        r.post("/logout", Role.VIEWER, this::logOut);
        r.get("/", Role.VIEWER, this::runs);
        r.get("/runs/{id}", Role.VIEWER, this::run);
        r.post("/runs/{id}/cancel", Role.RELEASER, ctx -> {
            String message = actions.cancel(ctx, ctx.pathParam("id"));
            show(ctx, "Cancelling", "<p>" + Html.escape(message) + "</p><p><a href=\"/runs/" + Html.escape(ctx.pathParam("id"))
                    + "\">Back to the run</a></p>");
        });
        r.get("/releases", Role.VIEWER, this::releases);
        r.get("/releases/{project}/{version}", Role.VIEWER, this::published);
        r.get("/release", Role.RELEASER, ctx -> show(ctx, "Release", releaseForm()));
        r.post("/release", Role.RELEASER, this::release);
        r.get("/promote", Role.RELEASER, ctx -> show(ctx, "Promote", promoteForm(ctx.queryParam("project"), ctx.queryParam("from"),
                ctx.queryParam("to"))));
        r.post("/promote", Role.RELEASER, this::promote);
        r.get("/audit", Role.ADMIN, this::audit);
    }

    // ---- sessions ----

    private String login(String next, String error) {
        return Html.page("Log in", Optional.empty(), "", "<h1>Log in</h1>"
                + (error.isEmpty() ? "" : "<p class=\"error\">" + Html.escape(error) + "</p>")
                + "<form method=\"post\" action=\"/login\" class=\"card\"><label>API token <input type=\"password\" name=\"token\" id=\"token\""
                + " autocomplete=\"off\" required></label><input type=\"hidden\" name=\"next\" value=\"" + Html.escape(local(next)) + "\">"
                + "<button type=\"submit\" id=\"login\">Log in</button></form>"
                + "<p class=\"hint\">An admin makes tokens with <code>cutter token create --role viewer|releaser|admin</code>.</p>");
    }

    private void logIn(Context ctx) {
        Optional<Principal> who = server.tokens.verify(Optional.ofNullable(ctx.formParam("token")).orElse("").strip());
        Server.Caller caller = new Server.Caller(who, Optional.empty());
        if (who.isEmpty()) {
            server.audit(ctx, caller, "login", "dashboard", "denied: not a live token");
            server.answers.html(ctx, 401, login(ctx.formParam("next"), "That is not a live API token."));
            return;
        }
        String cookie = server.sessions.open(who.get().tokenId());
        server.audit(ctx, caller, "login", "dashboard", "session opened");
        ctx.header("Set-Cookie", Sessions.COOKIE + "=" + cookie + "; Path=/; HttpOnly; SameSite=Strict; Max-Age="
                + Sessions.LIFETIME.toSeconds() + (ctx.scheme().equals("https") ? "; Secure" : ""));
        ctx.redirect(local(ctx.formParam("next")));
    }

    private void logOut(Context ctx) {
        server.sessions.close(ctx.cookie(Sessions.COOKIE));
        server.audit(ctx, Server.caller(ctx), "logout", "dashboard", "session closed");
        ctx.header("Set-Cookie", Sessions.COOKIE + "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
        ctx.redirect("/login");
    }

    /** Only a path on this server: never an open redirect to another site. */
    private static String local(String next) {
        return next != null && next.startsWith("/") && !next.startsWith("//") && !next.contains("\\") ? next : "/";
    }

    // ---- runs ----

    private void runs(Context ctx) {
        Optional<String> project = Optional.ofNullable(ctx.queryParam("project")).filter(p -> !p.isBlank());
        Optional<RunState> state = Optional.ofNullable(ctx.queryParam("state")).filter(s -> !s.isBlank())
                .flatMap(s -> {
                    try {
                        return Optional.of(RunState.valueOf(s.toUpperCase(Locale.ROOT)));
                    } catch (IllegalArgumentException e) {
                        return Optional.empty();
                    }
                });
        Optional<String> before = Optional.ofNullable(ctx.queryParam("before")).filter(b -> !b.isBlank());
        List<Run> runs = server.search.runs(new RunFilter(project, state, before, PAGE));
        Instant now = server.clock.instant();
        StringBuilder b = new StringBuilder("<h1>Runs</h1><form method=\"get\" action=\"/\" class=\"filters\">");
        b.append("<label>Project <select name=\"project\"><option value=\"\">all</option>");
        for (String p : server.projects.names()) {
            b.append("<option").append(project.filter(p::equals).isPresent() ? " selected" : "").append('>').append(Html.escape(p)).append("</option>");
        }
        b.append("</select></label><label>State <select name=\"state\"><option value=\"\">all</option>");
        for (RunState s : RunState.values()) {
            String v = Views.lower(s);
            b.append("<option").append(state.filter(s::equals).isPresent() ? " selected" : "").append('>').append(v).append("</option>");
        }
        b.append("</select></label><button type=\"submit\">Show</button></form>");
        b.append("<table id=\"runs\" data-live=\"").append(before.isEmpty() ? "yes" : "no")
                .append("\"><thead><tr><th>Run</th><th>Kind</th><th>Project</th><th>Version</th><th>Channel</th><th>State</th>"
                        + "<th>Started</th><th>Duration</th></tr></thead><tbody>");
        for (Run run : runs) {
            b.append(runRow(run, now));
        }
        b.append("</tbody></table>");
        if (runs.isEmpty()) {
            b.append("<p class=\"hint\">No runs yet.</p>");
        }
        if (runs.size() == PAGE) {
            b.append("<p><a id=\"older\" href=\"/?").append(project.map(p -> "project=" + Html.url(p) + "&").orElse(""))
                    .append(state.map(s -> "state=" + Views.lower(s) + "&").orElse("")).append("before=")
                    .append(Html.url(runs.getLast().id())).append("\">Older runs →</a></p>");
        }
        show(ctx, "Runs", b.toString());
    }

    static String runRow(Run run, Instant now) {
        Map<String, Object> v = Views.run(run, now);
        return "<tr data-run=\"" + Html.escape(run.id()) + "\"><td><a href=\"/runs/" + Html.escape(run.id()) + "\">" + Html.escape(run.id())
                + "</a></td><td>" + Views.lower(run.kind()) + "</td><td>" + Html.escape(run.project()) + "</td><td><a href=\"/releases/"
                + Html.escape(Html.url(run.project())) + "/" + Html.escape(Html.url(run.version())) + "\">" + Html.escape(run.version())
                + "</a></td><td>" + Html.escape(run.channel()) + "</td><td class=\"run-state\">" + Html.state(Views.lower(run.state()))
                + "</td><td><time>" + Html.escape(run.started().toString()) + "</time></td><td class=\"duration\">"
                + Views.duration((double) v.get("seconds")) + "</td></tr>";
    }

    private void run(Context ctx) {
        String id = ctx.pathParam("id");
        Run run = server.ledger.run(id).orElseThrow(() -> new Refusal(404, "no run " + id + " in the ledger"));
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
        b.append("<h1>Run <code>").append(Html.escape(id)).append("</code></h1>");
        b.append("<section id=\"run\" data-run=\"").append(Html.escape(id)).append("\" class=\"card\"><dl>")
                .append("<dt>What</dt><dd>").append(Views.lower(run.kind())).append(" of ").append(Html.escape(run.project())).append(' ')
                .append("<a href=\"/releases/").append(Html.escape(Html.url(run.project()))).append('/').append(Html.escape(Html.url(run.version())))
                .append("\">").append(Html.escape(run.version())).append("</a> (tag ").append(Html.escape(run.tag())).append(", channel ")
                .append(Html.escape(run.channel())).append(")</dd><dt>State</dt><dd id=\"run-state\">").append(Html.state(Views.lower(run.state())))
                .append("</dd><dt>Started</dt><dd><time>").append(run.started()).append("</time></dd><dt>Duration</dt><dd id=\"run-duration\">")
                .append(Views.duration((double) view.get("seconds"))).append("</dd><dt>Where</dt><dd>pid ").append(run.pid()).append(" on ")
                .append(Html.escape(run.host())).append("</dd></dl>");
        if (run.state() == RunState.RUNNING && caller.principal().filter(p -> p.mayPublishTo(run.channel())).isPresent()) {
            b.append("<form method=\"post\" action=\"/runs/").append(Html.escape(id)).append("/cancel\">").append(Html.csrfField(caller.csrf()))
                    .append("<button type=\"submit\" class=\"danger\" id=\"cancel\">Cancel run</button></form>");
        }
        b.append("</section><h2>Jobs</h2><div class=\"dag-frame\">").append(DagSvg.render(nodes, states)).append("</div>");
        b.append("<table id=\"jobs\"><thead><tr><th>Job</th><th>Kind</th><th>State</th><th>Attempts</th><th>Started</th><th>Took</th>"
                + "<th>Detail</th></tr></thead><tbody>");
        for (JobRecord j : jobs) {
            Map<String, Object> jv = Views.job(j);
            b.append("<tr data-job=\"").append(Html.escape(j.jobId())).append("\"><td><a href=\"#log\" class=\"job-filter\">")
                    .append(Html.escape(j.jobId())).append("</a></td><td>").append(Html.escape(j.kind())).append("</td><td class=\"job-state\">")
                    .append(Html.state(Views.lower(j.state()))).append("</td><td class=\"attempts\">").append(j.attempts())
                    .append("</td><td class=\"started\">").append(j.started().map(Instant::toString).orElse("")).append("</td><td class=\"took\">")
                    .append(jv.containsKey("seconds") ? Views.duration((double) jv.get("seconds")) : "").append("</td><td class=\"detail\">")
                    .append(Html.escape(j.detail().orElse(""))).append("</td></tr>");
        }
        b.append("</tbody></table><h2>Log <small id=\"log-filter\"></small></h2><pre id=\"log\" class=\"log\"></pre>");
        show(ctx, "Run " + id, b.toString());
    }

    // ---- what is published where ----

    private void releases(Context ctx) {
        StringBuilder b = new StringBuilder("<h1>What is published where</h1>");
        for (String project : server.projects.names()) {
            b.append("<h2>").append(Html.escape(project)).append("</h2><ul class=\"versions\">");
            List<String> versions = server.search.versions(project, 100);
            for (String v : versions) {
                b.append("<li><a href=\"/releases/").append(Html.escape(Html.url(project))).append('/').append(Html.escape(Html.url(v)))
                        .append("\">").append(Html.escape(v)).append("</a></li>");
            }
            b.append("</ul>");
            if (versions.isEmpty()) {
                b.append("<p class=\"hint\">Nothing released yet.</p>");
            }
        }
        show(ctx, "Published", b.toString());
    }

    private void published(Context ctx) {
        Publications.View v = Publications.of(server.ledger, ctx.pathParam("project"), ctx.pathParam("version"));
        StringBuilder b = new StringBuilder("<h1>").append(Html.escape(v.project())).append(' ').append(Html.escape(v.version())).append("</h1>");
        if (v.runs().isEmpty()) {
            b.append("<p class=\"hint\">No release or promotion of this version is in the ledger.</p>");
            show(ctx, v.project() + " " + v.version(), b.toString());
            return;
        }
        b.append("<p id=\"verdict\" class=\"").append(v.complete() ? "ok" : "bad").append("\">");
        if (v.complete()) {
            b.append("Every registry has every immutable tag of ").append(Html.escape(v.version())).append('.');
        } else if (!v.released()) {
            b.append("No release or promotion of ").append(Html.escape(v.version())).append(" has succeeded yet.");
        } else {
            b.append("Not everywhere: ").append(Html.escape(String.join(", ", v.missing()))).append(" has no recorded digest.");
        }
        b.append("</p><h2>Registries</h2><table id=\"registries\"><thead><tr><th>Registry</th><th>Tags published</th></tr></thead><tbody>");
        v.byRegistry().forEach((registry, c) -> b.append("<tr><td>").append(Html.escape(registry)).append("</td><td>").append(c[0])
                .append(" of ").append(c[1]).append("</td></tr>"));
        b.append("</tbody></table><h2>Image tags</h2><table id=\"images\"><thead><tr><th>Registry</th><th>Repository</th><th>Tag</th>"
                + "<th>Kind</th><th>Digest</th><th>Run</th></tr></thead><tbody>");
        for (Publications.Target t : v.images()) {
            b.append("<tr class=\"").append(t.digest().isPresent() ? "published" : "unpublished").append("\"><td>").append(Html.escape(t.registry()))
                    .append("</td><td>").append(Html.escape(t.repository())).append("</td><td>").append(Html.escape(t.tag()))
                    .append(t.floating() ? " <small>(floating)</small>" : "").append("</td><td>").append(Html.escape(t.kind()))
                    .append("</td><td><code>").append(Html.escape(t.digest().orElse("—"))).append("</code></td><td>")
                    .append(t.run().map(r -> "<a href=\"/runs/" + Html.escape(r) + "\">" + Html.escape(r) + "</a>").orElse("")).append("</td></tr>");
        }
        b.append("</tbody></table><h2>Release assets, repositories, git tags</h2><table id=\"effects\"><thead><tr><th>Kind</th><th>Target</th>"
                + "<th>Now</th><th>Before</th><th>Run</th></tr></thead><tbody>");
        v.others().forEach(e -> b.append("<tr><td>").append(Html.escape(e.kind())).append("</td><td>").append(Html.escape(e.target()))
                .append("</td><td><code>").append(Html.escape(e.after())).append("</code></td><td><code>").append(Html.escape(e.before().orElse("")))
                .append("</code></td><td><a href=\"/runs/").append(Html.escape(e.runId())).append("\">").append(Html.escape(e.runId()))
                .append("</a></td></tr>"));
        b.append("</tbody></table><h2>Runs</h2><table><tbody>");
        Instant now = server.clock.instant();
        v.runs().forEach(r -> b.append(runRow(r, now)));
        b.append("</tbody></table>");
        show(ctx, v.project() + " " + v.version(), b.toString());
    }

    // ---- release and promote ----

    private String projectSelect(String selected) {
        StringBuilder b = new StringBuilder("<label>Project <select name=\"project\" id=\"project\">");
        for (String p : server.projects.names()) {
            b.append("<option").append(p.equals(selected) ? " selected" : "").append('>').append(Html.escape(p)).append("</option>");
        }
        return b.append("</select></label>").toString();
    }

    private String releaseForm() {
        return "<h1>Release</h1><form method=\"post\" action=\"/release\" class=\"card\">" + "%CSRF%" + projectSelect(null)
                + "<label>Tag <input name=\"tag\" id=\"tag\" placeholder=\"v1.2.3\"></label>"
                + "<label>or version <input name=\"version\" id=\"version\" placeholder=\"1.2.3\"></label>"
                + "<button type=\"submit\" id=\"start\">Start the release</button></form>";
    }

    private void release(Context ctx) throws InterruptedException {
        Launcher.Start start = actions.release(ctx, Optional.ofNullable(ctx.formParam("project")).orElse(""),
                field(ctx, "tag"), field(ctx, "version"), Map.of(), Map.of());
        after(ctx, "Release", start);
    }

    private String promoteForm(String project, String from, String to) {
        return "<h1>Promote</h1><p>A release candidate's image digests published as another version: nothing is rebuilt.</p>"
                + "<form method=\"post\" action=\"/promote\" class=\"card\">%CSRF%" + projectSelect(project)
                + "<label>From (candidate) <input name=\"from\" id=\"from\" required placeholder=\"1.7.8-rc1\" value=\"" + Html.escape(from)
                + "\"></label><label>To <input name=\"to\" id=\"to\" required placeholder=\"1.7.8\" value=\"" + Html.escape(to) + "\"></label>"
                + "<button type=\"submit\" id=\"review\">Review the promotion</button></form>";
    }

    private void promote(Context ctx) throws InterruptedException {
        String project = Optional.ofNullable(ctx.formParam("project")).orElse("");
        String from = field(ctx, "from").orElseThrow(() -> new Refusal(400, "give the candidate's version (from)"));
        String to = field(ctx, "to").orElseThrow(() -> new Refusal(400, "give the version to promote to (to)"));
        boolean force = "yes".equals(ctx.formParam("force"));
        if (!"yes".equals(ctx.formParam("confirm"))) {
            show(ctx, "Confirm the promotion", confirmation(project, from, to, force));
            return;
        }
        after(ctx, "Promote", actions.promote(ctx, project, from, to, force));
    }

    /** What the promotion will publish, from the target's plan, and how the candidate's runs ended: then one button. */
    private String confirmation(String project, String from, String to, boolean force) {
        Spec spec = server.projects.load(project);
        Plan target = server.planner.plan(spec, ReleaseContext.resolve(spec, server.launcher.request(spec, Optional.empty(), Optional.of(to),
                Map.of(), Map.of(), Optional.empty())));
        List<Run> candidate = server.ledger.runsOf(project, from).stream().filter(r -> r.kind().publishes()).toList();
        boolean passed = candidate.stream().anyMatch(r -> r.state() == RunState.SUCCEEDED);
        StringBuilder b = new StringBuilder("<h1>Promote ").append(Html.escape(project)).append(' ').append(Html.escape(from))
                .append(" to ").append(Html.escape(to)).append("?</h1>");
        b.append("<p class=\"").append(passed ? "ok" : "bad").append("\" id=\"candidate\">").append(passed
                ? "The candidate's release succeeded here."
                : candidate.isEmpty() ? "The candidate was never released here: the promotion will be refused unless forced."
                : "The candidate's last run ended " + Views.lower(candidate.getFirst().state()) + ": the promotion will be refused unless forced.")
                .append("</p><p>Channel <b>").append(Html.escape(target.channel())).append("</b>. These tags will point at the candidate's digests:</p><ul id=\"targets\">");
        for (Publication p : target.publications()) {
            b.append("<li><code>").append(Html.escape(p.repository())).append("</code>: ").append(Html.escape(String.join(", ", p.tags())))
                    .append("</li>");
        }
        b.append("</ul><form method=\"post\" action=\"/promote\">%CSRF%<input type=\"hidden\" name=\"project\" value=\"").append(Html.escape(project))
                .append("\"><input type=\"hidden\" name=\"from\" value=\"").append(Html.escape(from)).append("\"><input type=\"hidden\" name=\"to\" value=\"")
                .append(Html.escape(to)).append("\"><input type=\"hidden\" name=\"confirm\" value=\"yes\">");
        if (!passed) {
            b.append("<label><input type=\"checkbox\" name=\"force\" value=\"yes\"").append(force ? " checked" : "")
                    .append("> Force (the ledger records it)</label>");
        }
        b.append("<button type=\"submit\" id=\"confirm\" class=\"danger\">Promote ").append(Html.escape(from)).append(" to ")
                .append(Html.escape(to)).append("</button> <a href=\"/promote\">Cancel</a></form>");
        return b.toString();
    }

    /** A started run goes to its page; anything else is said on a page of its own. */
    private void after(Context ctx, String title, Launcher.Start start) {
        if (start.runId().isPresent() && start.status().equals("started")) {
            ctx.redirect("/runs/" + Html.url(start.runId().get()));
            return;
        }
        show(ctx, title, "<h1>" + Html.escape(title) + "</h1><p class=\"" + (start.status().equals("nothing_to_do") ? "ok" : "bad")
                + "\" id=\"outcome\">" + Html.escape(start.message()) + "</p>"
                + start.runId().map(id -> "<p><a href=\"/runs/" + Html.escape(id) + "\">Run " + Html.escape(id) + "</a></p>").orElse(""));
    }

    private void audit(Context ctx) {
        long before = Api.longParam(ctx, "before", Long.MAX_VALUE);
        List<AuditEntry> entries = server.access.auditEntries(before, 100);
        StringBuilder b = new StringBuilder("<h1>Audit trail</h1><table id=\"audit\"><thead><tr><th>#</th><th>When</th><th>Who</th>"
                + "<th>What</th><th>On</th><th>Outcome</th><th>From</th></tr></thead><tbody>");
        for (AuditEntry e : entries) {
            b.append("<tr><td>").append(e.seq()).append("</td><td><time>").append(e.at()).append("</time></td><td>").append(Html.escape(e.actor()))
                    .append("</td><td>").append(Html.escape(e.action())).append("</td><td>").append(Html.escape(e.subject())).append("</td><td>")
                    .append(Html.escape(e.outcome())).append("</td><td>").append(Html.escape(e.source())).append("</td></tr>");
        }
        b.append("</tbody></table>");
        if (entries.size() == 100) {
            b.append("<p><a href=\"/audit?before=").append(entries.getLast().seq()).append("\">Older →</a></p>");
        }
        show(ctx, "Audit", b.toString());
    }

    private static Optional<String> field(Context ctx, String name) {
        return Optional.ofNullable(ctx.formParam(name)).map(String::strip).filter(s -> !s.isEmpty());
    }

    /** Frames {@code body} for the caller; {@code %CSRF%} becomes the session's hidden synchronizer-token field. */
    private void show(Context ctx, String title, String body) {
        Server.Caller caller = Server.caller(ctx);
        server.answers.html(ctx, Html.page(title, caller.principal(), caller.csrf(), body.replace("%CSRF%", Html.csrfField(caller.csrf()))));
    }
}
