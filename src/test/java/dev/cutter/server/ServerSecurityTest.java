package dev.cutter.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tokens, roles, channels, sessions, CSRF, webhook signatures and masking, over real HTTP. */
@org.junit.jupiter.api.Tag("security")
class ServerSecurityTest {
    @TempDir
    Path dir;

    ServerFixture fixture;

    @BeforeEach
    void start() throws Exception {
        fixture = new ServerFixture(dir, java.util.Map.of("NAP", "0"));
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void withoutALiveTokenTheApiAnswers401() throws Exception {
        ServerFixture.Answer none = fixture.get("/api/runs", null);
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.response().headers().firstValue("WWW-Authenticate")).contains("Bearer realm=\"cutter\"");
        assertThat(none.json().get("error").asText()).contains("cutter token create");
        assertThat(fixture.post("/api/releases", null, "{\"version\": \"1.0.0\"}").status()).isEqualTo(401);
        for (String stream : List.of("/api/events", "/api/runs/r1/events")) {
            ServerFixture.Answer sse = fixture.send(HttpRequest.newBuilder(URI.create(fixture.url(stream)))
                    .header("Accept", "text/event-stream").timeout(Duration.ofSeconds(10)).GET().build());
            assertThat(sse.status()).as(stream).isEqualTo(401);
        }
        assertThat(fixture.get("/api/runs", "cutter_t00000000_guessed").status()).isEqualTo(401);
        String live = fixture.token(Role.VIEWER);
        assertThat(fixture.get("/api/runs", live.substring(0, live.length() - 1) + "x").status()).as("one character off").isEqualTo(401);

        String revoked = fixture.token(Role.ADMIN);
        assertThat(fixture.get("/api/runs", revoked).status()).isEqualTo(200);
        fixture.server.access.revokeToken(revoked.split("_")[1]);
        assertThat(fixture.get("/api/runs", revoked).status()).isEqualTo(401);
        assertThat(fixture.get("/", null).status()).as("pages send a browser to the login form").isEqualTo(302);
    }

    @Test
    void aViewerReadsButCannotStartAReleaseAndEveryDenialIsAudited() throws Exception {
        String viewer = fixture.token(Role.VIEWER);
        assertThat(fixture.get("/api/runs", viewer).status()).isEqualTo(200);

        ServerFixture.Answer denied = fixture.post("/api/releases", viewer, "{\"version\": \"1.0.0\"}");
        assertThat(denied.status()).isEqualTo(403);
        assertThat(denied.json().get("error").asText()).contains("is a viewer; this needs a releaser");
        assertThat(fixture.get("/api/audit", viewer).status()).isEqualTo(403);
        assertThat(fixture.get("/api/runs", viewer).json().get("runs")).isEmpty();

        JsonNode audit = fixture.get("/api/audit", fixture.token(Role.ADMIN)).json().get("entries");
        assertThat(audit.toString()).contains("denied: needs role releaser").contains("POST /api/releases");
    }

    @Test
    void aReleaserReleasesAndPromotesOnlyIntoItsChannels() throws Exception {
        String rcOnly = fixture.token(Role.RELEASER, "rc");

        ServerFixture.Answer stable = fixture.post("/api/releases", rcOnly, "{\"version\": \"2.0.0\"}");
        assertThat(stable.status()).as(stable.body()).isEqualTo(403);
        assertThat(stable.json().get("error").asText()).contains("channel stable").contains("may publish to rc");

        ServerFixture.Answer rc = fixture.post("/api/releases", rcOnly, "{\"version\": \"2.0.0-rc1\"}");
        assertThat(rc.status()).as(rc.body()).isEqualTo(202);
        assertThat(fixture.watch(rc.json().get("run").asText(), rcOnly).getLast().data()).contains("succeeded");

        ServerFixture.Answer promote = fixture.post("/api/promotions", rcOnly, "{\"from\": \"2.0.0-rc1\", \"to\": \"2.0.0\"}");
        assertThat(promote.status()).as(promote.body()).isEqualTo(403);
        String stableToo = fixture.token(Role.RELEASER, "rc", "stable");
        ServerFixture.Answer promoted = fixture.post("/api/promotions", stableToo, "{\"from\": \"2.0.0-rc1\", \"to\": \"2.0.0\"}");
        assertThat(promoted.status()).as(promoted.body()).isEqualTo(202);
        assertThat(fixture.watch(promoted.json().get("run").asText(), stableToo).getLast().data()).contains("succeeded");
        assertThat(fixture.get("/api/runs/" + promoted.json().get("run").asText(), stableToo).json().get("promotedFrom").asText())
                .isEqualTo("v2.0.0-rc1");

        String audit = fixture.get("/api/audit", fixture.token(Role.ADMIN)).body();
        assertThat(audit).contains("\"action\":\"release\"").contains("\"action\":\"promote\"").contains("started r");
    }

