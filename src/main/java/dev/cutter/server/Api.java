package dev.cutter.server;

import dev.cutter.ledger.Run;
import dev.cutter.run.RunRecord;
import dev.cutter.ledger.RunFilter;
import dev.cutter.ledger.RunState;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The REST API under {@code /api}: JSON in and out, documented route for route in {@code openapi.json}. */
final class Api {
    static final int MAX_PAGE = 500;

    private final Server server;
    private final Actions actions;

    Api(Server server) {
        this.server = server;
        this.actions = new Actions(server);
    }

    void register(Server.Routes r) {
        r.get("/api/openapi.json", null, this::openapi);
        r.get("/api/whoami", Role.VIEWER, this::whoami);
        r.get("/api/projects", Role.VIEWER, this::projects);
        r.get("/api/runs", Role.VIEWER, this::runs);
        r.get("/api/runs/{id}", Role.VIEWER, this::run);
        r.get("/api/runs/{id}/jobs", Role.VIEWER, ctx -> server.answers.json(ctx, Map.of("jobs",
                server.ledger.jobs(found(ctx).id()).stream().map(Views::job).toList())));
        r.get("/api/runs/{id}/attempts", Role.VIEWER, this::attempts);
        r.get("/api/runs/{id}/logs", Role.VIEWER, this::logs);
        r.get("/api/runs/{id}/effects", Role.VIEWER, ctx -> server.answers.json(ctx, Map.of("effects",
                server.ledger.effects(found(ctx).id()).stream().map(Views::effect).toList())));
        r.get("/api/runs/{id}/artifacts", Role.VIEWER, ctx -> server.answers.json(ctx, Map.of("artifacts",
                server.ledger.artifacts(found(ctx).id()).stream().map(Views::artifact).toList())));
        r.get("/api/runs/{id}/plan", Role.VIEWER, ctx -> server.answers.json(ctx, Publications.plan(server.ledger, found(ctx).id())));
        r.sse("/api/runs/{id}/events", Role.VIEWER, client -> {
            Context ctx = client.ctx();
            server.feeds.watchRun(ctx.pathParam("id"), client, after(ctx));
        });
        r.sse("/api/events", Role.VIEWER, server.feeds::watchAll);
        r.post("/api/runs/{id}/cancel", Role.RELEASER, ctx ->
                server.answers.json(ctx, 202, Map.of("message", actions.cancel(ctx, ctx.pathParam("id")))));
        r.get("/api/releases/{project}", Role.VIEWER, ctx -> {
            String project = ctx.pathParam("project");
            server.answers.json(ctx, Map.of("project", project, "versions", server.search.versions(project, limit(ctx, 100))));
        });
        r.get("/api/releases/{project}/{version}", Role.VIEWER, ctx -> server.answers.json(ctx,
                Publications.json(Publications.of(server.ledger, ctx.pathParam("project"), ctx.pathParam("version")))));
        r.post("/api/releases", Role.RELEASER, this::release);
        r.post("/api/promotions", Role.RELEASER, this::promote);
        r.get("/api/audit", Role.ADMIN, ctx -> {
            long before = longParam(ctx, "before", Long.MAX_VALUE);
            server.answers.json(ctx, Map.of("entries", server.access.auditEntries(before, limit(ctx, 100)).stream().map(Views::audit).toList()));
        });
    }

    private void openapi(Context ctx) throws IOException {
        try (InputStream in = Api.class.getResourceAsStream("openapi.json")) {
            ctx.contentType("application/json").result(in.readAllBytes());
        }
    }

    private void whoami(Context ctx) {
        Principal p = Server.caller(ctx).principal().orElseThrow();
        server.answers.json(ctx, Map.of("token", p.tokenId(), "name", p.name(), "role", p.role().label(), "channels", p.channels()));
    }

    private void projects(Context ctx) {
        List<Map<String, Object>> projects = new ArrayList<>();
        for (String name : server.projects.names()) {
            projects.add(Map.of("project", name, "spec", server.projects.file(name).toString(),
                    "versions", server.search.versions(name, 20)));
        }
        server.answers.json(ctx, Map.of("projects", projects));
    }

