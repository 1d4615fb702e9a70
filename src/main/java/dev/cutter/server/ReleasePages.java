package dev.cutter.server;

import dev.cutter.ledger.AuditEntry;
import dev.cutter.ledger.Run;
import dev.cutter.ledger.RunState;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What is published where: the versions of each project with their state, channel, date and who
 * released them; one version's tags, digests, assets and repositories; what changed between two
 * versions ({@link VersionDiff}); and a search by version, digest or commit.
 */
record ReleasePages(Server server, Pages pages) {
    /** Versions listed per project, newest first. */
    static final int VERSIONS = 100;
    /** Runs a search shows. */
    static final int FOUND = 50;

    void register(Server.Routes r) {
        r.get("/releases", Role.VIEWER, this::releases);
        r.get("/releases/{project}/diff", Role.VIEWER, this::diff);
        r.get("/releases/{project}/{version}", Role.VIEWER, this::published);
    }

    /**
     * One version at a glance, from its publishing runs (newest first): the state of the newest,
     * the channel, when it was published (the newest succeeded run's end, else the newest start)
     * and who started that run, as the audit trail names them.
     */
    record Summary(String project, String version, RunState state, String channel, Instant date, Optional<String> by,
            Optional<Run> standing) {
        static Summary of(Server server, String project, String version, List<Run> runs) {
            Run newest = runs.getFirst();
            Optional<Run> succeeded = runs.stream().filter(r -> r.state() == RunState.SUCCEEDED).findFirst();
            Run shown = succeeded.orElse(newest);
            return new Summary(project, version, newest.state(), newest.channel(),
                    succeeded.flatMap(Run::finished).orElse(newest.started()),
                    server.access.starter(shown.id()).map(AuditEntry::actor), succeeded);
        }
    }

    static String versionHref(String project, String version) {
        return "/releases/" + Html.url(project) + "/" + Html.url(version);
    }

    private List<Run> publishing(String project, String version) {
        return server.ledger.runsOf(project, version).stream().filter(r -> r.kind().publishes()).toList();
    }

    private void releases(Context ctx) {
        String q = Optional.ofNullable(ctx.queryParam("q")).map(String::strip).orElse("");
        StringBuilder b = new StringBuilder("<h1>What is published where</h1>");
        b.append("<form method=\"get\" action=\"/releases\" class=\"filters\" id=\"search\"><label>Find a version, digest or commit "
                + "<input name=\"q\" id=\"q\" size=\"50\" placeholder=\"1.7.8, sha256:4f2c…, 6d7d2a3\" value=\"").append(Html.escape(q))
                .append("\"></label><button type=\"submit\">Find</button></form>");
        if (!q.isEmpty()) {
            List<Run> found = server.search.matching(q, FOUND);
            b.append("<h2>Runs that published <code>").append(Html.escape(q)).append("</code></h2>");
            if (found.isEmpty()) {
                b.append("<p class=\"hint\" id=\"nothing-found\">No run published a version, digest or commit starting with that.</p>");
            } else {
                b.append("<table id=\"results\"><thead><tr><th>Run</th><th>Kind</th><th>Project</th><th>Version</th><th>Channel</th>"
                        + "<th>State</th><th>Started</th><th>Duration</th></tr></thead><tbody>");
                Instant now = server.clock.instant();
                found.forEach(r -> b.append(Pages.runRow(r, now)));
                b.append("</tbody></table>");
            }
        }
        for (String project : server.projects.names()) {
            List<String> versions = server.search.versions(project, VERSIONS);
            b.append("<h2>").append(Html.escape(project)).append("</h2>");
            if (versions.isEmpty()) {
                b.append("<p class=\"hint\">Nothing released yet.</p>");
                continue;
            }
            b.append("<table class=\"versions\" data-project=\"").append(Html.escape(project)).append("\"><thead><tr><th>Version</th><th>State</th>"
                    + "<th>Channel</th><th>Published</th><th>Released by</th></tr></thead><tbody>");
            for (String v : versions) {
                List<Run> runs = publishing(project, v);
                if (runs.isEmpty()) {
                    continue; // only verified here
                }
                Summary s = Summary.of(server, project, v, runs);
                b.append("<tr data-version=\"").append(Html.escape(v)).append("\"><td><a href=\"").append(Html.escape(versionHref(project, v)))
                        .append("\">").append(Html.escape(v)).append("</a></td><td>").append(Html.state(Views.lower(s.state()))).append("</td><td>")
                        .append(Html.escape(s.channel())).append("</td><td><time>").append(s.date()).append("</time></td><td class=\"by\">")
                        .append(Html.escape(s.by().orElse("—"))).append("</td></tr>");
            }
            b.append("</tbody></table>");
            if (versions.size() > 1) {
                b.append("<form method=\"get\" action=\"/releases/").append(Html.escape(Html.url(project)))
                        .append("/diff\" class=\"filters diff-form\"><label>Compare <select name=\"from\">");
                for (int i = 0; i < versions.size(); i++) {
                    b.append("<option").append(i == 1 ? " selected" : "").append('>').append(Html.escape(versions.get(i))).append("</option>");
                }
                b.append("</select></label><label>with <select name=\"to\">");
                for (int i = 0; i < versions.size(); i++) {
                    b.append("<option").append(i == 0 ? " selected" : "").append('>').append(Html.escape(versions.get(i))).append("</option>");
                }
                b.append("</select></label><button type=\"submit\" class=\"compare\">Show what changed</button></form>");
            }
        }
        pages.show(ctx, "Published", b.toString());
    }