    @Test
    void aForgedGitHubSignatureIsRefusedAndAGoodOneReleasesTheTagThroughTheTriggers() throws Exception {
        String push = "{\"ref\": \"refs/tags/v3.0.0\", \"after\": \"" + "a".repeat(40) + "\", \"deleted\": false}";

        ServerFixture.Answer forged = fixture.send(github(push, "sha256=" + Webhooks.hmac("not-the-secret-at-all", push.getBytes(StandardCharsets.UTF_8))));
        assertThat(forged.status()).isEqualTo(401);
        ServerFixture.Answer unsigned = fixture.send(github(push, ""));
        assertThat(unsigned.status()).isEqualTo(401);
        String admin = fixture.token(Role.ADMIN);
        assertThat(fixture.get("/api/runs", admin).json().get("runs")).as("nothing started").isEmpty();

        ServerFixture.Answer signed = fixture.send(github(push, "sha256=" + Webhooks.hmac(ServerFixture.WEBHOOK_SECRET,
                push.getBytes(StandardCharsets.UTF_8))));
        assertThat(signed.status()).as(signed.body()).isEqualTo(202);
        assertThat(signed.json().get("why").asText()).contains("tag v3.0.0 matches triggers[0]");
        assertThat(fixture.watch(signed.json().get("run").asText(), admin).getLast().data()).contains("succeeded");
        assertThat(fixture.get("/api/runs/" + signed.json().get("run").asText(), admin).json().get("tag").asText()).isEqualTo("v3.0.0");

        String branch = "{\"ref\": \"refs/heads/feature\", \"after\": \"" + "b".repeat(40) + "\"}";
        ServerFixture.Answer nothing = fixture.send(github(branch, "sha256=" + Webhooks.hmac(ServerFixture.WEBHOOK_SECRET,
                branch.getBytes(StandardCharsets.UTF_8))));
        assertThat(nothing.status()).isEqualTo(200);
        assertThat(nothing.json().get("decision").asText()).isEqualTo("nothing");
        assertThat(fixture.get("/api/audit", admin).body()).contains("webhook github").contains("denied: bad signature");
    }

    @Test
    void aBranchPushReleasesTheVersionOfItsBranchAndRefusesOneThatNeedsTheHistory() throws Exception {
        String admin = fixture.token(Role.ADMIN);
        String candidate = "{\"ref\": \"refs/heads/candidates/3.2.0\", \"after\": \"" + "c".repeat(40) + "\"}";
        ServerFixture.Answer released = fixture.send(github(candidate, "sha256=" + Webhooks.hmac(ServerFixture.WEBHOOK_SECRET,
                candidate.getBytes(StandardCharsets.UTF_8))));
        assertThat(released.status()).as(released.body()).isEqualTo(202);
        assertThat(fixture.watch(released.json().get("run").asText(), admin).getLast().data()).contains("succeeded");
        assertThat(fixture.get("/api/runs/" + released.json().get("run").asText(), admin).json().get("tag").asText())
                .isEqualTo("v3.2.0-rc1");

        String main = "{\"ref\": \"refs/heads/main\", \"after\": \"" + "d".repeat(40) + "\"}";
        ServerFixture.Answer refused = fixture.send(github(main, "sha256=" + Webhooks.hmac(ServerFixture.WEBHOOK_SECRET,
                main.getBytes(StandardCharsets.UTF_8))));
        assertThat(refused.status()).as(refused.body()).isEqualTo(200);
        assertThat(refused.json().get("status").asText()).isEqualTo("refused");
        assertThat(refused.json().get("message").asText()).contains("needs the branch's history").contains("cutter trigger");
    }

