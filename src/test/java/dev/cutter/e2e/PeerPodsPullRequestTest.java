package dev.cutter.e2e;

import static dev.cutter.e2e.PeerPodsReleaseTest.ORDER;
import static dev.cutter.e2e.PeerPodsReleaseTest.git;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cutter.testing.FakeForge;
import dev.cutter.testing.FakeGitHub;
import dev.cutter.testing.FakeGitLab;
import dev.cutter.testing.FakeGitea;
import dev.cutter.testing.FakePulls;
import dev.cutter.testing.GitDaemon;
import dev.cutter.testing.LocalRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The peer pods seed (shared/seeds/003) where main is protected, as the seed's is during a release:
 * the bare remote {@code upstream} refuses direct pushes to main with a real pre-receive hook, and
 * pins reach it through pull requests on {@link FakeGitHub} (a fake of GitHub's API, merging into
 * that bare repository for real). Pins by pull request, tags in order on the merged pinned commits,
 * the revert after them by pull request; a pull request closed, failing its checks or not merged in
 * time stops the release with nothing tagged after it; a resumed run finds its pull request.
 */
@Tag("e2e")
class PeerPodsPullRequestTest {
    @TempDir
    Path tmp;

    Path project;
    Path remote;
    GitDaemon daemon;
    LocalRegistry quay;
    FakeGitHub github;
    FakePulls pulls;

    @BeforeEach
    void aProtectedRemoteAndItsForge() throws Exception {
        project = Projects.copy("peer-pods", tmp.resolve("caa"));
        remote = Files.createDirectories(tmp.resolve("remotes")).resolve("caa.git");
        git(tmp, "init", "-q", "--bare", remote.toString());
        Path hook = remote.resolve("hooks/update"); // called once per ref, in the order a push sends them
        Files.writeString(hook, "#!/bin/sh\necho \"$1\" >> \"" + tmp.resolve("arrivals") + "\"\n");
        hook.toFile().setExecutable(true);
        daemon = new GitDaemon(tmp.resolve("remotes"), tmp.resolve("requests")); // the upstreams' remotes too: each request told
        Projects.git(project, "remote", "add", "upstream", daemon.url("caa.git"));
        route("pull-request", "30s");
        Projects.git(project, "commit", "-q", "-am", "the seed's route");
        Projects.git(project, "push", "-q", "upstream", "main");
        github = new FakeGitHub("confidential-containers/cloud-api-adaptor");
        github.token("writer", FakeForge.Access.WRITE);
        pulls = github.pulls(remote).protect("main");
        quay = LocalRegistry.start();
        Upstreams.gitTag(tmp.resolve("remotes"), "confidential-containers/guest-components", "v0.10.0"); // what the example requires
        Upstreams.gitTag(tmp.resolve("remotes"), "confidential-containers/trustee", "v0.10.1");
        Upstreams.gitTag(tmp.resolve("remotes"), "kata-containers/kata-containers", "3.6.0");
        Upstreams.imageTag(quay, "confidential-containers/operator", "v0.10.0", tmp);
        Files.deleteIfExists(tmp.resolve("arrivals")); // what the release sends, from here
    }

    @AfterEach
    void stop() throws Exception {
        daemon.close();
        quay.close();
        github.close();
    }

    /** The seed's route, written into the spec as a user would. */
    private void route(String via, String wait) throws Exception {
        route(via, wait, "github:confidential-containers/cloud-api-adaptor");
    }

    private void route(String via, String wait, String forge) throws Exception {
        Path spec = project.resolve("cutter.yaml");
        String text = Files.readString(spec).replaceAll("(?s)\ngit:\n.*\\z", "\n");
        Files.writeString(spec, text + "git:\n  remote: upstream\n  branch: main\n  via: " + via + "\n"
                + "  forge: " + forge + "\n  wait: " + wait + "\n  poll: 1s\n");
    }

    /** The forge's API and token in the release's environment (GitHub's by default). */
    Map<String, String> forgeEnv;

    private CutterProcess.Result releaseAll(String version, String... more) throws Exception {
        Map<String, String> env = new HashMap<>(PeerPodsReleaseTest.ENV);
        env.putAll(forgeEnv != null ? forgeEnv : Map.of("GITHUB_API_URL", github.url(), "GITHUB_TOKEN", "writer"));
        List<String> args = new ArrayList<>(List.of("release", "--all", "--version", version, "--var", "QUAY=" + quay.address(),
                "--var", "GO=" + fakeGo(), "--var", "GITHUB=git://127.0.0.1:" + daemon.port));
        args.addAll(List.of(more));
        return CutterProcess.inProcess(project, env, args.toArray(String[]::new));
    }

