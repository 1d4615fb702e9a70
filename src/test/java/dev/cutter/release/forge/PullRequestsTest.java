package dev.cutter.release.forge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutter.oci.RegistryClient;
import dev.cutter.testing.FakeForge;
import dev.cutter.testing.FakeGitHub;
import dev.cutter.testing.FakeGitLab;
import dev.cutter.testing.FakeGitea;
import dev.cutter.testing.FakePulls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The pull requests of each forge against its fake ({@link FakePulls} behind {@link FakeGitHub},
 * {@link FakeGitLab}, {@link FakeGitea}) over a real bare repository: found by branch, opened once,
 * checks read, merged with a real merge commit, refusals returned as the forge's words.
 */
class PullRequestsTest {
    @TempDir
    Path tmp;

    record Forge(String name, Function<String, FakeForge> fake, String forge, Function<FakeForge, Map<String, String>> env) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Forge> forges() {
        return Stream.of(
                new Forge("GitHub", t -> new FakeGitHub("acme/app").token(t, FakeForge.Access.WRITE).token("reader", FakeForge.Access.READ),
                        "github:acme/app", f -> Map.of("GITHUB_API_URL", f.url())),
                new Forge("GitLab", t -> new FakeGitLab("acme/app").token(t, FakeForge.Access.WRITE).token("reader", FakeForge.Access.READ),
                        "gitlab:acme/app", f -> Map.of("CI_API_V4_URL", f.url() + "/api/v4")),
                new Forge("Gitea", t -> new FakeGitea("acme/app").token(t, FakeForge.Access.WRITE).token("reader", FakeForge.Access.READ),
                        null, f -> Map.of()));
    }

    private Path bare;
    private String pinned;

    /** A bare remote with main and a branch one commit ahead of it. */
    private void remote() throws Exception {
        bare = tmp.resolve("app.git");
        Path work = tmp.resolve("work");
        git(tmp, "init", "-q", "--bare", "-b", "main", bare.toString());
        git(tmp, "init", "-q", "-b", "main", work.toString());
        Files.writeString(work.resolve("versions.yaml"), "kata: main\n");
        git(work, "add", ".");
        git(work, "commit", "-q", "-m", "start");
        git(work, "push", "-q", bare.toString(), "main");
        Files.writeString(work.resolve("versions.yaml"), "kata: 3.6.0\n");
        git(work, "commit", "-q", "-am", "Pin app 1.0.0");
        git(work, "push", "-q", bare.toString(), "HEAD:refs/heads/cutter/app/1.0.0/pins-app");
        pinned = git(work, "rev-parse", "HEAD").strip();
    }

    private PullRequests pulls(Forge forge, FakeForge fake, String token) {
        String name = forge.forge() != null ? forge.forge() : "gitea:" + fake.address() + "/acme/app";
        return PullRequests.open(name, Optional.of(token), forge.env().apply(fake), RegistryClient.http());
    }

    @ParameterizedTest
    @MethodSource("forges")
    void opensOnceFindsItAgainAndMergesItWithARealMergeCommit(Forge forge) throws Exception {
        remote();
        try (FakeForge fake = forge.fake().apply("writer")) {
            fake.pulls(bare);
            PullRequests pulls = pulls(forge, fake, "writer");
            assertThat(pulls.find("cutter/app/1.0.0/pins-app", "main")).isEmpty();

            PullRequest opened = pulls.open("cutter/app/1.0.0/pins-app", "main", "Pin app 1.0.0", "- versions.yaml: kata = 3.6.0\n");
            PullRequest again = pulls.open("cutter/app/1.0.0/pins-app", "main", "Pin app 1.0.0", "(an answer lost)");

            assertThat(again.number()).isEqualTo(opened.number());
            assertThat(opened.state()).isEqualTo(PullRequest.State.OPEN);
            assertThat(opened.head()).isEqualTo(pinned);
            assertThat(pulls.find("cutter/app/1.0.0/pins-app", "main")).contains(opened);
            assertThat(pulls.checks(opened).verdict()).isEqualTo(PullRequest.Checks.Verdict.NONE);
            assertThat(pulls.merge(opened, "Pin app 1.0.0")).isEmpty();
            PullRequest merged = pulls.get(opened.number());
            assertThat(merged.state()).isEqualTo(PullRequest.State.MERGED);
            String main = git(tmp, "--git-dir", bare.toString(), "rev-parse", "main").strip();
            assertThat(merged.mergeCommit()).contains(main);
            assertThat(git(tmp, "--git-dir", bare.toString(), "rev-parse", "main^2").strip()).isEqualTo(pinned);
            assertThat(pulls.find("cutter/app/1.0.0/pins-app", "main").map(PullRequest::state)).contains(PullRequest.State.MERGED);
        }
    }

    @ParameterizedTest
    @MethodSource("forges")
    void checksAreReadAndAMergeTheForgeRefusesIsItsWordsNotAnError(Forge forge) throws Exception {
        remote();
        try (FakeForge fake = forge.fake().apply("writer")) {
            FakePulls fakePulls = fake.pulls(bare).checksOnOpen(FakePulls.Checks.PENDING);
            PullRequests pulls = pulls(forge, fake, "writer");
            PullRequest opened = pulls.open("cutter/app/1.0.0/pins-app", "main", "Pin app 1.0.0", "");

            assertThat(pulls.checks(opened).verdict()).isEqualTo(PullRequest.Checks.Verdict.PENDING);
            assertThat(pulls.merge(opened, "Pin app 1.0.0")).isPresent();
            assertThat(pulls(forge, fake, "reader").merge(opened, "Pin app 1.0.0")).get().asString().startsWith("403");
            fakePulls.checks(pinned, FakePulls.Checks.FAILURE);
            PullRequest.Checks failed = pulls.checks(opened);
            assertThat(failed.verdict()).isEqualTo(PullRequest.Checks.Verdict.FAILED);
            assertThat(failed.failed()).hasSize(1);
            fakePulls.checks(pinned, FakePulls.Checks.SUCCESS);
            assertThat(pulls.checks(opened).verdict()).isEqualTo(PullRequest.Checks.Verdict.PASSED);
            fakePulls.closeByHand(opened.number());
            assertThat(pulls.get(opened.number()).state()).isEqualTo(PullRequest.State.CLOSED);
            assertThat(pulls.merge(pulls.get(opened.number()), "Pin app 1.0.0")).isPresent();
        }
    }

    @ParameterizedTest
    @MethodSource("forges")
    void aTokenThatMayOnlyReadMayNotOpen(Forge forge) throws Exception {
        remote();
        try (FakeForge fake = forge.fake().apply("writer")) {
            fake.pulls(bare);
            assertThat(pulls(forge, fake, "writer").mayOpen()).isEmpty();
            assertThat(pulls(forge, fake, "reader").mayOpen()).get().asString().contains("acme/app");
        }
    }

    static String git(Path dir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("git"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().putAll(Map.of("GIT_AUTHOR_NAME", "T", "GIT_AUTHOR_EMAIL", "t@t.invalid", "GIT_COMMITTER_NAME", "T",
                "GIT_COMMITTER_EMAIL", "t@t.invalid"));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError("git " + String.join(" ", args) + " failed: " + out);
        }
        return out;
    }
}
