package dev.cutter.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cutter.plan.ReleaseRequest;
import dev.cutter.spec.Spec;
import dev.cutter.trigger.BranchVersions;
import dev.cutter.trigger.Triggers;
import io.javalin.http.Context;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Webhooks in: GitHub ({@code X-Hub-Signature-256}, an HMAC-SHA256 of the body under the shared
 * secret) and GitLab ({@code X-Gitlab-Token}, the shared secret itself), both compared in
 * constant time; a delivery that fails the check is answered 401 and nothing else happens. A tag
 * push, branch push or pull/merge request becomes a {@link Triggers.Event} and the spec's
 * {@code triggers:} decide, exactly as {@code cutter trigger} decides: a release, a build that
 * publishes nothing, or nothing. {@code ?project=NAME} picks the spec when the server has several.
 */
final class Webhooks {
    private static final Set<String> PULL_ACTIONS = Set.of("opened", "synchronize", "reopened", "open", "reopen", "update");

    private final Server server;

    Webhooks(Server server) {
        this.server = server;
    }

    void register(Server.Routes r) {
        r.post("/hooks/github", null, this::github);
        r.post("/hooks/gitlab", null, this::gitlab);
    }

    private void github(Context ctx) throws InterruptedException {
        String secret = server.config.githubSecret().orElseThrow(() -> new Refusal(404,
                "GitHub webhooks are not enabled here; start the server with --webhook-secret"));
        byte[] body = ctx.bodyAsBytes();
        String signature = Optional.ofNullable(ctx.header("X-Hub-Signature-256")).orElse("");
        if (!MessageDigest.isEqual(("sha256=" + hmac(secret, body)).getBytes(StandardCharsets.US_ASCII),
                signature.strip().getBytes(StandardCharsets.US_ASCII))) {
            denied(ctx, "github");
        }
        String kind = Optional.ofNullable(ctx.header("X-GitHub-Event")).orElse("");
        JsonNode payload = json(body);
        Optional<Delivery> delivery = switch (kind) {
            case "push" -> payload.path("deleted").asBoolean(false) ? Optional.empty()
                    : Optional.of(new Delivery(new Triggers.Event("push", payload.path("ref").asText(), Optional.empty()),
                            sha(payload.path("after"))));
            case "pull_request" -> PULL_ACTIONS.contains(payload.path("action").asText())
                    ? Optional.of(new Delivery(new Triggers.Event("pull_request",
                            "refs/pull/" + payload.path("number").asText() + "/merge",
                            Optional.of(payload.path("pull_request").path("base").path("ref").asText())),
                            sha(payload.path("pull_request").path("head").path("sha"))))
                    : Optional.empty();
            default -> Optional.empty();
        };
        handle(ctx, "github", kind, delivery, new Receipt(deliveryId(ctx, "X-GitHub-Delivery"), sha256(body)));
    }

