package dev.cutter.server;

import dev.cutter.ledger.Run;
import dev.cutter.plan.PlanException;
import dev.cutter.plan.ReleaseContext;
import dev.cutter.plan.ReleaseRequest;
import dev.cutter.spec.Spec;
import io.javalin.http.Context;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The state-changing calls, shared by the API and the dashboard's forms: each checks the
 * caller's channels, calls the {@link Launcher}, and writes the audit trail whatever happens.
 */
final class Actions {
    private final Server server;

    Actions(Server server) {
        this.server = server;
    }

    Launcher.Start release(Context ctx, String project, Optional<String> tag, Optional<String> version, Map<String, String> vars,
            Map<String, List<String>> only) throws InterruptedException {
        Server.Caller caller = Server.caller(ctx);
        String subject = project + " " + tag.or(() -> version).orElse("?");
        return audited(ctx, caller, "release", subject, () -> {
            Prepared prepared = prepare(caller, project, tag, version, vars, only);
            return server.launcher.release(prepared.spec(), prepared.request());
        });
    }

    /** A release request checked as a start would check it (vars, channel), with the plan it would run. */
    record Prepared(Spec spec, ReleaseRequest request, dev.cutter.plan.Plan plan) {}

    /** What {@link #release} would start, checked the same way, starting nothing: the dashboard's confirmation shows it. */
    Prepared review(Context ctx, String project, Optional<String> tag, Optional<String> version, Map<String, String> vars) {
        return prepare(Server.caller(ctx), project, tag, version, vars, Map.of());
    }

    private Prepared prepare(Server.Caller caller, String project, Optional<String> tag, Optional<String> version, Map<String, String> vars,
            Map<String, List<String>> only) {
        if (tag.isPresent() == version.isPresent()) {
            throw new Refusal(400, "give either tag or version (not both, not neither), e.g. {\"project\": \"" + project
                    + "\", \"tag\": \"v1.2.3\"}");
        }
        Spec spec = server.projects.load(project);
        VarPolicy.of(spec).check(project, vars);
        ReleaseRequest request = server.launcher.request(spec, tag, version, vars, only, Optional.empty());
        ReleaseContext context = ReleaseContext.resolve(spec, request);
        requireChannel(caller, context.channel().name(), "release " + project + " " + tag.or(() -> version).orElse("?"));
        return new Prepared(spec, request, server.planner.plan(spec, context));
    }

    Launcher.Start promote(Context ctx, String project, String from, String to, boolean force) throws InterruptedException {
        Server.Caller caller = Server.caller(ctx);
        return audited(ctx, caller, "promote", project + " " + from + " -> " + to + (force ? " (forced)" : ""), () -> {
            Spec spec = server.projects.load(project);
            ReleaseRequest fromRequest = server.launcher.request(spec, Optional.empty(), Optional.of(from), Map.of(), Map.of(), Optional.empty());
            ReleaseRequest toRequest = server.launcher.request(spec, Optional.empty(), Optional.of(to), Map.of(), Map.of(), Optional.empty());
            requireChannel(caller, ReleaseContext.resolve(spec, toRequest).channel().name(), "promote " + project + " to " + to);
            return server.launcher.promote(spec, fromRequest, toRequest, force);
        });
    }

    /** Cancels a run this server runs; a run of another process is that process's to stop. */
    String cancel(Context ctx, String runId) throws InterruptedException {
        Server.Caller caller = Server.caller(ctx);
        return audited(ctx, caller, "cancel", runId, () -> {
            Run run = server.ledger.run(runId).orElseThrow(() -> new Refusal(404, "no run " + runId + " in the ledger"));
            requireChannel(caller, run.channel(), "cancel " + runId);
            if (run.state().isFinal()) {
                throw new Refusal(409, "run " + runId + " already ended " + Views.lower(run.state()) + "; nothing to cancel");
            }
            if (!server.launcher.cancel(runId, "cancelled by " + caller.actor())) {
                throw new Refusal(409, "run " + runId + " is run by pid " + run.pid() + " on " + run.host()
                        + ", not by this server; stop it there (Ctrl-C), then it can be resumed");
            }
            return "cancelling run " + runId + "; running jobs stop, and the run can be resumed";
        });
    }

    private static void requireChannel(Server.Caller caller, String channel, String what) {
        Principal who = caller.principal().orElseThrow();
        if (!who.mayPublishTo(channel)) {
            throw new Refusal(403, "token " + who.tokenId() + " may not " + what + ": it is in channel " + channel
                    + ", and the token may publish to " + (who.channels().isEmpty() ? "no channel" : String.join(", ", who.channels())));
        }
    }

    @FunctionalInterface
    interface Work<T> {
        T run() throws InterruptedException;
    }

    private <T> T audited(Context ctx, Server.Caller caller, String action, String subject, Work<T> work) throws InterruptedException {
        T result;
        try {
            result = work.run();
        } catch (Refusal e) {
            server.audit(ctx, caller, action, subject, (e.status() == 403 ? "denied: " : "refused: ") + e.getMessage());
            throw e;
        } catch (PlanException | IllegalArgumentException | dev.cutter.spec.SpecException e) {
            server.audit(ctx, caller, action, subject, "bad input: " + e.getMessage());
            throw e;
        } catch (RuntimeException e) {
            server.audit(ctx, caller, action, subject, "failed: " + e.getMessage());
            throw e;
        }
        String outcome = result instanceof Launcher.Start s
                ? s.status() + s.runId().map(id -> " " + id).orElse("") + (s.status().equals("started") ? "" : ": " + s.message())
                : String.valueOf(result);
        server.audit(ctx, caller, action, subject, outcome);
        return result;
    }
}
