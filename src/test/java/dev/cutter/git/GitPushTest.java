package dev.cutter.git;

import static dev.cutter.git.GitFixture.bareRemote;
import static dev.cutter.git.GitFixture.commit;
import static dev.cutter.git.GitFixture.git;
import static dev.cutter.git.GitFixture.init;
import static dev.cutter.git.GitFixture.pushes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tags and branches pushed to real bare remotes: by file://, by git:// from git daemon, and by the git program. */
@Tag("e2e")
class GitPushTest {
    static final Identity BOT = new Identity("Cutter", "cutter@example.com", Instant.parse("2024-05-01T12:00:00Z"));
    /** The peer-pods module tags in dependency order — not name order. */
    static final List<String> MODULES = List.of("cloud-providers", "peerpod-ctrl", "cloud-api-adaptor", "csi-wrapper", "webhook");

    @TempDir
    Path tmp;

    @Test
    void fileRemote() throws Exception {
        Path bare = bareRemote(tmp.resolve("remotes/caa.git"));
        // JGit serves file:// in-process, where the remote's hooks do not run: the order is observed over git:// below
        scenario(bare, "file://" + bare, false, false);
    }

    @Test
    void gitDaemonRemote() throws Exception {
        Path bare = bareRemote(tmp.resolve("remotes/caa.git"));
        try (dev.cutter.testing.GitDaemon daemon = new dev.cutter.testing.GitDaemon(tmp.resolve("remotes"))) {
            scenario(bare, daemon.url("caa.git"), false, true);
        }
    }

    /** The path ssh remotes take (the git program), exercised over file:// so it needs no sshd. */
    @Test
    void gitProgramRemote() throws Exception {
        Path bare = bareRemote(tmp.resolve("remotes/caa.git"));
        scenario(bare, "file://" + bare, true, true);
    }

    private static List<String> tags(String version) {
        return MODULES.stream().map(m -> "src/" + m + "/" + version).toList();
    }

    private void scenario(Path bare, String url, boolean cli, boolean hooksRun) throws IOException {
        Path repo = init(tmp.resolve("work"));
        String c1 = commit(repo, "src/cloud-providers/go.mod", "module a\n", "feat: start");
        git(repo, "remote", "add", "origin", url);
        try (GitRepository r = GitRepository.open(repo, cli)) {
            // the branch first, fast-forward only
            PushResult branch = r.pushBranch("origin", "HEAD", "main");
            assertThat(branch.sent()).containsExactly("refs/heads/main");
            assertThat(r.pushBranch("origin", "HEAD", "main").alreadyThere()).containsExactly("refs/heads/main");
            for (String t : tags("v0.8.0-alpha.1")) {
                r.tag(t, c1, t, BOT);
            }
            PushResult first = r.pushTags("origin", tags("v0.8.0-alpha.1"));
            assertThat(first.sent()).containsExactlyElementsOf(tags("v0.8.0-alpha.1").stream().map(t -> "refs/tags/" + t).toList());
            assertThat(first.alreadyThere()).isEmpty();
            // the remote received one push per tag, in the given order
            List<List<String>> received = pushes(bare);
            if (hooksRun) {
                assertThat(received).hasSize(1 + MODULES.size());
                assertThat(received.subList(1, received.size())).extracting(p -> p.size()).containsOnly(1);
                assertThat(received.subList(1, received.size())).extracting(p -> p.getFirst().split(" ")[0])
                        .containsExactlyElementsOf(tags("v0.8.0-alpha.1").stream().map(t -> "refs/tags/" + t).toList());
            }
            // read back by git: annotated tags peeling to c1
            String lsRemote = git(repo, "ls-remote", "--tags", url);
            for (String t : tags("v0.8.0-alpha.1")) {
                assertThat(lsRemote).contains(c1 + "\trefs/tags/" + t + "^{}");
                assertThat(git(bare, "cat-file", "-p", "refs/tags/" + t)).startsWith("object " + c1 + "\ntype commit\ntag " + t + "\n");
            }
            assertThat(r.remoteTags("origin")).containsEntry("src/webhook/v0.8.0-alpha.1", c1).hasSize(MODULES.size());

            // re-run: nothing sent, remote untouched
            String afterFirst = git(repo, "ls-remote", url);
            int pushesAfterFirst = pushes(bare).size();
            PushResult again = r.pushTags("origin", tags("v0.8.0-alpha.1"));
            assertThat(again.sent()).isEmpty();
            assertThat(again.alreadyThere()).hasSize(MODULES.size());
            assertThat(git(repo, "ls-remote", url)).isEqualTo(afterFirst);
            assertThat(pushes(bare)).hasSize(pushesAfterFirst);

            // the release: a new commit; someone already pushed one module's tag elsewhere, another at the same commit
            String c2 = commit(repo, "src/cloud-providers/go.mod", "module a // 2\n", "fix: pin");
            r.pushBranch("origin", "HEAD", "main");
            Path other = tmp.resolve("other");
            git(tmp, "clone", "-q", url, other.toString());
            git(other, "tag", "-a", "-m", "by hand", "src/csi-wrapper/v0.8.0", c1); // wrong commit
            git(other, "tag", "src/cloud-providers/v0.8.0", c2); // right commit, lightweight
            git(other, "push", "-q", "origin", "src/csi-wrapper/v0.8.0", "src/cloud-providers/v0.8.0");
            for (String t : tags("v0.8.0")) {
                r.tag(t, c2, t, BOT);
            }
            String before = git(repo, "ls-remote", url);
            int pushesBefore = pushes(bare).size();
            assertThatThrownBy(() -> r.pushTags("origin", tags("v0.8.0")))
                    .isInstanceOfSatisfying(TagMovedException.class, e -> {
                        assertThat(e.tag()).isEqualTo("src/csi-wrapper/v0.8.0");
                        assertThat(e.existingCommit()).isEqualTo(c1);
                        assertThat(e.requestedCommit()).isEqualTo(c2);
                        assertThat(e.where()).isEqualTo(url);
                    }).hasMessageContaining("nothing was pushed");
            assertThat(git(repo, "ls-remote", url)).isEqualTo(before);
            assertThat(pushes(bare)).hasSize(pushesBefore);

            // without the moved one: the one already there at the same commit is accepted, the rest sent in order
            List<String> rest = tags("v0.8.0").stream().filter(t -> !t.contains("csi-wrapper")).toList();
            PushResult release = r.pushTags("origin", rest);
            assertThat(release.alreadyThere()).containsExactly("refs/tags/src/cloud-providers/v0.8.0");
            assertThat(release.sent()).containsExactly("refs/tags/src/peerpod-ctrl/v0.8.0",
                    "refs/tags/src/cloud-api-adaptor/v0.8.0", "refs/tags/src/webhook/v0.8.0");
            assertThat(git(repo, "ls-remote", url, "refs/tags/src/cloud-providers/v0.8.0")).startsWith(c2); // left lightweight
            assertThat(git(repo, "ls-remote", url, "refs/tags/src/csi-wrapper/v0.8.0^{}")).startsWith(c1); // never moved

            // a branch that moved on elsewhere is not overwritten
            commit(other, "x", "elsewhere", "chore: elsewhere");
            git(other, "push", "-q", "origin", "HEAD:main");
            String remoteMain = git(repo, "ls-remote", url, "refs/heads/main").split("\t")[0];
            commit(repo, "y", "here", "chore: here");
            assertThatThrownBy(() -> r.pushBranch("origin", "HEAD", "main")).isInstanceOf(GitException.class)
                    .hasMessageContaining("refs/heads/main").hasMessageContaining("fetch it, rebase");
            assertThat(git(repo, "ls-remote", url, "refs/heads/main").split("\t")[0]).isEqualTo(remoteMain);

            // fetch: tags of another repository, without clobbering local ones
            Path fresh = init(tmp.resolve("fresh"));
            try (GitRepository f = GitRepository.open(fresh, cli)) {
                f.fetch(url, List.of("refs/tags/*:refs/tags/*", "refs/heads/main:refs/remotes/origin/main"));
                assertThat(f.resolve("src/csi-wrapper/v0.8.0")).contains(c1);
                assertThat(f.resolve("refs/remotes/origin/main")).contains(remoteMain);
                assertThat(f.previousTag(n -> n.startsWith("src/webhook/"), "refs/remotes/origin/main")).map(t -> t.name())
                        .contains("src/webhook/v0.8.0");
            }
        }
    }