    private void runs(Context ctx) {
        Optional<RunState> state = Optional.ofNullable(ctx.queryParam("state")).filter(s -> !s.isBlank()).map(s -> {
            try {
                return RunState.valueOf(s.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new Refusal(400, "state=" + s + ": give running, succeeded, failed or cancelled");
            }
        });
        int limit = limit(ctx, 50);
        List<Run> page = server.search.runs(new RunFilter(Optional.ofNullable(ctx.queryParam("project")).filter(p -> !p.isBlank()),
                state, Optional.ofNullable(ctx.queryParam("before")).filter(b -> !b.isBlank()), limit));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("runs", page.stream().map(r -> Views.run(r, server.clock.instant())).toList());
        body.put("next", page.size() == limit && !page.isEmpty() ? page.getLast().id() : null);
        server.answers.json(ctx, body);
    }

    private void run(Context ctx) {
        Run run = found(ctx);
        Map<String, Object> body = new LinkedHashMap<>(Views.run(run, server.clock.instant()));
        if (origin(run.id()) instanceof RunRecord.Promoted promoted) {
            body.put("promotedFrom", promoted.from());
            body.put("forced", promoted.forced());
        }
        body.put("jobs", server.ledger.jobs(run.id()).stream().map(Views::job).toList());
        server.answers.json(ctx, body);
    }

    private void attempts(Context ctx) {
        String job = ctx.queryParam("job");
        if (job == null || job.isBlank()) {
            throw new Refusal(400, "give the job: /api/runs/RUN/attempts?job=build/app");
        }
        server.answers.json(ctx, Map.of("attempts", server.ledger.attempts(found(ctx).id(), job)));
    }

    private void logs(Context ctx) {
        Run run = found(ctx);
        int limit = limit(ctx, 500);
        var lines = server.ledger.logs(run.id(), Optional.ofNullable(ctx.queryParam("job")).filter(j -> !j.isBlank()),
                longParam(ctx, "after", 0), limit);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("lines", lines.stream().map(Views::log).toList());
        body.put("next", lines.size() == limit && !lines.isEmpty() ? lines.getLast().seq() : null);
        server.answers.json(ctx, body);
    }

    private void release(Context ctx) throws InterruptedException {
        ApiBodies.Release body = ApiBodies.release(ctx.body());
        answer(ctx, actions.release(ctx, project(body.project()), body.tag(), body.version(), body.vars(), body.only()));
    }

    private void promote(Context ctx) throws InterruptedException {
        ApiBodies.Promotion body = ApiBodies.promotion(ctx.body());
        answer(ctx, actions.promote(ctx, project(body.project()), body.from(), body.to(), body.force()));
    }

    /** 202 with the run for a started run; 200 when there was nothing to do; 409 when a law refused it. */
    private void answer(Context ctx, Launcher.Start start) {
        int status = switch (start.status()) {
            case "started", "pending", "building" -> 202;
            case "nothing_to_do" -> 200;
            case "refused" -> 409;
            case "unreachable" -> 502;
            default -> 200;
        };
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", start.status());
        start.runId().ifPresent(id -> {
            body.put("run", id);
            body.put("events", "/api/runs/" + id + "/events");
        });
        body.put("message", start.message());
        server.answers.json(ctx, status, body);
    }

    private String project(Optional<String> project) {
        if (project.isEmpty() && server.projects.names().size() == 1) {
            return server.projects.names().getFirst();
        }
        return project.orElseThrow(() -> new Refusal(400, "give project: one of " + String.join(", ", server.projects.names())));
    }

    private Run found(Context ctx) {
        String id = ctx.pathParam("id");
        return server.ledger.run(id).orElseThrow(() -> new Refusal(404, "no run " + id + " in the ledger"));
    }

    /** What kind of run the ledger's record says {@code runId} was; a plain release when it cannot be read. */
    private RunRecord.Origin origin(String runId) {
        try {
            return RunRecord.read(server.ledger.planJson(runId).orElse("{}")).origin();
        } catch (IOException | RuntimeException e) {
            return new RunRecord.Released();
        }
    }

    /**
     * A reconnect's {@code Last-Event-ID}, else {@code ?after=}, else 0: log lines after that seq. An
     * id that is not one Cutter sent (not a number, or beyond any) is ignored, as the header is optional.
     */
    static long after(Context ctx) {
        String last = ctx.header("Last-Event-ID");
        if (last != null && last.matches("\\d{1,18}")) {
            return Long.parseLong(last);
        }
        return longParam(ctx, "after", 0);
    }

    static int limit(Context ctx, int otherwise) {
        long limit = longParam(ctx, "limit", otherwise);
        if (limit < 1 || limit > MAX_PAGE) {
            throw new Refusal(400, "limit=" + limit + ": give 1 to " + MAX_PAGE);
        }
        return (int) limit;
    }

    static long longParam(Context ctx, String name, long otherwise) {
        String v = ctx.queryParam(name);
        if (v == null || v.isBlank()) {
            return otherwise;
        }
        try {
            return Long.parseLong(v.strip());
        } catch (NumberFormatException e) {
            throw new Refusal(400, name + "=" + v + ": give a whole number");
        }
    }
}
