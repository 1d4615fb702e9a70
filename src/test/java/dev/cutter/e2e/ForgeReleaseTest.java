package dev.cutter.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutter.content.Digest;
import dev.cutter.testing.FakeForge;
import dev.cutter.testing.FakeGitHub;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The KM release published to GitHub releases, as its process does (km-releases). GitHub cannot
 * be reached from here: the store talks to {@link FakeGitHub}, a local fake written from GitHub's
 * documented REST API, through {@code GITHUB_API_URL} as GitHub Actions sets it.
 */
@Tag("e2e")
class ForgeReleaseTest {
    @TempDir
    Path tmp;

    Path km() throws Exception {
        Path km = Projects.copy("km", tmp.resolve("km"));
        Path spec = km.resolve("cutter.yaml");
        String text = Files.readString(spec);
        // the install check reads the directory store; against a forge the assets check reads the release back
        text = text.replace("store: \"dir:dist/km-releases\"", "store: \"github:kontainapp/km-releases\"")
                .replace(text.substring(text.indexOf("  - id: install"), text.indexOf("triggers:")), "");
        Files.writeString(spec, text);
        Projects.git(km, "commit", "-qam", "releases on GitHub");
        return km;
    }

    @Test
    void aReleaseAppearsWholeOnTheForgeIsCheckedFromThereAndRepublishingWritesNothing() throws Exception {
        try (FakeGitHub github = new FakeGitHub("kontainapp/km-releases")) {
            github.token("ghp_sekrit", FakeForge.Access.WRITE);
            Map<String, String> env = Map.of("SOURCE_DATE_EPOCH", "1767323045", "GITHUB_API_URL", github.url(), "GITHUB_TOKEN", "ghp_sekrit");
            Path km = km();

            CutterProcess.Result first = CutterProcess.inProcess(km, env, "release", "--tag", "v0.9-beta");

            assertThat(first.exit()).as(first.out() + first.err()).isZero();
            assertThat(first.out()).contains("6 assets in 1 releases match their digests, checksums and signatures")
                    .doesNotContain("ghp_sekrit");
            FakeGitHub.Release release = github.published("v0.9-beta").orElseThrow();
            assertThat(release.draft).isFalse();
            assertThat(release.assets).extracting(a -> a.name).containsExactlyInAnyOrder("kontain.tar.gz", "runenv-python.tar.gz",
                    "runenv-node.tar.gz", "runenv-java.tar.gz", "SHA256SUMS", "SHA256SUMS.asc");
            FakeGitHub.Asset kontain = release.assets.stream().filter(a -> a.name.equals("kontain.tar.gz")).findFirst().orElseThrow();
            assertThat(Digest.sha256(kontain.bytes)).isEqualTo(Digest.sha256(km.resolve("dist/kontain.tar.gz")));
            assertThat(release.body).startsWith("KM v0.9-beta (");

            // another machine, without this ledger: the store finds the release as it would publish it
            KmReleaseTest.deleteTree(km.resolve(".cutter"));
            long writes = github.requests().stream().filter(FakeForge.Request::isWrite).count();
            CutterProcess.Result again = CutterProcess.inProcess(km, env, "release", "--tag", "v0.9-beta");
            assertThat(again.exit()).as(again.out() + again.err()).isZero();
            assertThat(again.out()).contains("skipped   release/km-releases");
            assertThat(github.requests().stream().filter(FakeForge.Request::isWrite).count()).isEqualTo(writes);
        }
    }

    /**
     * KM's own arrangement: the source is {@code kontainapp/km} (its checkout's origin, a bare
     * remote here) and the release goes to {@code kontainapp/km-releases}, which has none of km's
     * commits. The fake answers a foreign {@code target_commitish} with GitHub's 422.
     */
    @Test
    void aReleaseIntoAnotherRepositoryThanTheSourceTagsThatRepositorysDefaultBranch() throws Exception {
        try (FakeGitHub github = new FakeGitHub("kontainapp/km-releases")) {
            github.token("ghp_sekrit", FakeForge.Access.WRITE);
            github.standAlone("master");
            Map<String, String> env = Map.of("SOURCE_DATE_EPOCH", "1767323045", "GITHUB_API_URL", github.url(), "GITHUB_TOKEN", "ghp_sekrit");
            Path km = km();
            Path origin = tmp.resolve("remotes/kontainapp/km.git");
            Files.createDirectories(origin.getParent());
            Projects.git(tmp, "init", "-q", "--bare", origin.toString());
            Projects.git(km, "remote", "add", "origin", origin.toString());

            CutterProcess.Result release = CutterProcess.inProcess(km, env, "release", "--tag", "v0.9-beta", "-v");

            assertThat(release.exit()).as(release.out() + release.err()).isZero();
            assertThat(github.published("v0.9-beta").orElseThrow().target).isEqualTo("master");
            assertThat(release.out()).contains("github:kontainapp/km-releases is not the source repository");

            // named explicitly: a branch km-releases has
            github.standAlone("master", "v0.10-line");
            Path spec = km.resolve("cutter.yaml");
            Files.writeString(spec, Files.readString(spec).replace("    exists: fail", "    target: v0.10-line\n    exists: fail"));
            Projects.git(km, "commit", "-qam", "the 0.10 line's releases come from its branch");
            CutterProcess.Result named = CutterProcess.inProcess(km, env, "release", "--tag", "v0.10-beta");
            assertThat(named.exit()).as(named.out() + named.err()).isZero();
            assertThat(github.published("v0.10-beta").orElseThrow().target).isEqualTo("v0.10-line");
        }
    }

