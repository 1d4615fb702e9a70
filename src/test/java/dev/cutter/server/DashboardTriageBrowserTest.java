package dev.cutter.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutter.app.Services;
import dev.cutter.cli.Cutter;
import dev.cutter.ledger.JobSeed;
import dev.cutter.ledger.NewRun;
import dev.cutter.ledger.RunKind;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Triage in the dashboard, in headless Chromium: a failed run opens with its failure and leads to
 * the job's page; the release form shows the plan and takes the spec's vars before it starts; the
 * published pages say who and when, compare two versions and find a digest; a release that found
 * its tags already in place is complete; Cancel shows only where the server can cancel; the audit
 * trail has the command line's releases; /healthz answers. Screenshots of each page go to
 * {@code target/screenshots/} (those in {@code docs/screenshots/} are copies of them).
 */
@Tag("e2e")
class DashboardTriageBrowserTest {
    @TempDir
    Path dir;

    @TempDir
    Path profile;

    ServerFixture fixture;
    WebDriver browser;
    WebDriverWait wait;

    void open(Map<String, String> env, Role role) throws Exception {
        fixture = new ServerFixture(dir, env);
        browser = DashboardBrowserTest.chromium(profile);
        wait = new WebDriverWait(browser, Duration.ofSeconds(90));
        Files.createDirectories(DashboardBrowserTest.SHOTS);
        browser.get(fixture.url("/login"));
        browser.findElement(By.id("token")).sendKeys(fixture.token(role));
        browser.findElement(By.id("login")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("runs")));
    }

    @AfterEach
    void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (fixture != null) {
            fixture.close();
        }
    }

    void shot(String name) throws Exception {
        Files.write(DashboardBrowserTest.SHOTS.resolve("server-" + name + ".png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }

    /** Through the form: review, then confirm; returns the run's id once its page shows. */
    String releaseFromTheForm(String version, Map<String, String> vars, String shotOfTheReview) throws Exception {
        browser.get(fixture.url("/release"));
        browser.findElement(By.id("version")).sendKeys(version);
        vars.forEach((k, v) -> browser.findElement(By.id("var-" + k)).sendKeys(v));
        browser.findElement(By.id("review")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("confirm")));
        if (shotOfTheReview != null) {
            shot(shotOfTheReview);
        }
        browser.findElement(By.id("confirm")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#run[data-run]")));
        return browser.findElement(By.id("run")).getAttribute("data-run");
    }

    @Test
    void aFailedRunOpensWithItsFailedJobAndItsErrorAndLeadsToTheJobsPage() throws Exception {
        open(Map.of("NAP", "not-a-duration"), Role.RELEASER); // the build's sleep fails
        String run = releaseFromTheForm("3.0.0", Map.of(), null);
        // the page was drawn while the run went on; when it ends failed, it is drawn again, failure first
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("failures")));
        String failures = browser.findElement(By.id("failures")).getText();
        assertThat(failures).contains("1 job failed").contains("build/app").contains("invalid time interval");
        assertThat(browser.findElement(By.id("failures")).getLocation().getY()).as("above the run's card and the DAG")
                .isLessThan(browser.findElement(By.id("run")).getLocation().getY())
                .isLessThan(browser.findElement(By.cssSelector(".dag-frame")).getLocation().getY());
        assertThat(browser.findElement(By.id("failures")).getLocation().getY()).as("on the first screen").isLessThan(300);
        shot("run-failed");

        browser.findElement(By.cssSelector("#failures .failure h3 a")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("job")));
        assertThat(browser.getCurrentUrl()).endsWith("/runs/" + run + "/jobs/build/app");
        assertThat(browser.findElement(By.id("job-detail")).getText()).contains("exited with status");
        assertThat(browser.findElement(By.id("attempts")).findElements(By.cssSelector("tbody tr"))).isNotEmpty();
        assertThat(browser.findElement(By.id("job-log")).getText()).contains("invalid time interval");
        assertThat(browser.getPageSource()).doesNotContain(ServerFixture.SECRET);
        shot("job-failed");
    }

    @Test
    void theReleaseFormShowsThePlanThenThePublishedPagesSayWhoWhenWhatChangedAndFindADigest() throws Exception {
        open(Map.of(), Role.RELEASER);
        String first = releaseFromTheForm("1.0.0", Map.of("NOTE", "first cut"), null);
        wait.until(d -> d.findElement(By.id("run-state")).getText().equals("succeeded"));

        browser.get(fixture.url("/release"));
        assertThat(browser.findElement(By.id("vars")).getText()).contains("NOTE").contains("[a-z0-9 ]*");
        assertThat(browser.findElement(By.id("fixed-vars")).getText()).contains("FLAVOUR");
        shot("release-form");
        String second = releaseFromTheForm("1.1.0", Map.of("NOTE", "second"), "release-confirm");
        wait.until(d -> d.findElement(By.id("run-state")).getText().equals("succeeded"));
        shot("run");
        browser.findElement(By.cssSelector("#jobs tr[data-job='push/app'] a.job-page")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("job")));
        assertThat(browser.findElement(By.id("effects")).getText()).contains("oci:oci-main/demo/app:1.1.0");
        assertThat(browser.findElement(By.id("inputs")).getText()).contains("index");
        shot("job");
        String docs = fixture.get("/api/runs/" + second + "/logs?job=build/docs", fixture.token(Role.VIEWER)).body();
        assertThat(docs).as("the var given in the form reached the build").contains("note second");

        browser.get(fixture.url("/releases"));
        String versions = browser.findElement(By.cssSelector("table.versions")).getText();
        assertThat(versions).contains("1.1.0").contains("1.0.0").contains("stable").contains("succeeded").contains("token ");
        shot("published-list");

        new Select(browser.findElement(By.name("from"))).selectByVisibleText("1.0.0");
        new Select(browser.findElement(By.name("to"))).selectByVisibleText("1.1.0");
        browser.findElement(By.cssSelector("button.compare")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("diff")));
        assertThat(browser.findElement(By.id("diff")).getText()).contains("oci:oci-main/demo/app:{version}").contains("changed");
        shot("diff");

        browser.get(fixture.url("/releases/demo/1.0.0"));
        assertThat(browser.findElement(By.id("summary")).getText()).contains("stable").contains("token ").contains(first);
        assertThat(browser.findElement(By.id("verdict")).getText()).contains("Every registry has every immutable tag of 1.0.0");
        String digest = browser.findElement(By.cssSelector("#images tr.published code")).getText();
        shot("published");

        browser.get(fixture.url("/releases"));
        browser.findElement(By.id("q")).sendKeys(digest.substring(7, 19));
        browser.findElement(By.cssSelector("#search button")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("results")));
        assertThat(browser.findElement(By.id("results")).getText()).contains(first).contains(second); // same bytes, both versions
        shot("search");
    }

    @Test
    void aReleaseWhoseTagsWereAlreadyInPlaceIsCompleteNotAFalseAlarm() throws Exception {
        open(Map.of(), Role.RELEASER);
        cli("release", "-f", dir.resolve("cutter.yaml").toString(), "--version", "2.0.0", "--ledger", dir.resolve("elsewhere.db").toString());
        String run = releaseFromTheForm("2.0.0", Map.of(), null);
        wait.until(d -> d.findElement(By.id("run-state")).getText().equals("succeeded"));
        browser.get(fixture.url("/releases/demo/2.0.0"));
        assertThat(browser.findElement(By.id("verdict")).getText()).contains("Every registry has every immutable tag of 2.0.0");
        assertThat(browser.findElement(By.id("registries")).getText()).contains("2 of 2").doesNotContain("0 of");
        assertThat(browser.findElements(By.cssSelector("#images tr.unpublished"))).isEmpty();
        shot("published-already-in-place");
        assertThat(run).startsWith("r");
    }

    @Test
    void cancelShowsOnlyOnTheServersOwnRunsAndTheAuditTrailHasTheCommandLinesReleases() throws Exception {
        open(Map.of("NAP", "30"), Role.ADMIN);
        String mine = fixture.post("/api/releases", fixture.token(Role.RELEASER), "{\"version\": \"6.0.0\"}").json().get("run").asText();
        var theirs = fixture.server.ledger.startRun(new NewRun(RunKind.RELEASE, "demo", "6.0.1", "v6.0.1", "stable", "sha256:" + "cd".repeat(32),
                "{}", List.of(new JobSeed("build/app", "build")), "ci-runner-7", 4242));
        browser.get(fixture.url("/runs/" + theirs.id()));
        assertThat(browser.findElements(By.id("cancel"))).as("a run of another process").isEmpty();
        assertThat(browser.findElement(By.id("elsewhere")).getText()).contains("pid 4242 on ci-runner-7").contains("--resume");
        shot("run-elsewhere");
        browser.get(fixture.url("/runs/" + mine));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("cancel")));
        browser.findElement(By.id("cancel")).click();
        // the answer ("cancelling run …"), or the run's page drawn again as the run ended: both say it stopped
        wait.until(d -> d.getPageSource().contains("cancelling run " + mine) || d.getPageSource().contains("state-cancelled"));
        wait.until(d -> {
            try {
                return fixture.get("/api/runs/" + mine, fixture.token(Role.VIEWER)).json().get("state").asText().equals("cancelled");
            } catch (Exception e) {
                return false;
            }
        });

        fixture.close();
        fixture = new ServerFixture(Files.createDirectories(dir.resolve("second")), Map.of());
        Path second = fixture.dir;
        cli(second, "release", "-f", second.resolve("cutter.yaml").toString(), "--version", "7.0.0");
        browser.get(fixture.url("/login"));
        browser.findElement(By.id("token")).sendKeys(fixture.token(Role.ADMIN));
        browser.findElement(By.id("login")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("runs"))); // signed in: the session cookie is set
        browser.get(fixture.url("/audit"));
        assertThat(browser.findElement(By.id("audit")).getText()).contains("cli (").contains("release").contains("demo 7.0.0").contains("released r");
        shot("audit");
        browser.get(fixture.url("/healthz"));
        assertThat(browser.getPageSource()).contains("\"status\":\"ok\"");
    }

    void cli(String... args) {
        cli(dir, args);
    }

    static void cli(Path dir, String... args) {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("DEMO_SECRET", ServerFixture.SECRET);
        env.put("SOURCE_DATE_EPOCH", "1700000000");
        env.put("CI", "true");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Cutter.commandLine(new PrintWriter(out, true), new PrintWriter(err, true), new Services(env, Clock.systemUTC(), dir))
                .execute(args);
        assertThat(exit).as(out + "\n" + err).isZero();
    }
}
