package dev.cutter.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutter.testing.FakeGitHub;
import dev.cutter.testing.GitDaemon;
import dev.cutter.testing.LocalRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A component release that requires upstream releases (requires: … wait:) against real things: a
 * git tag on a bare remote, an image tag in docker-registry on loopback, and a release of the
 * labelled GitHub fake. The release waits for them before its first job; one that appears while it
 * waits lets it go on, one that never does stops it in bounded time with nothing tagged (exit 4).
 */
@Tag("e2e")
class RequiresReleaseTest {
    static final Map<String, String> ENV = Map.of("SOURCE_DATE_EPOCH", "1767323045");

    @TempDir
    Path tmp;

    Path project;
    Path origin;
    Path remotes;
    LocalRegistry registry;
    FakeGitHub kata;

    @BeforeEach
    void aProjectWithAnOriginAndItsUpstreams() throws Exception {
        remotes = Files.createDirectories(tmp.resolve("remotes"));
        registry = LocalRegistry.start();
        kata = new FakeGitHub("kata-containers/kata-containers");
        project = Files.createDirectories(tmp.resolve("app"));
        Files.writeString(project.resolve("versions.yaml"), "upstream:\n  version: main\n");
        origin = remotes.resolve("app.git");
        Files.createDirectories(origin);
        Projects.git(origin, "init", "-q", "--bare");
    }

    @AfterEach
    void stop() throws Exception {
        registry.close();
        kata.close();
    }

    /** The project's spec with its requirements' {@code wait}, committed and pushed to its origin. */
    private void spec(String wait) throws Exception {
        Files.writeString(project.resolve("cutter.yaml"), """
                project: app
                vars:
                  UPSTREAM: "https://github.com/acme"
                  REGISTRY: "quay.io"
                  DEP: "1.4.0"
                registries:
                  up: { url: "{vars.REGISTRY}" }
                components:
                  - id: lib
                    tag: "lib/v{version}"
                requires:
                  - id: dep
                    git: "{vars.UPSTREAM}/dep.git"
                    tag: "v{vars.DEP}"
                    component: lib
                    wait: WAIT
                  - id: dep-image
                    image: "up/acme/dep"
                    tag: "v{vars.DEP}"
                    component: lib
                    wait: WAIT
                  - id: kata
                    release: "github:kata-containers/kata-containers"
                    tag: "3.6.0"
                    component: lib
                    wait: WAIT
                pins:
                  - id: dep
                    file: versions.yaml
                    yaml: upstream.version
                    value: "{vars.DEP}"
                    component: lib
                """.replace("WAIT", wait));
        Projects.git(project, "init", "-q", "-b", "main");
        Projects.git(project, "add", "-A");
        Projects.git(project, "commit", "-q", "-m", "app");
        Projects.git(project, "remote", "add", "origin", origin.toString());
        Projects.git(project, "push", "-q", "origin", "main");
    }

    private CutterProcess.Result release() {
        return release(remotes);
    }

    /** The component's release, its git upstreams under {@code upstream}. */
    private CutterProcess.Result release(Path upstream) {
        Map<String, String> env = new java.util.HashMap<>(ENV);
        env.put("GITHUB_API_URL", kata.url()); // the labelled fake of GitHub's API
        return CutterProcess.inProcess(project, env, "release", "--component", "lib", "--version", "1.0.0",
                "--var", "UPSTREAM=" + upstream, "--var", "REGISTRY=" + registry.address());
    }

    private String originRefs() throws Exception {
        return PeerPodsReleaseTest.git(tmp, "ls-remote", origin.toString());
    }

    @Test
    void upstreamsThatAppearWhileTheReleaseWaitsAreWaitedForAndNothingIsTaggedBeforeThem() throws Exception {
        spec("2m");
        Upstreams.gitTag(remotes, "dep", "v1.3.0"); // the upstream's remote, with its last release
        String before = originRefs();
        CompletableFuture<String> published = CompletableFuture.supplyAsync(() -> {
            try {
                // the upstreams release a little after the release started waiting: the test asserts each was
                // first seen missing, and a look at a file remote or at docker-registry (logging at warn) leaves
                // no trace to wait for; --all's test below waits on the git daemon's request log instead
                Thread.sleep(3000);
                String seen = originRefs();
                Upstreams.gitTag(remotes, "dep", "v1.4.0");
                Upstreams.imageTag(registry, "acme/dep", "v1.4.0", tmp);
                kata.publishByHand("3.6.0", "3.6.0", "", Map.of());
                return seen;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });

        long start = System.nanoTime();
        CutterProcess.Result result = release();

        String out = result.out() + result.err();
        assertThat(result.exit()).as(out).isZero();
        assertThat(published.get(1, TimeUnit.MINUTES)).as("nothing pushed while the release waited").isEqualTo(before);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(90));
        assertThat(out).contains("git tag v1.4.0 of " + remotes + "/dep.git: not there yet; waiting up to 2m")
                .contains("image " + registry.address() + "/acme/dep:v1.4.0: not there yet; waiting up to 2m")
                .contains("release 3.6.0 of github:kata-containers/kata-containers: not there yet; waiting up to 2m")
                .contains("git tag v1.4.0 of " + remotes + "/dep.git: there after");
        assertThat(originRefs()).contains("refs/tags/lib/v1.0.0");
        assertThat(PeerPodsReleaseTest.git(tmp, "--git-dir", origin.toString(), "show", "lib/v1.0.0:versions.yaml"))
                .contains("version: 1.4.0");
    }