    private void published(Context ctx) {
        Publications.View v = Publications.of(server.ledger, ctx.pathParam("project"), ctx.pathParam("version"));
        StringBuilder b = new StringBuilder("<h1>").append(Html.escape(v.project())).append(' ').append(Html.escape(v.version())).append("</h1>");
        if (v.runs().isEmpty()) {
            b.append("<p class=\"hint\">No release or promotion of this version is in the ledger.</p>");
            pages.show(ctx, v.project() + " " + v.version(), b.toString());
            return;
        }
        Summary s = Summary.of(server, v.project(), v.version(), v.runs());
        b.append("<section class=\"card\"><dl id=\"summary\"><dt>State</dt><dd>").append(Html.state(Views.lower(s.state())))
                .append("</dd><dt>Channel</dt><dd>").append(Html.escape(s.channel())).append("</dd><dt>Published</dt><dd><time>").append(s.date())
                .append("</time></dd><dt>Released by</dt><dd id=\"released-by\">").append(Html.escape(s.by().orElse("— (not in the audit trail)")))
                .append("</dd>");
        s.standing().ifPresent(r -> b.append("<dt>By run</dt><dd><a href=\"/runs/").append(Html.escape(Html.url(r.id()))).append("\">")
                .append(Html.escape(r.id())).append("</a> (").append(Views.lower(r.kind())).append(")</dd>"));
        b.append("</dl></section>");
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
        v.runs().forEach(r -> b.append(Pages.runRow(r, now)));
        b.append("</tbody></table>");
        pages.show(ctx, v.project() + " " + v.version(), b.toString());
    }

    private void diff(Context ctx) {
        String project = ctx.pathParam("project");
        String from = Optional.ofNullable(ctx.queryParam("from")).map(String::strip).filter(x -> !x.isEmpty())
                .orElseThrow(() -> new Refusal(400, "give the versions to compare: /releases/" + project + "/diff?from=1.7.7&to=1.7.8"));
        String to = Optional.ofNullable(ctx.queryParam("to")).map(String::strip).filter(x -> !x.isEmpty())
                .orElseThrow(() -> new Refusal(400, "give the versions to compare: /releases/" + project + "/diff?from=" + from + "&to=1.7.8"));
        VersionDiff diff = VersionDiff.of(server.ledger, project, from, to);
        StringBuilder b = new StringBuilder("<h1>").append(Html.escape(project)).append(' ').append(link(project, from)).append(" → ")
                .append(link(project, to)).append("</h1>");
        long changed = diff.rows().stream().filter(r -> r.change() != VersionDiff.Change.SAME).count();
        b.append("<p id=\"diff-summary\">").append(changed).append(changed == 1 ? " difference" : " differences").append(", ")
                .append(diff.rows().size() - changed).append(" the same. A name shows <code>{version}</code> where it holds the version.</p>");
        b.append("<table id=\"diff\"><thead><tr><th>What</th><th>Name</th><th>").append(Html.escape(from)).append("</th><th>")
                .append(Html.escape(to)).append("</th><th>Change</th></tr></thead><tbody>");
        for (VersionDiff.Row r : diff.rows()) {
            b.append("<tr class=\"change-").append(r.change().label()).append("\"><td>").append(Html.escape(r.what())).append("</td><td><code>")
                    .append(Html.escape(r.name())).append("</code></td><td><code>").append(Html.escape(r.from().orElse("—")))
                    .append("</code></td><td><code>").append(Html.escape(r.to().orElse("—"))).append("</code></td><td>")
                    .append(r.change().label()).append("</td></tr>");
        }
        b.append("</tbody></table>");
        pages.show(ctx, project + " " + from + " → " + to, b.toString());
    }

    private static String link(String project, String version) {
        return "<a href=\"" + Html.escape(versionHref(project, version)) + "\">" + Html.escape(version) + "</a>";
    }
}