    private void gitlab(Context ctx) throws InterruptedException {
        String secret = server.config.gitlabSecret().orElseThrow(() -> new Refusal(404,
                "GitLab webhooks are not enabled here; start the server with --webhook-secret"));
        String token = Optional.ofNullable(ctx.header("X-Gitlab-Token")).orElse("");
        if (!MessageDigest.isEqual(secret.getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8))) {
            denied(ctx, "gitlab");
        }
        String kind = Optional.ofNullable(ctx.header("X-Gitlab-Event")).orElse("");
        byte[] body = ctx.bodyAsBytes();
        JsonNode payload = json(body);
        Optional<Delivery> delivery = switch (kind) {
            case "Tag Push Hook", "Push Hook" -> payload.path("checkout_sha").isNull() || payload.path("checkout_sha").isMissingNode()
                    ? Optional.empty() // a deleted tag or branch
                    : Optional.of(new Delivery(new Triggers.Event("push", payload.path("ref").asText(), Optional.empty()),
                            sha(payload.path("checkout_sha"))));
            case "Merge Request Hook" -> {
                JsonNode mr = payload.path("object_attributes");
                yield PULL_ACTIONS.contains(mr.path("action").asText())
                        ? Optional.of(new Delivery(new Triggers.Event("pull_request", "refs/pull/" + mr.path("iid").asText() + "/merge",
                                Optional.of(mr.path("target_branch").asText())), sha(mr.path("last_commit").path("id"))))
                        : Optional.empty();
            }
            default -> Optional.empty();
        };
        // Idempotency-Key stays the same across GitLab's retries; X-Gitlab-Event-UUID is older and names the event
        handle(ctx, "gitlab", kind, delivery, new Receipt(deliveryId(ctx, "Idempotency-Key").or(() -> deliveryId(ctx, "X-Gitlab-Event-UUID")),
                sha256(body)));
    }

    /** A git event and the commit it is about. */
    private record Delivery(Triggers.Event event, Optional<String> sha) {}

    /**
     * What tells one delivery from another: the forge's delivery id, kept across its redeliveries,
     * and the digest of the signed body. GitHub signs the body alone, so a replay may carry a new
     * id; its body, which cannot change without the secret, gives it away.
     */
    private record Receipt(Optional<String> id, String bodyDigest) {}

    private void handle(Context ctx, String forge, String kind, Optional<Delivery> delivery, Receipt receipt) throws InterruptedException {
        String actor = "webhook " + forge;
        if (delivery.isEmpty()) {
            server.access.audit(actor, "webhook", kind.isEmpty() ? "(no event)" : kind, "ignored: not a push or an opened pull request", ctx.ip());
            server.answers.json(ctx, 202, Map.of("status", "ignored", "message", "event '" + kind + "' starts nothing"));
            return;
        }
        Optional<String> seen = firstSeen(ctx, actor, forge, receipt);
        if (seen.isPresent()) {
            server.access.audit(actor, "webhook", delivery.get().event().ref(), "duplicate: " + seen.get() + "; nothing started", ctx.ip());
            server.answers.json(ctx, 200, Map.of("status", "duplicate", "message", "this delivery was received before (" + seen.get()
                    + "); a delivery starts at most one release, so nothing started"));
            return;
        }
        Triggers.Event event = delivery.get().event();
        String project = project(ctx);
        Spec spec = server.projects.load(project);
        Triggers.Decision decision = Triggers.decide(spec.triggers(), event);
        // the server has no checkout of a pushed branch: only a version of the branch and the date is rendered here
        Optional<String> branchVersion = decision.branch().filter(b -> b.trigger().paths().isEmpty()).flatMap(b -> b.trigger().version()
                .filter(t -> !BranchVersions.needsHistory(t)).map(t -> BranchVersions.render(t, b.branch(), server.launcher.date(),
                        Optional.empty())));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("decision", decision.action());
        body.put("why", decision.why());
        Launcher.Start start;
        try {
            if (decision.action().equals("nothing")) {
                start = new Launcher.Start("nothing", Optional.empty(), decision.why() + "; nothing to do");
            } else if (decision.tag().isEmpty() && decision.version().isEmpty() && branchVersion.isEmpty()) {
                start = new Launcher.Start("refused", Optional.empty(), decision.why() + ", but its version needs the branch's"
                        + " history (a version tag at HEAD, {commits}, {last}, {short_sha} or paths:), which the server does not read;"
                        + " run `cutter trigger` in CI for it, or give the trigger a version of {branch}, {branch.name} and {date}");
            } else {
                ReleaseRequest request = server.launcher.request(spec, decision.tag(), decision.tag().isPresent() ? Optional.empty()
                        : decision.version().or(() -> branchVersion), Map.of(), Map.of(), delivery.get().sha());
                start = decision.action().equals("build") ? server.launcher.build(spec, request) : server.launcher.release(spec, request);
            }
        } catch (RuntimeException e) {
            server.access.audit(actor, "webhook", project + " " + event.ref(), server.answers.mask("failed: " + e.getMessage()), ctx.ip());
            throw e;
        }
        server.access.audit(actor, "webhook", project + " " + event.ref(), server.answers.mask(decision.action() + ": " + start.status()
                + start.runId().map(id -> " " + id).orElse("")), ctx.ip());
        body.put("status", start.status());
        start.runId().ifPresent(id -> body.put("run", id));
        body.put("message", start.message());
        server.answers.json(ctx, start.runId().isPresent() || start.status().equals("building") ? 202 : 200, body);
    }

    /**
     * Records the delivery in the audit trail, by body digest and by id, each at most once (the
     * ledger keeps them across restarts and for every server on a shared ledger); what was seen
     * before, if anything.
     */
    private Optional<String> firstSeen(Context ctx, String actor, String forge, Receipt receipt) {
        if (receipt.id().isPresent() && server.access.auditOnce(actor, "delivery", forge + " id " + receipt.id().get(), "received",
                ctx.ip()).isEmpty()) {
            return Optional.of("delivery " + receipt.id().get());
        }
        if (server.access.auditOnce(actor, "delivery", forge + " body sha256:" + receipt.bodyDigest(), "received", ctx.ip()).isEmpty()) {
            return Optional.of("the same signed body" + receipt.id().map(id -> ", now as delivery " + id).orElse(""));
        }
        return Optional.empty();
    }

    /** A delivery id as the forges write them (a GUID); anything else is no id, never text for the audit trail. */
    private static Optional<String> deliveryId(Context ctx, String header) {
        return Optional.ofNullable(ctx.header(header)).map(String::strip).filter(id -> id.matches("[A-Za-z0-9-]{1,100}"));
    }

    private static String sha256(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private String project(Context ctx) {
        String project = ctx.queryParam("project");
        if (project != null && !project.isBlank()) {
            return project;
        }
        if (server.projects.names().size() == 1) {
            return server.projects.names().getFirst();
        }
        throw new Refusal(400, "this server releases " + String.join(", ", server.projects.names())
                + "; add ?project=NAME to the webhook's URL");
    }

    private void denied(Context ctx, String forge) {
        server.access.audit("webhook " + forge, "webhook", ctx.path(), "denied: bad signature", ctx.ip());
        throw new Refusal(401, forge.equals("github") ? "X-Hub-Signature-256 does not match the body under the shared secret"
                : "X-Gitlab-Token is not the shared secret");
    }

    private static Optional<String> sha(JsonNode node) {
        String sha = node.asText("");
        return sha.matches("[0-9a-f]{40}") && !sha.matches("0{40}") ? Optional.of(sha) : Optional.empty();
    }

    private static JsonNode json(byte[] body) {
        try {
            JsonNode node = Answers.JSON.readTree(body);
            return node == null ? Answers.JSON.createObjectNode() : node;
        } catch (IOException e) {
            throw new Refusal(400, "the delivery is not JSON: " + e.getMessage());
        }
    }

    static String hmac(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