    /**
     * A maintainer's checkout of a fork: {@code origin} is their fork, {@code upstream} (the spec's
     * {@code git: { remote: }}) the project the release goes to. The store is that project, so a
     * missing tag is made at the released commit, not at its default branch.
     */
    @Test
    void aReleaseOnTheRepositoryTheSpecsGitRemoteNamesIsMadeAtTheReleasedCommitWhateverOriginIs() throws Exception {
        try (FakeGitHub github = new FakeGitHub("kontainapp/km")) {
            github.token("ghp_sekrit", FakeForge.Access.WRITE);
            Map<String, String> env = Map.of("SOURCE_DATE_EPOCH", "1767323045", "GITHUB_API_URL", github.url(), "GITHUB_TOKEN", "ghp_sekrit");
            Path km = km();
            Path spec = km.resolve("cutter.yaml");
            Files.writeString(spec, Files.readString(spec).replace("github:kontainapp/km-releases", "github:kontainapp/km")
                    + "git:\n  remote: upstream\n");
            Projects.git(km, "commit", "-qam", "releases in the project's own repository, tags to upstream");
            for (String remote : List.of("upstream:kontainapp/km.git", "origin:maintainer/km.git")) {
                Path bare = tmp.resolve("remotes").resolve(remote.substring(remote.indexOf(':') + 1));
                Files.createDirectories(bare.getParent());
                Projects.git(tmp, "init", "-q", "--bare", bare.toString());
                Projects.git(km, "remote", "add", remote.substring(0, remote.indexOf(':')), bare.toString());
                Projects.git(km, "push", "-q", remote.substring(0, remote.indexOf(':')), "main");
            }
            String head = PeerPodsReleaseTest.git(km, "rev-parse", "HEAD").strip();

            CutterProcess.Result release = CutterProcess.inProcess(km, env, "release", "--tag", "v0.9-beta", "-v");

            assertThat(release.exit()).as(release.out() + release.err()).isZero();
            assertThat(github.published("v0.9-beta").orElseThrow().target).as(release.out()).isEqualTo(head);
            assertThat(release.out()).doesNotContain("is not the source repository");
        }
    }

    @Test
    void aTargetTheReleaseRepositoryLacksFailsTheReleaseSayingWhatToGive() throws Exception {
        try (FakeGitHub github = new FakeGitHub("kontainapp/km-releases")) {
            github.token("ghp_sekrit", FakeForge.Access.WRITE);
            github.standAlone("master");
            Map<String, String> env = Map.of("SOURCE_DATE_EPOCH", "1767323045", "GITHUB_API_URL", github.url(), "GITHUB_TOKEN", "ghp_sekrit");
            Path km = km(); // no origin: the store is taken to be the source repository, and its commit is sent

            CutterProcess.Result release = CutterProcess.inProcess(km, env, "release", "--tag", "v0.9-beta");

            assertThat(release.exit()).as(release.out() + release.err()).isEqualTo(1);
            assertThat(release.out()).contains("kontainapp/km-releases has no such branch, tag or commit")
                    .contains("give the release target:");
            assertThat(github.published("v0.9-beta")).isEmpty();
        }
    }

    @Test
    void withoutATokenTheReleaseSaysWhichVariableToSetAndPublishesNothing() throws Exception {
        try (FakeGitHub github = new FakeGitHub("kontainapp/km-releases")) {
            Path km = km();

            CutterProcess.Result release = CutterProcess.inProcess(km, Map.of("SOURCE_DATE_EPOCH", "1767323045", "GITHUB_API_URL", github.url()),
                    "release", "--tag", "v0.9-beta");

            assertThat(release.exit()).as(release.out() + release.err()).isEqualTo(4);
            assertThat(release.out()).contains("GITHUB_TOKEN");
            assertThat(github.releases()).isEmpty();
        }
    }
}
