package dev.cutter.server;

import dev.cutter.ledger.AuditEntry;
import dev.cutter.ledger.Run;
import dev.cutter.ledger.RunFilter;
import dev.cutter.ledger.RunState;
import dev.cutter.plan.Plan;
import dev.cutter.plan.Publication;
import dev.cutter.plan.ReleaseContext;
import dev.cutter.spec.Spec;
import io.javalin.http.Context;
import java.time.Instant;
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
        new RunPages(server, this).register(r);
        r.post("/runs/{id}/cancel", Role.RELEASER, ctx -> {
            String message = actions.cancel(ctx, ctx.pathParam("id"));
            show(ctx, "Cancelling", "<p>" + Html.escape(message) + "</p><p><a href=\"/runs/" + Html.escape(ctx.pathParam("id"))
                    + "\">Back to the run</a></p>");
        });
        new ReleasePages(server, this).register(r);
        r.get("/release", Role.RELEASER, ctx -> show(ctx, "Release", releaseForm(ctx.queryParam("project"))));
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

    // ---- release and promote ----

    private String projectSelect(String selected) {
        StringBuilder b = new StringBuilder("<label>Project <select name=\"project\" id=\"project\">");
        for (String p : server.projects.names()) {
            b.append("<option").append(p.equals(selected) ? " selected" : "").append('>').append(Html.escape(p)).append("</option>");
        }
        return b.append("</select></label>").toString();
    }

    /**
     * The release form of one project (the first, or {@code ?project=}): tag or version, and a field
     * for each var the spec opens to the API ({@code api: true}), with its default and pattern; the
     * spec's other vars are listed as fixed. It asks for a review, never starts at once.
     */
    private String releaseForm(String selected) {
        List<String> names = server.projects.names();
        String project = selected != null && names.contains(selected) ? selected : names.getFirst();
        Spec spec = server.projects.load(project);
        StringBuilder b = new StringBuilder("<h1>Release</h1>");
        if (names.size() > 1) {
            b.append("<form method=\"get\" action=\"/release\" class=\"filters\">").append(projectSelect(project))
                    .append("<button type=\"submit\">Choose</button></form>");
        }
        b.append("<form method=\"post\" action=\"/release\" class=\"card\">%CSRF%<input type=\"hidden\" name=\"project\" value=\"")
                .append(Html.escape(project)).append("\"><p>Project <b>").append(Html.escape(project)).append("</b></p>")
                .append("<label>Tag <input name=\"tag\" id=\"tag\" placeholder=\"v1.2.3\"></label>")
                .append("<label>or version <input name=\"version\" id=\"version\" placeholder=\"1.2.3\"></label>");
        List<Spec.VarSpec> open = spec.vars().values().stream().filter(Spec.VarSpec::api).toList();
        List<Spec.VarSpec> fixed = spec.vars().values().stream().filter(v -> !v.api()).toList();
        if (!open.isEmpty()) {
            b.append("<fieldset id=\"vars\"><legend>Variables (empty: the spec's default)</legend>");
            for (Spec.VarSpec v : open) {
                b.append("<label>").append(Html.escape(v.name())).append(" <input name=\"var.").append(Html.escape(v.name()))
                        .append("\" id=\"var-").append(Html.escape(v.name())).append("\" placeholder=\"").append(Html.escape(v.defaultValue()))
                        .append("\">").append(v.pattern().map(p -> " <small>must match <code>" + Html.escape(p.pattern()) + "</code></small>").orElse(""))
                        .append("</label>");
            }
            b.append("</fieldset>");
        }
        if (!fixed.isEmpty()) {
            b.append("<p class=\"hint\" id=\"fixed-vars\">Set by the spec, not from here (no <code>api: true</code>): ")
                    .append(Html.escape(String.join(", ", fixed.stream().map(Spec.VarSpec::name).toList()))).append(".</p>");
        }
        return b.append("<button type=\"submit\" id=\"review\">Review the release</button></form>").toString();
    }

    /** The vars a release form sent ({@code var.NAME}), left out when empty (the spec's default). */
    private static Map<String, String> vars(Context ctx) {
        Map<String, String> vars = new java.util.TreeMap<>();
        ctx.formParamMap().forEach((name, values) -> {
            if (name.startsWith("var.") && !values.isEmpty() && !values.getFirst().isEmpty()) {
                vars.put(name.substring(4), values.getFirst());
            }
        });
        return vars;
    }

    private void release(Context ctx) throws InterruptedException {
        String project = Optional.ofNullable(ctx.formParam("project")).orElse("");
        Optional<String> tag = field(ctx, "tag");
        Optional<String> version = field(ctx, "version");
        Map<String, String> vars = vars(ctx);
        if (!"yes".equals(ctx.formParam("confirm"))) {
            Actions.Prepared prepared = actions.review(ctx, project, tag, version, vars);
            show(ctx, "Confirm the release", releaseConfirmation(project, tag, version, vars, prepared.plan()));
            return;
        }
        after(ctx, "Release", actions.release(ctx, project, tag, version, vars, Map.of()));
    }

    /** The plan a release would run: its jobs, its publications with each tag's rule, then one button. */
    private String releaseConfirmation(String project, Optional<String> tag, Optional<String> version, Map<String, String> vars, Plan plan) {
        StringBuilder b = new StringBuilder("<h1>Release ").append(Html.escape(project)).append(' ').append(Html.escape(plan.version()))
                .append("?</h1><p id=\"what\">Tag <code>").append(Html.escape(plan.tag())).append("</code>, channel <b>").append(Html.escape(plan.channel()))
                .append("</b>").append(plan.rolling() ? " (rolling: its tags move with every release)" : "")
                .append(plan.sha().map(sha -> ", commit <code>" + Html.escape(sha) + "</code>").orElse("")).append(". Nothing starts before you confirm.</p>");
        if (!vars.isEmpty()) {
            b.append("<p id=\"given-vars\">Variables: ");
            vars.forEach((k, v) -> b.append("<code>").append(Html.escape(k)).append('=').append(Html.escape(v)).append("</code> "));
            b.append("</p>");
        }
        boolean released = server.ledger.runsOf(project, plan.version()).stream()
                .anyMatch(r -> r.kind().publishes() && r.state() == RunState.SUCCEEDED);
        if (released) {
            b.append("<p class=\"hint\" id=\"already\">").append(Html.escape(plan.version()))
                    .append(" was released here before: what is already in place is left as it is, and a release with nothing new to do says so.</p>");
        }
        b.append("<h2>Publications and tag decisions</h2><table id=\"publications\"><thead><tr><th>Repository</th><th>Kind</th><th>Tag</th>"
                + "<th>Decision</th></tr></thead><tbody>");
        for (Publication p : plan.publications()) {
            for (String t : p.tags()) {
                String decision = p.rolling().contains(t) || plan.rolling() ? "rolling: moves to this release"
                        : p.floating().contains(t) ? "floating: moves only if " + plan.version() + " is the highest"
                                + Optional.ofNullable(p.lines().get(t)).map(l -> " of " + l).orElse("") + " (forward only)"
                        : "immutable: created at this release's digest; refused if it points elsewhere";
                b.append("<tr><td><code>").append(Html.escape(p.repository())).append("</code></td><td>").append(Html.escape(p.kind()))
                        .append("</td><td><code>").append(Html.escape(t)).append("</code></td><td>").append(Html.escape(decision)).append("</td></tr>");
            }
        }
        b.append("</tbody></table>");
        if (plan.publications().isEmpty()) {
            b.append("<p class=\"hint\">No image is published.</p>");
        }
        b.append("<h2>Jobs (").append(plan.jobs().size()).append(")</h2><table id=\"plan-jobs\"><thead><tr><th>Job</th><th>Kind</th><th>Needs</th>"
                + "</tr></thead><tbody>");
        for (dev.cutter.plan.Job j : plan.jobs()) {
            b.append("<tr><td><code>").append(Html.escape(j.id())).append("</code></td><td>").append(Html.escape(j.kind())).append("</td><td>")
                    .append(Html.escape(String.join(", ", j.needs()))).append("</td></tr>");
        }
        b.append("</tbody></table><details><summary>The plan as <code>cutter plan</code> prints it</summary><pre id=\"plan-text\">")
                .append(Html.escape(server.planText.render(plan))).append("</pre></details>");
        b.append("<form method=\"post\" action=\"/release\">%CSRF%<input type=\"hidden\" name=\"project\" value=\"").append(Html.escape(project))
                .append("\">");
        tag.ifPresent(t -> b.append("<input type=\"hidden\" name=\"tag\" value=\"").append(Html.escape(t)).append("\">"));
        version.ifPresent(v -> b.append("<input type=\"hidden\" name=\"version\" value=\"").append(Html.escape(v)).append("\">"));
        vars.forEach((k, v) -> b.append("<input type=\"hidden\" name=\"var.").append(Html.escape(k)).append("\" value=\"").append(Html.escape(v))
                .append("\">"));
        b.append("<input type=\"hidden\" name=\"confirm\" value=\"yes\"><button type=\"submit\" id=\"confirm\" class=\"danger\">Release ")
                .append(Html.escape(project)).append(' ').append(Html.escape(plan.version())).append("</button> <a href=\"/release?project=")
                .append(Html.escape(Html.url(project))).append("\">Cancel</a></form>");
        return b.toString();
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
    void show(Context ctx, String title, String body) {
        Server.Caller caller = Server.caller(ctx);
        server.answers.html(ctx, Html.page(title, caller.principal(), caller.csrf(), body.replace("%CSRF%", Html.csrfField(caller.csrf()))));
    }
}
