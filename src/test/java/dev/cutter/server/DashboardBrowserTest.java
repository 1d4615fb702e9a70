package dev.cutter.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutter.testing.Tools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in Debian's headless Chromium, driven by Selenium through Debian's chromedriver
 * (given by path, so Selenium Manager never looks for one on the network): log in, release from
 * the form, watch the job states change live, read what was published, promote with confirmation.
 * Screenshots go to {@code target/screenshots/}.
 */
@Tag("e2e")
class DashboardBrowserTest {
    static final Path SHOTS = Path.of("target", "screenshots");

    @TempDir
    Path dir;

    @TempDir
    Path profile;

    ServerFixture fixture;
    WebDriver browser;
    WebDriverWait wait;

    @BeforeEach
    void start() throws Exception {
        // the build sleeps 2 s, long enough to see it running before it succeeds
        fixture = new ServerFixture(dir, Map.of("NAP", "2"));
        browser = chromium(profile);
        wait = new WebDriverWait(browser, Duration.ofSeconds(60));
        Files.createDirectories(SHOTS);
    }

    /** Debian's headless Chromium through its chromedriver, with its profile in {@code profile}; fails naming the package when missing. */
    static WebDriver chromium(Path profile) {
        Path chromium = Tools.require("chromium", "chromium");
        Path chromedriver = Tools.require("chromedriver", "chromium-driver");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(chromedriver.toFile())
                .usingAnyFreePort().build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                "--user-data-dir=" + profile, "--window-size=1400,1000");
        return new ChromeDriver(service, options);
    }

    @AfterEach
    void stop() {
        if (browser != null) {
            browser.quit();
            browser = null;
        }
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void aReleaserLogsInReleasesWatchesItLiveSeesWhereItWentAndPromotesItAfterConfirming() throws Exception {
        browser.get(fixture.url("/"));
        assertThat(browser.getCurrentUrl()).contains("/login");
        browser.findElement(By.id("token")).sendKeys(fixture.token(Role.RELEASER));
        browser.findElement(By.id("login")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("runs")));
        shot("1-runs-empty");

        browser.get(fixture.url("/release"));
        browser.findElement(By.id("version")).sendKeys("7.0.0-rc1");
        browser.findElement(By.id("review")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("confirm")));
        browser.findElement(By.id("confirm")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#run[data-run]")));
        ((JavascriptExecutor) browser).executeScript("window.sameDocument = true;");
        String appNode = "g.node[data-job='build/app']";
        wait.until(d -> d.findElement(By.cssSelector(appNode)).getAttribute("class").contains("state-running"));
        shot("2-run-live");
        wait.until(d -> d.findElement(By.cssSelector("#run-state")).getText().equals("succeeded"));
        assertThat(browser.findElement(By.cssSelector(appNode)).getAttribute("class")).contains("state-succeeded");
        assertThat(((JavascriptExecutor) browser).executeScript("return window.sameDocument === true;"))
                .as("the states changed without a reload").isEqualTo(true);
        wait.until(d -> d.findElement(By.id("log")).getText().contains("built with ***"));
        assertThat(browser.findElement(By.cssSelector("#jobs tr[data-job='push/app'] .job-state")).getText()).isEqualTo("succeeded");
        assertThat(browser.getPageSource()).doesNotContain(ServerFixture.SECRET);
        shot("3-run-finished");

        browser.get(fixture.url("/releases/demo/7.0.0-rc1"));
        assertThat(browser.findElement(By.id("verdict")).getText()).contains("Every registry has every immutable tag of 7.0.0-rc1");
        assertThat(browser.findElement(By.id("registries")).getText()).contains("oci:oci-main").contains("oci:oci-mirror");
        shot("4-published");

        browser.get(fixture.url("/promote"));
        browser.findElement(By.id("from")).sendKeys("7.0.0-rc1");
        browser.findElement(By.id("to")).sendKeys("7.0.0");
        browser.findElement(By.id("review")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("confirm")));
        assertThat(browser.findElement(By.id("candidate")).getText()).contains("succeeded");
        assertThat(browser.findElement(By.id("targets")).getText()).contains("oci:oci-main/demo/app").contains("7.0.0, latest");
        assertThat(fixture.get("/api/runs?limit=10", fixture.token(Role.VIEWER)).json().get("runs")).as("nothing before confirming").hasSize(1);
        shot("5-promote-confirm");
        browser.findElement(By.id("confirm")).click();
        wait.until(d -> d.findElement(By.cssSelector("#run-state")).getText().equals("succeeded"));
        shot("6-promoted");

        browser.get(fixture.url("/releases/demo/7.0.0"));
        assertThat(browser.findElement(By.id("verdict")).getText()).contains("Every registry has every immutable tag of 7.0.0");
        browser.get(fixture.url("/"));
        assertThat(browser.findElements(By.cssSelector("#runs tbody tr"))).hasSize(2);
        shot("7-runs");
    }

    void shot(String name) throws Exception {
        Files.write(SHOTS.resolve("dashboard-" + name + ".png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }
}