    /** How many requests the git daemon has served for the repository {@code REPO.git}. */
    private long requests(String repo) throws IOException {
        Path log = tmp.resolve("requests");
        return Files.exists(log) ? Files.readAllLines(log).stream().filter(l -> l.endsWith("/" + repo + ".git")).count() : 0;
    }

    private String fakeGo() throws IOException {
        Path go = tmp.resolve("bin/go");
        if (!Files.exists(go)) {
            Files.createDirectories(go.getParent());
            Files.writeString(go, "#!/bin/sh\n[ \"$1 $2\" = \"mod tidy\" ] || exit 2\n"
                    + "sed -n 's/^require \\([^ ]*\\) \\(v[^ ]*\\).*/\\1 \\2 h1:tidied=/p' go.mod > go.sum\n");
            go.toFile().setExecutable(true);
        }
        return go.toString();
    }

    private String onRemote(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("--git-dir", remote.toString()));
        all.addAll(List.of(args));
        return git(tmp, all.toArray(String[]::new));
    }

    @Test
    void theWholeSeedThroughPullRequestsTagsTheMergedPinnedCommitsInOrderAndRevertsAfterByPullRequest() throws Exception {
        String head = git(project, "rev-parse", "HEAD").strip();

        CutterProcess.Result alpha = releaseAll("0.10.0-alpha.1");

        assertThat(alpha.exit()).as(alpha.out() + alpha.err()).isZero();
        List<String> tags = new ArrayList<>(ORDER.stream().map(m -> "refs/tags/src/" + m + "/v0.10.0-alpha.1").toList());
        tags.add("refs/tags/v0.10.0-alpha.1");
        List<String> arrivals = Files.readAllLines(tmp.resolve("arrivals"));
        assertThat(arrivals).filteredOn(r -> r.startsWith("refs/tags/")).containsExactlyElementsOf(tags);
        assertThat(arrivals).as("main is never pushed to: it moves by merges only").doesNotContain("refs/heads/main");
        assertThat(pulls.all()).extracting(p -> p.branch + " " + p.state).containsExactly(
                "cutter/cloud-api-adaptor/0.10.0-alpha.1/pins-cloud-api-adaptor merged",
                "cutter/cloud-api-adaptor/0.10.0-alpha.1/pins-csi-wrapper merged",
                "cutter/cloud-api-adaptor/0.10.0-alpha.1/revert merged");
        assertThat(pulls.all().get(0).body).as("the changes listed").contains("- src/cloud-api-adaptor/versions.yaml: oci.kata-containers.reference = 3.6.0")
                .contains("- then: ");
        // the seed's order on the remote: each pins commit merged, its tags on the merge, the revert merged after them all
        String graph = onRemote("log", "--graph", "--format=%s%d", "main");
        assertThat(graph.lines().map(String::stripTrailing).toList()).as(graph).startsWith(
                "*   Merge pull request #3 from cutter/cloud-api-adaptor/0.10.0-alpha.1/revert (main)",
                "|\\",
                "| * Revert pins after v0.10.0-alpha.1 (cutter/cloud-api-adaptor/0.10.0-alpha.1/revert)",
                "|/",
                "*   Merge pull request #2 from cutter/cloud-api-adaptor/0.10.0-alpha.1/pins-csi-wrapper (tag: v0.10.0-alpha.1,"
                        + " tag: src/webhook/v0.10.0-alpha.1, tag: src/csi-wrapper/v0.10.0-alpha.1)",
                "|\\",
                "| * Pin csi-wrapper 0.10.0-alpha.1 (cutter/cloud-api-adaptor/0.10.0-alpha.1/pins-csi-wrapper)",
                "|/",
                "*   Merge pull request #1 from cutter/cloud-api-adaptor/0.10.0-alpha.1/pins-cloud-api-adaptor"
                        + " (tag: src/cloud-api-adaptor/v0.10.0-alpha.1)",
                "|\\",
                "| * Pin cloud-api-adaptor 0.10.0-alpha.1 (cutter/cloud-api-adaptor/0.10.0-alpha.1/pins-cloud-api-adaptor)",
                "|/",
                "* the seed's route (tag: src/peerpod-ctrl/v0.10.0-alpha.1, tag: src/cloud-providers/v0.10.0-alpha.1)");
        assertThat(onRemote("show", "v0.10.0-alpha.1:src/cloud-api-adaptor/install/overlays/aws/kustomization.yaml"))
                .as("the version tag is on the pinned tree").contains("    newTag: " + head);
        assertThat(git(project, "rev-parse", "HEAD").strip()).as("the checkout follows the merges")
                .isEqualTo(onRemote("rev-parse", "main").strip());

        int before = pulls.all().size();
        CutterProcess.Result again = releaseAll("0.10.0-alpha.1");
        assertThat(again.exit()).as(again.out() + again.err()).isZero();
        assertThat(pulls.all()).as("nothing to pin again, nothing opened").hasSize(before);

        // then the release, pinning a trustee that is out only once the release has asked for it
        long asked = requests("confidential-containers/trustee");
        java.util.concurrent.CompletableFuture<String> trustee = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                long until = System.nanoTime() + java.time.Duration.ofSeconds(60).toNanos();
                while (requests("confidential-containers/trustee") == asked) {
                    if (System.nanoTime() > until) {
                        return "trustee was never asked for";
                    }
                    Thread.sleep(50); // polling the daemon's request log
                }
                String taggedThen = onRemote("tag", "-l", "*v0.10.0");
                Upstreams.gitTag(tmp.resolve("remotes"), "confidential-containers/trustee", "v0.11.0");
                return taggedThen;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        String released = git(project, "rev-parse", "HEAD").strip(); // {sha} of the release
        CutterProcess.Result release = releaseAll("0.10.0", "--var", "KBS=v0.11.0");
        assertThat(release.exit()).as(release.out() + release.err()).isZero();
        assertThat(trustee.get(1, java.util.concurrent.TimeUnit.MINUTES)).as("nothing tagged before trustee was out").isEmpty();
        assertThat(release.out()).contains("git tag v0.11.0 of git://127.0.0.1:" + daemon.port
                + "/confidential-containers/trustee: not there yet").contains("/confidential-containers/trustee: there after");
        assertThat(onRemote("show", "v0.10.0:src/cloud-api-adaptor/versions.yaml")).contains("    tag: v0.11.0");
        // the whole seed on the remote, alpha then release: for each, pins merged, tags on the merge, the revert merged after
        String whole = onRemote("log", "--graph", "--format=%s%d", "main");
        assertThat(whole.lines().map(String::stripTrailing).toList()).as(whole).containsExactly(
                "*   Merge pull request #5 from cutter/cloud-api-adaptor/0.10.0/revert (main)",
                "|\\",
                "| * Revert pins after v0.10.0 (cutter/cloud-api-adaptor/0.10.0/revert)",
                "|/",
                "*   Merge pull request #4 from cutter/cloud-api-adaptor/0.10.0/pins-cloud-api-adaptor (tag: v0.10.0,"
                        + " tag: src/webhook/v0.10.0, tag: src/csi-wrapper/v0.10.0, tag: src/cloud-api-adaptor/v0.10.0)",
                "|\\",
                "| * Pin cloud-api-adaptor 0.10.0 (cutter/cloud-api-adaptor/0.10.0/pins-cloud-api-adaptor)",
                "|/",
                "*   Merge pull request #3 from cutter/cloud-api-adaptor/0.10.0-alpha.1/revert"
                        + " (tag: src/peerpod-ctrl/v0.10.0, tag: src/cloud-providers/v0.10.0)",
                "|\\",
                "| * Revert pins after v0.10.0-alpha.1 (cutter/cloud-api-adaptor/0.10.0-alpha.1/revert)",
                "|/",
                "*   Merge pull request #2 from cutter/cloud-api-adaptor/0.10.0-alpha.1/pins-csi-wrapper (tag: v0.10.0-alpha.1,"
                        + " tag: src/webhook/v0.10.0-alpha.1, tag: src/csi-wrapper/v0.10.0-alpha.1)",
                "|\\",
                "| * Pin csi-wrapper 0.10.0-alpha.1 (cutter/cloud-api-adaptor/0.10.0-alpha.1/pins-csi-wrapper)",
                "|/",
                "*   Merge pull request #1 from cutter/cloud-api-adaptor/0.10.0-alpha.1/pins-cloud-api-adaptor"
                        + " (tag: src/cloud-api-adaptor/v0.10.0-alpha.1)",
                "|\\",
                "| * Pin cloud-api-adaptor 0.10.0-alpha.1 (cutter/cloud-api-adaptor/0.10.0-alpha.1/pins-cloud-api-adaptor)",
                "|/",
                "* the seed's route (tag: src/peerpod-ctrl/v0.10.0-alpha.1, tag: src/cloud-providers/v0.10.0-alpha.1)",
                "* release");
        assertThat(onRemote("show", "v0.10.0:src/cloud-api-adaptor/install/overlays/aws/kustomization.yaml"))
                .as("the release's tree has its image pinned").contains("    newTag: " + released);
        assertThat(onRemote("show", "main:src/cloud-api-adaptor/install/overlays/aws/kustomization.yaml"))
                .as("main is back on the latest images").doesNotContain(released);
    }

    @Test
    void gitLabMergeRequestsAndGiteaPullRequestsCarryTheSeedAlikeOnceTheirChecksPassed() throws Exception {
        String[][] forges = {{"gitlab", "0.10.0-alpha.2"}, {"gitea", "0.10.0-alpha.3"}};
        for (String[] forge : forges) {
            FakeForge fake = forge[0].equals("gitlab") ? new FakeGitLab("confidential-containers/cloud-api-adaptor")
                    : new FakeGitea("confidential-containers/cloud-api-adaptor");
            try (fake) {
                fake.token("writer", FakeForge.Access.WRITE);
                FakePulls theirs = fake.pulls(remote).checksOnOpen(FakePulls.Checks.SUCCESS);
                route("pull-request", "30s", forge[0].equals("gitlab") ? "gitlab:confidential-containers/cloud-api-adaptor"
                        : "gitea:" + fake.address() + "/confidential-containers/cloud-api-adaptor");
                Projects.git(project, "commit", "-q", "-am", "pins through " + forge[0]);
                pushAsAnAdmin();
                forgeEnv = forge[0].equals("gitlab") ? Map.of("CI_API_V4_URL", fake.url() + "/api/v4", "GITLAB_TOKEN", "writer")
                        : Map.of("GITEA_TOKEN", "writer");

                CutterProcess.Result released = releaseAll(forge[1]);

                assertThat(released.exit()).as(forge[0] + ": " + released.out() + released.err()).isZero();
                // the second version's csi-wrapper pins are the first's, already on main: nothing to open for them
                assertThat(theirs.all()).extracting(p -> p.branch.replaceAll(".*/", "") + " " + p.state).containsExactlyElementsOf(
                        forge[0].equals("gitlab") ? List.of("pins-cloud-api-adaptor merged", "pins-csi-wrapper merged", "revert merged")
                                : List.of("pins-cloud-api-adaptor merged", "revert merged"));
                assertThat(onRemote("rev-parse", "v" + forge[1] + "^{commit}").strip())
                        .isEqualTo(onRemote("rev-parse", "src/csi-wrapper/v" + forge[1] + "^{commit}").strip())
                        .isEqualTo(onRemote("rev-parse", "main^1").strip());
                assertThat(onRemote("log", "-1", "--format=%s", "main^2").strip()).isEqualTo("Revert pins after v" + forge[1]);
            }
        }
    }

    @Test
    void aTokenThatMayOnlyReadIsToldBeforeAnythingIsTagged() throws Exception {
        github.token("reader", FakeForge.Access.READ);
        forgeEnv = Map.of("GITHUB_API_URL", github.url(), "GITHUB_TOKEN", "reader");

        CutterProcess.Result refused = releaseAll("0.11.0");

        assertThat(refused.exit()).as(refused.out() + refused.err()).isEqualTo(4);
        assertThat(refused.out() + refused.err()).contains("github:confidential-containers/cloud-api-adaptor")
                .contains("GITHUB_TOKEN").contains("pull requests: write");
        assertThat(onRemote("tag", "-l")).isEmpty();
        assertThat(pulls.all()).isEmpty();
    }

    @Test
    void aResumedRunFindsItsPullRequestMergedMeanwhileAndTagsTheMergeWithoutASecondPinCommit() throws Exception {
        pulls.reviewRequired(true); // the token may open but not merge: a person has to
        route("pull-request", "3s");
        Projects.git(project, "commit", "-q", "-am", "pins wait for a review");
        pushAsAnAdmin();

        CutterProcess.Result waited = releaseAll("0.13.0");

        assertThat(waited.exit()).as(waited.out() + waited.err()).isEqualTo(4);
        assertThat(waited.out() + waited.err()).contains("pull request #1").contains("was not merged within 3s")
                .contains("At least 1 approving review is required");
        assertThat(onRemote("tag", "-l", "src/cloud-api-adaptor/*", "v*")).isEmpty();
        String runId = lastRun(waited);
        Map<String, String> env = Map.of("SOURCE_DATE_EPOCH", "1767323045", "GITHUB_API_URL", github.url(), "GITHUB_TOKEN", "writer");

        CutterProcess.Result stillOpen = CutterProcess.inProcess(project, env, "release", "--resume", runId);
        assertThat(stillOpen.exit()).as(stillOpen.out() + stillOpen.err()).isEqualTo(4);
        assertThat(stillOpen.out() + stillOpen.err()).as("the open pull request taken up again").contains("pull request #1")
                .contains("cutter/cloud-api-adaptor/0.13.0/pins-cloud-api-adaptor found");
        assertThat(pulls.all()).as("no second pull request while the first is open").hasSize(1);

        pulls.mergeByHand(1);
        CutterProcess.Result resumed = CutterProcess.inProcess(project, env, "release", "--resume", runId);

        assertThat(resumed.exit()).as(resumed.out() + resumed.err()).isZero();
        assertThat(pulls.all()).hasSize(1);
        assertThat(onRemote("rev-parse", "src/cloud-api-adaptor/v0.13.0^{commit}")).as("the tag is on the merge")
                .isEqualTo(onRemote("rev-parse", "main"));
        assertThat(onRemote("log", "--format=%s", "main").lines().filter(m -> m.startsWith("Pin cloud-api-adaptor"))).hasSize(1);

        pulls.reviewRequired(false); // the review rule lifted: Cutter merges the rest itself
        CutterProcess.Result rest = releaseAll("0.13.0");
        assertThat(rest.exit()).as(rest.out() + rest.err()).isZero();
        assertThat(pulls.all()).extracting(p -> p.branch).containsExactly("cutter/cloud-api-adaptor/0.13.0/pins-cloud-api-adaptor",
                "cutter/cloud-api-adaptor/0.13.0/pins-csi-wrapper", "cutter/cloud-api-adaptor/0.13.0/revert");
    }

    @Test
    void aPullRequestClosedWithoutMergeStopsTheReleaseWithNothingTaggedAfterIt() throws Exception {
        pulls.onOpen(p -> p.state = "closed"); // a reviewer refuses the pins

        CutterProcess.Result closed = releaseAll("0.11.0");

        assertThat(closed.exit()).as(closed.out() + closed.err()).isEqualTo(3);
        assertThat(closed.out() + closed.err()).contains("pull request #1").contains("was closed without being merged");
        assertThat(onRemote("tag", "-l", "src/cloud-api-adaptor/*", "src/csi-wrapper/*", "v*")).isEmpty();
    }

    @Test
    void checksFailingOnThePullRequestStopTheReleaseWithNothingTaggedAfterIt() throws Exception {
        pulls.checksOnOpen(FakePulls.Checks.FAILURE);

        CutterProcess.Result failed = releaseAll("0.11.0");

        assertThat(failed.exit()).as(failed.out() + failed.err()).isEqualTo(3);
        assertThat(failed.out() + failed.err()).contains("checks failed on pull request #1").contains("ci (failure)");
        assertThat(onRemote("tag", "-l", "src/cloud-api-adaptor/*", "src/csi-wrapper/*", "v*")).isEmpty();
        assertThat(pulls.all().get(0).state).isEqualTo("open");
    }

    @Test
    void aProtectedBranchUnderViaPushIsRefusedNamingThePullRequestRoute() throws Exception {
        route("push", "30s");
        Projects.git(project, "commit", "-q", "-am", "pins pushed straight to main");
        pushAsAnAdmin();

        CutterProcess.Result refused = releaseAll("0.11.0");

        assertThat(refused.exit()).as(refused.out() + refused.err()).isEqualTo(3);
        assertThat(refused.out() + refused.err()).contains("GH006: Protected branch update failed")
                .contains("via: pull-request");
        assertThat(onRemote("tag", "-l", "src/cloud-api-adaptor/*", "src/csi-wrapper/*", "v*")).isEmpty();
        assertThat(pulls.all()).isEmpty();
    }

    /** The spec's change reaches main as an administrator's would, past the protection (which these tests are not about). */
    private void pushAsAnAdmin() throws Exception {
        Path hook = remote.resolve("hooks/pre-receive");
        Path aside = remote.resolve("hooks/pre-receive.off");
        Files.move(hook, aside);
        try {
            Projects.git(project, "push", "-q", "upstream", "main");
        } finally {
            Files.move(aside, hook);
        }
    }

    private static String lastRun(CutterProcess.Result result) {
        java.util.regex.Matcher run = java.util.regex.Pattern.compile("r\\d{8}-\\d{6}-[0-9a-f]{4}").matcher(result.out() + result.err());
        String id = null;
        while (run.find()) {
            id = run.group();
        }
        return id;
    }
}