    @Test
    void aReleaserCannotSetAVarTheSpecDoesNotOpenToTheApiNorSendVarsOfTheWrongShape() throws Exception {
        String rcOnly = fixture.token(Role.RELEASER, "rc");
        ServerFixture.Answer injected = fixture.post("/api/releases", rcOnly,
                "{\"version\": \"2.0.0-rc1\", \"vars\": {\"FLAGS\": \"$(id > /tmp/x)\"}}");
        assertThat(injected.status()).as(injected.body()).isEqualTo(400);
        assertThat(injected.json().get("error").asText()).startsWith("vars.FLAGS: ").contains("api: true");
        for (String vars : List.of("\"x\"", "{\"A\": 1}", "[\"A\"]", "{\"A\": {\"B\": \"c\"}}")) {
            ServerFixture.Answer wrong = fixture.post("/api/releases", rcOnly, "{\"version\": \"2.0.0-rc1\", \"vars\": " + vars + "}");
            assertThat(wrong.status()).as(vars + ": " + wrong.body()).isEqualTo(400);
            assertThat(wrong.json().get("error").asText()).as(vars).startsWith("vars");
        }
        for (String only : List.of("\"x\"", "{\"image\": 1}", "{\"image\": [\"app\", 2]}")) {
            ServerFixture.Answer wrong = fixture.post("/api/releases", rcOnly, "{\"version\": \"2.0.0-rc1\", \"only\": " + only + "}");
            assertThat(wrong.status()).as(only + ": " + wrong.body()).isEqualTo(400);
            assertThat(wrong.json().get("error").asText()).as(only).startsWith("only");
        }
        assertThat(fixture.get("/api/runs", rcOnly).json().get("runs")).as("nothing started").isEmpty();
        assertThat(fixture.get("/api/audit", fixture.token(Role.ADMIN)).body()).contains("refused: vars.FLAGS")
                .doesNotContain("id > /tmp/x");
    }

    @Test
    void everyApiBodyWithAFieldOfTheWrongTypeIsAnswered400NeverAnInternalError() throws Exception {
        String admin = fixture.token(Role.ADMIN);
        for (String body : List.of("{\"version\": 2}", "{\"tag\": [\"v1\"]}", "{\"project\": {}}", "{\"version\": \"1.0.0\", \"verison\": \"x\"}",
                "[]", "\"x\"", "", "{", "{\"version\": \"1.0.0\"} trailing", "{\"version\": \"1\", \"version\": \"2\"}")) {
            ServerFixture.Answer a = fixture.post("/api/releases", admin, body);
            assertThat(a.status()).as("releases " + body + ": " + a.body()).isEqualTo(400);
            assertThat(a.json().get("error").asText()).doesNotContain("internal error");
        }
        for (String body : List.of("{\"from\": 1, \"to\": \"1.0.0\"}", "{\"from\": \"1.0.0-rc1\", \"to\": \"1.0.0\", \"force\": \"yes\"}",
                "{\"from\": \"1.0.0-rc1\", \"to\": true}", "{\"from\": \"1.0.0-rc1\"}", "7")) {
            ServerFixture.Answer a = fixture.post("/api/promotions", admin, body);
            assertThat(a.status()).as("promotions " + body + ": " + a.body()).isEqualTo(400);
        }
        assertThat(fixture.get("/api/runs", admin).json().get("runs")).as("nothing started").isEmpty();
    }

    @Test
    void aReplayedGitHubDeliveryStartsNoSecondRelease() throws Exception {
        String push = "{\"ref\": \"refs/tags/v3.1.0\", \"after\": \"" + "a".repeat(40) + "\", \"deleted\": false}";
        String signature = "sha256=" + Webhooks.hmac(ServerFixture.WEBHOOK_SECRET, push.getBytes(StandardCharsets.UTF_8));
        String admin = fixture.token(Role.ADMIN);

        ServerFixture.Answer first = fixture.send(github(push, signature, "6f1e2d3c-0000-11ee-8000-000000000001"));
        assertThat(first.status()).as(first.body()).isEqualTo(202);
        assertThat(fixture.watch(first.json().get("run").asText(), admin).getLast().data()).contains("succeeded");

        ServerFixture.Answer replayed = fixture.send(github(push, signature, "6f1e2d3c-0000-11ee-8000-000000000001"));
        assertThat(replayed.status()).as(replayed.body()).isEqualTo(200);
        assertThat(replayed.json().get("status").asText()).isEqualTo("duplicate");
        ServerFixture.Answer newId = fixture.send(github(push, signature, "6f1e2d3c-0000-11ee-8000-000000000002"));
        assertThat(newId.status()).as("GitHub signs the body, not the id: a replay under a new id is the same delivery").isEqualTo(200);
        assertThat(newId.json().get("status").asText()).isEqualTo("duplicate");

        fixture.close(); // the seen deliveries are in the ledger, so a restarted server knows them
        fixture = new ServerFixture(dir, java.util.Map.of("NAP", "0"));
        ServerFixture.Answer afterRestart = fixture.send(github(push, signature, "6f1e2d3c-0000-11ee-8000-000000000001"));
        assertThat(afterRestart.json().get("status").asText()).as(afterRestart.body()).isEqualTo("duplicate");
        assertThat(fixture.get("/api/runs", admin).json().get("runs")).as("one release, whatever was replayed").hasSize(1);
        assertThat(fixture.get("/api/audit", admin).body()).contains("duplicate: delivery 6f1e2d3c-0000-11ee-8000-000000000001");
    }

