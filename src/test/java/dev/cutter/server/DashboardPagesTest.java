package dev.cutter.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutter.ledger.JobSeed;
import dev.cutter.ledger.NewRun;
import dev.cutter.ledger.RunKind;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard's pages as HTML over real HTTP (a bearer token reads them as a session would):
 * a failed run shows its failure first, each job has its page, the published pages say who and
 * when, compare two versions and find a version, digest or commit; the release form shows its
 * plan before it starts anything; cancelling is offered only where the server can; health and
 * the access log. The browser test ({@link DashboardTriageBrowserTest}) sees the same in Chromium.
 */
class DashboardPagesTest {
    @TempDir
    Path dir;

    ServerFixture fixture;

    @AfterEach
    void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    String released(String version) throws Exception {
        String releaser = fixture.token(Role.RELEASER);
        ServerFixture.Answer started = fixture.post("/api/releases", releaser, "{\"version\": \"" + version + "\"}");
        assertThat(started.status()).as(started.body()).isEqualTo(202);
        String run = started.json().get("run").asText();
        fixture.watch(run, releaser);
        return run;
    }

    ServerFixture.Answer form(String path, String token, Map<String, String> fields) throws Exception {
        String body = fields.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
        return fixture.send(HttpRequest.newBuilder(URI.create(fixture.url(path))).timeout(Duration.ofSeconds(90))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    @Test
    void aFailedRunShowsItsFailedJobAndItsErrorBeforeEverythingElseAndTheJobHasItsOwnPage() throws Exception {
        fixture = new ServerFixture(dir, Map.of("NAP", "not-a-duration")); // the build's sleep fails
        String viewer = fixture.token(Role.VIEWER);
        String run = released("3.0.0");
        String page = fixture.get("/runs/" + run, viewer).body();

        assertThat(page).contains("id=\"failures\"").contains("1 job failed");
        assertThat(page.indexOf("id=\"failures\"")).as("the failure comes before the run's card, the DAG and the table")
                .isLessThan(page.indexOf("id=\"run\"")).isLessThan(page.indexOf("class=\"dag-frame\""));
        String failures = page.substring(page.indexOf("id=\"failures\""), page.indexOf("id=\"run\""));
        assertThat(failures).contains("build/app").contains("exited with status").contains("invalid time interval")
                .contains("href=\"/runs/" + run + "/jobs/build/app\"");

        ServerFixture.Answer job = fixture.get("/runs/" + run + "/jobs/build/app", viewer);
        assertThat(job.status()).isEqualTo(200);
        assertThat(job.body()).contains("id=\"attempts\"").contains("id=\"job-log\"").contains("invalid time interval")
                .contains("id=\"job-detail\" class=\"error\"").doesNotContain(ServerFixture.SECRET);
        assertThat(fixture.get("/runs/" + run + "/jobs/no/such", viewer).status()).isEqualTo(404);
    }

    @Test
    void aJobsPageShowsItsInputsOutputsEffectsAndLog() throws Exception {
        fixture = new ServerFixture(dir);
        String viewer = fixture.token(Role.VIEWER);
        String run = released("3.1.0");
        String push = fixture.get("/runs/" + run + "/jobs/push/app", viewer).body();
        assertThat(push).contains("id=\"needs\"").contains("id=\"inputs\"").contains("index")
                .contains("id=\"effects\"").contains("oci:oci-main/demo/app:3.1.0");
        String build = fixture.get("/runs/" + run + "/jobs/build/app", viewer).body();
        assertThat(build).contains("id=\"outputs\"").contains("out/app").contains("built with ***").doesNotContain(ServerFixture.SECRET);
    }

    @Test
    void thePublishedPagesSayWhoAndWhenCompareTwoVersionsAndFindAVersionADigestOrACommit() throws Exception {
        fixture = new ServerFixture(dir);
        git("init", "-q", "-b", "main");
        git("add", "-A");
        git("-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-q", "-m", "first");
        String sha = git("rev-parse", "HEAD").strip();
        String viewer = fixture.token(Role.VIEWER);
        String first = released("4.0.0");
        released("4.1.0");

        String list = fixture.get("/releases", viewer).body();
        assertThat(list).contains("data-version=\"4.1.0\"").contains("releaser-").contains("stable").contains("succeeded")
                .contains("action=\"/releases/demo/diff\"");
        String version = fixture.get("/releases/demo/4.0.0", viewer).body();
        assertThat(version).contains("id=\"summary\"").contains("id=\"released-by\">token ").contains(first);

        String diff = fixture.get("/releases/demo/diff?from=4.0.0&to=4.1.0", viewer).body();
        assertThat(diff).contains("id=\"diff\"").contains("oci:oci-main/demo/app:{version}").contains("change-changed")
                .contains("releases/{version}").contains("demo-{version}.tar.gz");

        String digest = fixture.get("/api/releases/demo/4.0.0", viewer).json().get("images").get(0).get("digest").asText();
        assertThat(fixture.get("/releases?q=4.1", viewer).body()).contains("id=\"results\"").contains(">4.1.0<").doesNotContain(">4.0.0</a></td><td>stable");
        assertThat(fixture.get("/releases?q=" + digest.substring(0, 19), viewer).body()).contains("id=\"results\"").contains(first);
        assertThat(fixture.get("/releases?q=" + digest.substring(7, 19), viewer).body()).as("the hex alone").contains(first);
        assertThat(fixture.get("/releases?q=" + sha.substring(0, 8), viewer).body()).as("the commit").contains(first);
        assertThat(fixture.get("/releases?q=9.9.9", viewer).body()).contains("id=\"nothing-found\"");
    }

    String git(String... args) throws Exception {
        Process p = new ProcessBuilder(java.util.stream.Stream.concat(java.util.stream.Stream.of("git"), java.util.Arrays.stream(args)).toList())
                .directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        return out;
    }

    @Test
    void theReleaseFormShowsThePlanAndStartsNothingUntilConfirmedWithTheSpecsVars() throws Exception {
        fixture = new ServerFixture(dir);
        String releaser = fixture.token(Role.RELEASER);
        String form = fixture.get("/release", releaser).body();
        assertThat(form).contains("name=\"var.NOTE\"").contains("[a-z0-9 ]*").contains("id=\"fixed-vars\"").contains("FLAVOUR")
                .doesNotContain("name=\"var.FLAVOUR\"");

        ServerFixture.Answer review = form("/release", releaser, Map.of("project", "demo", "version", "5.0.0", "var.NOTE", "hello there"));
        assertThat(review.status()).as(review.body()).isEqualTo(200);
        assertThat(review.body()).contains("id=\"publications\"").contains("oci:oci-main/demo/app").contains("oci:oci-mirror/demo/app")
                .contains("floating: moves only if 5.0.0 is the highest").contains("immutable").contains("id=\"plan-jobs\"")
                .contains("build/app").contains("id=\"confirm\"").contains("name=\"var.NOTE\" value=\"hello there\"");
        assertThat(fixture.get("/api/runs", releaser).json().get("runs")).as("nothing started before the confirmation").isEmpty();

        ServerFixture.Answer refused = form("/release", releaser, Map.of("project", "demo", "version", "5.0.0", "var.FLAVOUR", "x"));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.body()).contains("vars.FLAVOUR");

        ServerFixture.Answer started = form("/release", releaser, Map.of("project", "demo", "version", "5.0.0", "var.NOTE", "hello there",
                "confirm", "yes"));
        assertThat(started.status()).as(started.body()).isEqualTo(302);
        String run = started.response().headers().firstValue("Location").orElseThrow().substring("/runs/".length());
        fixture.watch(run, releaser);
        assertThat(fixture.get("/api/runs/" + run + "/logs?job=build/docs", releaser).body()).contains("note hello there");
    }

    @Test
    void cancelIsOfferedOnlyOnRunsThisServerRunsAndARunOfAnotherProcessSaysWhereToStopIt() throws Exception {
        fixture = new ServerFixture(dir, Map.of("NAP", "30"));
        String releaser = fixture.token(Role.RELEASER);
        ServerFixture.Answer started = fixture.post("/api/releases", releaser, "{\"version\": \"6.0.0\"}");
        String mine = started.json().get("run").asText();
        var other = fixture.server.ledger.startRun(new NewRun(RunKind.RELEASE, "demo", "6.0.1", "v6.0.1", "stable", "sha256:" + "cd".repeat(32),
                "{}", List.of(new JobSeed("build/app", "build")), "ci-runner-7", 4242));

        assertThat(fixture.get("/runs/" + mine, releaser).body()).contains("id=\"cancel\"").doesNotContain("id=\"elsewhere\"");
        String theirs = fixture.get("/runs/" + other.id(), releaser).body();
        assertThat(theirs).doesNotContain("id=\"cancel\"").contains("id=\"elsewhere\"").contains("pid 4242 on ci-runner-7");
        assertThat(fixture.post("/api/runs/" + other.id() + "/cancel", releaser, "").status()).isEqualTo(409);
        assertThat(fixture.post("/api/runs/" + mine + "/cancel", releaser, "").status()).isEqualTo(202);
    }

    @Test
    void healthzAnswersWithoutATokenAndEveryRequestIsInTheAccessLog() throws Exception {
        fixture = new ServerFixture(dir);
        ServerFixture.Answer health = fixture.get("/healthz", null);
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().get("status").asText()).isEqualTo("ok");
        String viewer = fixture.token(Role.VIEWER);
        fixture.get("/api/runs?limit=5", viewer);
        fixture.get("/api/runs", null);

        assertThat(fixture.accessLog).anySatisfy(l -> assertThat(l).matches("\\d{4}-\\d\\d-\\d\\dT\\S+Z 127\\.0\\.0\\.1 \"GET /healthz\" 200 \\d+ ms anonymous"));
        assertThat(fixture.accessLog).anySatisfy(l -> assertThat(l).contains("\"GET /api/runs\" 200").contains("token ").doesNotContain("limit="));
        assertThat(fixture.accessLog).anySatisfy(l -> assertThat(l).contains("\"GET /api/runs\" 401").endsWith("anonymous"));
        assertThat(String.join("\n", fixture.accessLog)).doesNotContain(viewer);
    }
}