    /** A protected branch (a server-side hook declining it) is told as a refusal of the remote's, not as a branch that moved on. */
    @Test
    void aBranchTheRemoteProtectsIsRefusedAsSuchNotAsMovedOn() throws Exception {
        Path bare = bareRemote(tmp.resolve("remotes/caa.git"));
        java.nio.file.Files.writeString(bare.resolve("hooks/pre-receive"), "#!/bin/sh\nwhile read old new ref; do\n"
                + "  [ \"$ref\" = refs/heads/main ] && { echo 'error: GH006: Protected branch update failed for refs/heads/main.' >&2; exit 1; }\n"
                + "done\nexit 0\n");
        bare.resolve("hooks/pre-receive").toFile().setExecutable(true);
        try (dev.cutter.testing.GitDaemon daemon = new dev.cutter.testing.GitDaemon(tmp.resolve("remotes"))) {
            for (boolean cli : List.of(false, true)) {
                Path repo = init(tmp.resolve("work-" + cli));
                commit(repo, "go.mod", "module a\n", "feat: start " + cli);
                String url = cli ? "file://" + bare : daemon.url("caa.git");
                git(repo, "remote", "add", "origin", url);
                try (GitRepository r = GitRepository.open(repo, cli)) {
                    assertThatThrownBy(() -> r.pushBranch("origin", "HEAD", "main")).isInstanceOf(PushRefusedException.class)
                            .hasMessageContaining("refs/heads/main").hasMessageNotContaining("rebase");
                    assertThat(r.pushBranch("origin", "HEAD", "cutter/pins-" + cli).sent()).containsExactly("refs/heads/cutter/pins-" + cli);
                }
            }
        }
        assertThat(git(tmp, "--git-dir", bare.toString(), "for-each-ref", "--format=%(refname)")).doesNotContain("refs/heads/main");
    }

    @Test
    void aTagMissingLocallyOrAnUnknownRemoteIsAClearError() throws IOException {
        Path bare = bareRemote(tmp.resolve("remotes/r.git"));
        Path repo = init(tmp.resolve("work"));
        commit(repo, "a", "1", "one");
        try (GitRepository r = GitRepository.open(repo)) {
            assertThatThrownBy(() -> r.pushTags("file://" + bare, List.of("v9.9.9"))).isInstanceOf(GitException.class)
                    .hasMessageContaining("tag v9.9.9 does not exist in " + repo.toRealPath());
            assertThatThrownBy(() -> r.pushTags("upstream", List.of())).isInstanceOf(GitException.class)
                    .hasMessageContaining("no remote named upstream");
            assertThatThrownBy(() -> r.remoteTags("git://127.0.0.1:1/nothing.git")).isInstanceOf(GitRemoteException.class)
                    .hasMessageContaining("git://127.0.0.1:1/nothing.git");
            assertThat(r.remoteTags("file://" + bare)).isEqualTo(Map.of());
        }
    }
}