    @Test
    void aGitLabDeliveryRetriedUnderItsIdempotencyKeyStartsNothingTheSecondTime() throws Exception {
        String push = "{\"object_kind\": \"tag_push\", \"ref\": \"refs/tags/v3.2.0\", \"checkout_sha\": \"" + "d".repeat(40) + "\"}";
        HttpRequest first = HttpRequest.newBuilder(gitlab(push, "Tag Push Hook", ServerFixture.WEBHOOK_SECRET), (n, v) -> true)
                .header("Idempotency-Key", "2b1c6d0e-4c8a-4f3e-9c55-0a7d4be5a001").build();
        ServerFixture.Answer started = fixture.send(first);
        assertThat(started.status()).as(started.body()).isEqualTo(202);
        String admin = fixture.token(Role.ADMIN);
        fixture.watch(started.json().get("run").asText(), admin);
        // GitLab's retry: the same key; its body differs here only in whitespace, as a re-sent event's could
        String again = push.replace(", ", ",  ");
        ServerFixture.Answer retried = fixture.send(HttpRequest.newBuilder(gitlab(again, "Tag Push Hook", ServerFixture.WEBHOOK_SECRET),
                (n, v) -> true).header("Idempotency-Key", "2b1c6d0e-4c8a-4f3e-9c55-0a7d4be5a001").build());
        assertThat(retried.status()).as(retried.body()).isEqualTo(200);
        assertThat(retried.json().get("status").asText()).isEqualTo("duplicate");
        assertThat(fixture.get("/api/runs", admin).json().get("runs")).hasSize(1);
    }

    @Test
    void gitLabDeliveriesNeedTheSharedTokenAndAMergeRequestOnlyBuilds() throws Exception {
        String mr = "{\"object_kind\": \"merge_request\", \"object_attributes\": {\"iid\": 12, \"action\": \"open\","
                + " \"target_branch\": \"main\", \"last_commit\": {\"id\": \"" + "c".repeat(40) + "\"}}}";
        assertThat(fixture.send(gitlab(mr, "Merge Request Hook", "wrong")).status()).isEqualTo(401);
        assertThat(fixture.send(gitlab(mr, "Merge Request Hook", null)).status()).isEqualTo(401);

        ServerFixture.Answer build = fixture.send(gitlab(mr, "Merge Request Hook", ServerFixture.WEBHOOK_SECRET));
        assertThat(build.status()).as(build.body()).isEqualTo(202);
        assertThat(build.json().get("decision").asText()).isEqualTo("build");
        assertThat(build.json().get("status").asText()).isEqualTo("building");
        assertThat(fixture.get("/api/runs", fixture.token(Role.VIEWER)).json().get("runs")).as("a build claims and records nothing").isEmpty();
    }