    /**
     * {@code release --all} of two components, each requiring an upstream that is out only once both
     * were asked for (the upstreams' git daemon tells the test each request): both are waited for in
     * one wait before the first module tag. Waiting component by component, the second upstream is
     * never asked while the first waits, and the release stops when the first's wait is over.
     */
    @Test
    void releaseAllWaitsForEveryComponentsUpstreamsAtOnce() throws Exception {
        Files.writeString(project.resolve("cutter.yaml"), """
                project: app
                vars:
                  UPSTREAM: "https://github.com/acme"
                components:
                  - id: lib
                    tag: "lib/v{version}"
                  - id: cli
                    tag: "cli/v{version}"
                    needs: [lib]
                requires:
                  - id: dep
                    git: "{vars.UPSTREAM}/dep.git"
                    tag: "v1.4.0"
                    component: lib
                    wait: 20s
                  - id: tool
                    git: "{vars.UPSTREAM}/tool.git"
                    tag: "v2.0.0"
                    component: cli
                    wait: 20s
                """);
        Projects.git(project, "init", "-q", "-b", "main");
        Projects.git(project, "add", "-A");
        Projects.git(project, "commit", "-q", "-m", "app");
        Projects.git(project, "remote", "add", "origin", origin.toString());
        Projects.git(project, "push", "-q", "origin", "main");
        Upstreams.gitTag(remotes, "dep", "v1.3.0"); // the upstreams' remotes, with their last releases
        Upstreams.gitTag(remotes, "tool", "v1.9.0");
        Path requests = tmp.resolve("requests");
        Files.writeString(requests, "");
        String before = originRefs();
        try (GitDaemon upstreams = new GitDaemon(remotes, requests)) {
            CompletableFuture<String> published = CompletableFuture.supplyAsync(() -> {
                try {
                    long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                    while (!asked(requests, "/dep.git") || !asked(requests, "/tool.git")) {
                        if (System.nanoTime() > until) {
                            return "not both asked for: " + Files.readString(requests);
                        }
                        Thread.sleep(50); // polling the daemon's request log
                    }
                    String seen = originRefs();
                    Upstreams.gitTag(remotes, "dep", "v1.4.0"); // out once both were asked for
                    Upstreams.gitTag(remotes, "tool", "v2.0.0");
                    return seen;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });

            long start = System.nanoTime();
            CutterProcess.Result result = CutterProcess.inProcess(project, ENV, "release", "--all", "--version", "1.0.0",
                    "--var", "UPSTREAM=git://127.0.0.1:" + upstreams.port);

            String out = result.out() + result.err();
            assertThat(result.exit()).as(out).isZero();
            assertThat(published.get(1, TimeUnit.MINUTES)).as("nothing pushed while the release waited").isEqualTo(before);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(60));
            String dep = "git tag v1.4.0 of git://127.0.0.1:" + upstreams.port + "/dep.git: ";
            String tool = "git tag v2.0.0 of git://127.0.0.1:" + upstreams.port + "/tool.git: ";
            assertThat(out).contains(dep + "not there yet; waiting up to 20s").contains(tool + "not there yet; waiting up to 20s")
                    .contains(dep + "there after").contains(tool + "there after");
            assertThat(originRefs()).contains("refs/tags/lib/v1.0.0").contains("refs/tags/cli/v1.0.0");
        }
    }

    private static boolean asked(Path requests, String repository) throws java.io.IOException {
        return Files.readString(requests).lines().anyMatch(l -> l.endsWith(repository));
    }

    @Test
    void upstreamsThatNeverAppearStopTheReleaseInBoundedTimeNamingEachWithNothingChanged() throws Exception {
        spec("3s");
        Upstreams.gitTag(remotes, "dep", "v1.3.0"); // an older release only
        String before = originRefs();
        String versions = Files.readString(project.resolve("versions.yaml"));

        long start = System.nanoTime();
        CutterProcess.Result result = release();

        String out = result.out() + result.err();
        assertThat(result.exit()).as(out).isEqualTo(4);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
        assertThat(out).contains("an upstream release this release requires is not there; nothing was done")
                .contains("git tag v1.4.0 of " + remotes + "/dep.git: not there after waiting 3s")
                .contains("image " + registry.address() + "/acme/dep:v1.4.0: not there after waiting 3s")
                .contains("release 3.6.0 of github:kata-containers/kata-containers: not there after waiting 3s");
        assertThat(originRefs()).isEqualTo(before);
        assertThat(Files.readString(project.resolve("versions.yaml"))).isEqualTo(versions);
        assertThat(PeerPodsReleaseTest.git(project, "status", "--porcelain", "--untracked-files=no")).as("no pin made").isEmpty();
        assertThat(PeerPodsReleaseTest.git(project, "tag", "-l")).isEmpty();
    }

    @Test
    void aRemoteThatDoesNotAnswerIsNamedWithWhatItSaid() throws Exception {
        spec("2s");

        CutterProcess.Result result = release(tmp.resolve("nowhere"));

        String out = result.out() + result.err();
        assertThat(result.exit()).as(out).isEqualTo(4);
        assertThat(out).contains("git tag v1.4.0 of " + tmp.resolve("nowhere") + "/dep.git: no answer after waiting 2s")
                .contains("the last: cannot open " + tmp.resolve("nowhere") + "/dep.git")
                .doesNotContain("internal error");
    }
}
