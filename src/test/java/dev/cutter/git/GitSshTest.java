package dev.cutter.git;

import static dev.cutter.git.GitFixture.commit;
import static dev.cutter.git.GitFixture.git;
import static dev.cutter.git.GitFixture.init;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cutter.testing.Sshd;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An ssh:// remote through a real sshd on loopback: pushes go through the git program, so the
 * repository's core.sshCommand (as a user's ~/.ssh/config or agent would) decides how to log in.
 */
@Tag("e2e")
class GitSshTest {
    @TempDir
    Path tmp;

    @Test
    void tagsGoOutOverSshInOrderAndAMovedTagIsRefusedThere() throws Exception {
        try (Sshd sshd = Sshd.start(tmp.resolve("sshd"))) {
            Path bare = GitFixture.bareRemote(tmp.resolve("remote.git"));
            Path repo = init(tmp.resolve("work"));
            String c1 = commit(repo, "src/a/go.mod", "module a\n", "feat: a");
            git(repo, "config", "core.sshCommand", "ssh -i " + sshd.userKey + " -o IdentitiesOnly=yes -o UserKnownHostsFile="
                    + sshd.knownHosts + " -o StrictHostKeyChecking=yes -o BatchMode=yes");
            git(repo, "remote", "add", "origin", "ssh://" + System.getProperty("user.name") + "@127.0.0.1:" + sshd.port + bare);

            try (GitRepository r = GitRepository.open(repo)) {
                assertThat(r.pushBranch("origin", "HEAD", "main").sent()).containsExactly("refs/heads/main");
                for (String t : List.of("src/a/v1.0.0", "src/b/v1.0.0")) {
                    r.tag(t, c1, t, GitPushTest.BOT);
                }
                PushResult pushed = r.pushTags("origin", List.of("src/a/v1.0.0", "src/b/v1.0.0"));
                assertThat(pushed.sent()).containsExactly("refs/tags/src/a/v1.0.0", "refs/tags/src/b/v1.0.0");
                assertThat(git(bare, "rev-parse", "src/b/v1.0.0^{commit}")).isEqualTo(c1);
                assertThat(r.pushTags("origin", List.of("src/a/v1.0.0")).alreadyThere()).containsExactly("refs/tags/src/a/v1.0.0");

                String c2 = commit(repo, "src/a/go.mod", "module a // 2\n", "fix: a");
                git(bare, "tag", "src/a/v1.1.0", c1); // someone tagged another commit first
                r.tag("src/a/v1.1.0", c2, "src/a/v1.1.0", GitPushTest.BOT);
                String before = git(bare, "for-each-ref");
                assertThatThrownBy(() -> r.pushTags("origin", List.of("src/a/v1.1.0")))
                        .isInstanceOfSatisfying(TagMovedException.class, e -> assertThat(e.existingCommit()).isEqualTo(c1));
                assertThat(git(bare, "for-each-ref")).isEqualTo(before);
            }
        }
    }
}