    @Test
    void browserPostsNeedTheSessionsCsrfTokenAndTheCookieIsHttpOnlyAndSameSiteStrict() throws Exception {
        String releaser = fixture.token(Role.RELEASER);
        ServerFixture.Answer wrong = fixture.send(form("/login", null, "token=" + enc("cutter_tdeadbeef_nope") + "&next=/"));
        assertThat(wrong.status()).isEqualTo(401);

        ServerFixture.Answer login = fixture.send(form("/login", null, "token=" + enc(releaser) + "&next=" + enc("//evil.example/")));
        assertThat(login.status()).isEqualTo(302);
        assertThat(login.response().headers().firstValue("Location")).as("no open redirect").contains("/");
        String setCookie = login.response().headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(setCookie).contains("HttpOnly").contains("SameSite=Strict").contains("Path=/");
        String cookie = setCookie.substring(0, setCookie.indexOf(';'));
        assertThat(setCookie).doesNotContain(releaser);

        String page = fixture.send(HttpRequest.newBuilder(URI.create(fixture.url("/release"))).header("Cookie", cookie).GET().build()).body();
        Matcher csrf = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(page);
        assertThat(csrf.find()).as(page).isTrue();

        ServerFixture.Answer without = fixture.send(form("/release", cookie, "project=demo&version=4.0.0"));
        assertThat(without.status()).isEqualTo(403);
        assertThat(without.body()).contains("CSRF");
        ServerFixture.Answer forged = fixture.send(form("/release", cookie, "project=demo&version=4.0.0&csrf=" + enc(csrf.group(1) + "x")));
        assertThat(forged.status()).isEqualTo(403);
        ServerFixture.Answer viaApiWithCookie = fixture.send(HttpRequest.newBuilder(URI.create(fixture.url("/api/releases")))
                .header("Cookie", cookie).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"version\": \"4.0.0\"}")).build());
        assertThat(viaApiWithCookie.status()).as("a cookie alone never changes state, on the API either").isEqualTo(403);
        assertThat(fixture.get("/api/runs", releaser).json().get("runs")).isEmpty();

        ServerFixture.Answer reviewed = fixture.send(form("/release", cookie, "project=demo&version=4.0.0&csrf=" + enc(csrf.group(1))));
        assertThat(reviewed.status()).as("the form's first post shows the plan").isEqualTo(200);
        assertThat(fixture.get("/api/runs", releaser).json().get("runs")).isEmpty();
        ServerFixture.Answer started = fixture.send(form("/release", cookie, "project=demo&version=4.0.0&confirm=yes&csrf="
                + enc(csrf.group(1))));
        assertThat(started.status()).as(started.body()).isEqualTo(302);
        assertThat(started.response().headers().firstValue("Location").orElseThrow()).startsWith("/runs/r");

        fixture.send(form("/logout", cookie, "csrf=" + enc(csrf.group(1))));
        assertThat(fixture.send(HttpRequest.newBuilder(URI.create(fixture.url("/"))).header("Cookie", cookie).GET().build()).status())
                .as("the session is gone").isEqualTo(302);
    }

    @Test
    void theSecretOfTheSpecAppearsInNoAnswerOrPage() throws Exception {
        String admin = fixture.token(Role.ADMIN);
        String run = fixture.post("/api/releases", admin, "{\"version\": \"5.0.0\"}").json().get("run").asText();
        List<SseStream.Event> events = fixture.watch(run, admin);
        assertThat(events.toString()).contains("built with ***");

        List<String> bodies = new ArrayList<>();
        events.forEach(e -> bodies.add(e.data()));
        for (String path : List.of("/api/runs", "/api/runs/" + run, "/api/runs/" + run + "/jobs", "/api/runs/" + run + "/logs",
                "/api/runs/" + run + "/effects", "/api/runs/" + run + "/artifacts", "/api/runs/" + run + "/plan",
                "/api/runs/" + run + "/attempts?job=build/app", "/api/releases/demo/5.0.0", "/api/projects", "/api/audit",
                "/api/whoami")) {
            ServerFixture.Answer a = fixture.get(path, admin);
            assertThat(a.status()).as(path + ": " + a.body()).isEqualTo(200);
            bodies.add(a.body());
        }
        String cookie = login(admin);
        for (String path : List.of("/", "/runs/" + run, "/releases", "/releases/demo/5.0.0", "/release", "/promote", "/audit")) {
            ServerFixture.Answer a = fixture.send(HttpRequest.newBuilder(URI.create(fixture.url(path))).header("Cookie", cookie).GET().build());
            assertThat(a.status()).as(path).isEqualTo(200);
            bodies.add(a.body());
        }
        assertThat(String.join("\n", bodies)).doesNotContain(ServerFixture.SECRET).doesNotContain(ServerFixture.WEBHOOK_SECRET)
                .contains("${env:DEMO_SECRET}");
    }

    String login(String token) throws Exception {
        String setCookie = fixture.send(form("/login", null, "token=" + enc(token))).response().headers().firstValue("Set-Cookie").orElseThrow();
        return setCookie.substring(0, setCookie.indexOf(';'));
    }

    HttpRequest form(String path, String cookie, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(fixture.url(path))).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(body));
        if (cookie != null) {
            b.header("Cookie", cookie);
        }
        return b.build();
    }

    HttpRequest github(String body, String signature, String delivery) {
        return HttpRequest.newBuilder(github(body, signature), (n, v) -> true).header("X-GitHub-Delivery", delivery).build();
    }

    HttpRequest github(String body, String signature) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(fixture.url("/hooks/github"))).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json").header("X-GitHub-Event", "push")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (!signature.isEmpty()) {
            b.header("X-Hub-Signature-256", signature);
        }
        return b.build();
    }

    HttpRequest gitlab(String body, String event, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(fixture.url("/hooks/gitlab"))).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json").header("X-Gitlab-Event", event)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("X-Gitlab-Token", token);
        }
        return b.build();
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
