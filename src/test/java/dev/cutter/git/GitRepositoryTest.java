package dev.cutter.git;

import static dev.cutter.git.GitFixture.commit;
import static dev.cutter.git.GitFixture.git;
import static dev.cutter.git.GitFixture.init;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.eclipse.jgit.transport.CredentialItem;
import org.eclipse.jgit.transport.URIish;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GitRepositoryTest {
    static final Identity BOT = new Identity("Cutter", "cutter@example.com", Instant.parse("2024-05-01T12:00:00Z"));

    @TempDir
    Path tmp;

    @Test
    void opensTheWorkTreeFromASubdirectoryAndRefusesADirectoryOutsideAnyRepository() throws IOException {
        Path repo = init(tmp.resolve("repo"));
        String c1 = commit(repo, "src/a/file.txt", "a\n", "feat: a");
        try (GitRepository r = GitRepository.open(repo.resolve("src/a"))) {
            assertThat(r.root()).isEqualTo(repo.toRealPath());
            assertThat(r.head()).contains(c1);
        }
        Path outside = Files.createDirectories(tmp.resolve("plain"));
        assertThatThrownBy(() -> GitRepository.open(outside)).isInstanceOf(GitException.class)
                .hasMessageContaining(outside.toString()).hasMessageContaining("not inside a git repository");
        assertThat(Checkout.headSha(outside)).isEmpty();
        assertThat(Checkout.headSha(repo)).contains(c1);
    }

    @Test
    void headResolveTagsAtAndCommitTimeAgreeWithGit() throws IOException {
        Path repo = init(tmp.resolve("repo"));
        try (GitRepository empty = GitRepository.open(repo)) {
            assertThat(empty.head()).isEmpty();
        }
        String c1 = commit(repo, "a.txt", "1\n", "feat: one");
        git(repo, "tag", "-a", "-m", "release 1.0.0", "v1.0.0");
        git(repo, "tag", "light");
        String c2 = commit(repo, "a.txt", "2\n", "fix: two");
        try (GitRepository r = GitRepository.open(repo)) {
            assertThat(r.head()).contains(c2);
            assertThat(r.resolve("v1.0.0")).contains(c1); // annotated tag peeled to its commit
            assertThat(r.resolve("HEAD~1")).contains(c1);
            assertThat(r.resolve(c2.substring(0, 10))).contains(c2);
            assertThat(r.resolve("no-such-thing")).isEmpty();
            assertThat(r.tagsAt(c1)).containsExactly("light", "v1.0.0");
            assertThat(r.tagsAt("HEAD")).isEmpty();
            assertThat(r.commitTime("HEAD")).isEqualTo(Instant.ofEpochSecond(Long.parseLong(git(repo, "log", "-1", "--format=%ct"))));
            assertThat(r.findTag("v1.0.0")).contains(new Tag("v1.0.0", c1, true, "release 1.0.0\n"));
            assertThat(r.findTag("light")).contains(new Tag("light", c1, false, ""));
            assertThatThrownBy(() -> r.commitTime("nope")).isInstanceOf(GitException.class)
                    .hasMessageContaining("no commit nope in " + repo.toRealPath());
            assertThatThrownBy(() -> r.resolve("HEAD^{tree}")).isInstanceOf(GitException.class).hasMessageContaining("not a commit");
        }
        assertThat(Checkout.commitTime(repo, c1)).contains(Instant.ofEpochSecond(Long.parseLong(git(repo, "log", "-1", "--format=%ct", c1))));
    }

    @Test
    void opensALinkedWorktree() throws IOException {
        Path repo = init(tmp.resolve("repo"));
        commit(repo, "a.txt", "1\n", "one");
        git(repo, "worktree", "add", "-q", "-b", "other", tmp.resolve("wt").toString());
        String c2 = commit(tmp.resolve("wt"), "b.txt", "2\n", "two");
        try (GitRepository r = GitRepository.open(tmp.resolve("wt"))) {
            assertThat(r.head()).contains(c2);
            assertThat(r.root()).isEqualTo(tmp.resolve("wt").toRealPath());
        }
        assertThat(Checkout.headSha(tmp.resolve("wt"))).contains(c2);
    }

    @Test
    void previousTagOfALineSkipsOtherLinesPreReleasesWhenAskedAndTagsAtTheCommitItself() throws IOException {
        Path repo = init(tmp.resolve("repo"));
        String c1 = commit(repo, "a", "1", "one");
        git(repo, "tag", "-a", "-m", "x 1.1.0", "src/x/v1.1.0");
        commit(repo, "a", "2", "two");
        git(repo, "tag", "-a", "-m", "y 2.0.0", "src/y/v2.0.0");
        String c3 = commit(repo, "a", "3", "three");
        git(repo, "tag", "-a", "-m", "x 1.2.0-alpha.1", "src/x/v1.2.0-alpha.1");
        String c4 = commit(repo, "a", "4", "four");
        git(repo, "tag", "-a", "-m", "x 1.2.0", "src/x/v1.2.0");
        try (GitRepository r = GitRepository.open(repo)) {
            var anyX = (java.util.function.Predicate<String>) n -> n.startsWith("src/x/v");
            var stableX = anyX.and(n -> !n.contains("-"));
            // releasing c4 (tagged src/x/v1.2.0 itself): the tag at the commit does not count
            assertThat(r.previousTag(stableX, c4)).map(Tag::name).contains("src/x/v1.1.0");
            assertThat(r.previousTag(anyX, c4)).map(Tag::name).contains("src/x/v1.2.0-alpha.1");
            assertThat(r.previousTag(anyX, c4)).map(Tag::commit).contains(c3);
            assertThat(r.previousTag(stableX, c4).orElseThrow()).isEqualTo(new Tag("src/x/v1.1.0", c1, true, "x 1.1.0\n"));
            assertThat(r.previousTag(n -> n.startsWith("src/y/"), "HEAD")).map(Tag::name).contains("src/y/v2.0.0");
            assertThat(r.previousTag(anyX, c1)).isEmpty();
            assertThat(r.previousTag(n -> n.startsWith("src/z/"), c4)).isEmpty();
        }
        // two tags of the line on one commit: the release ranks above its pre-release, as git describe would pick it
        git(repo, "tag", "src/x/v1.3.0-rc.1", c4);
        git(repo, "tag", "src/x/v1.3.0", c4);
        commit(repo, "a", "5", "five");
        try (GitRepository r = GitRepository.open(repo)) {
            // annotated src/x/v1.2.0 beats the two lightweight tags on the same commit
            assertThat(r.previousTag(n -> n.startsWith("src/x/"), "HEAD")).map(Tag::name).contains("src/x/v1.2.0");
            assertThat(r.previousTag(n -> n.startsWith("src/x/v1.3"), "HEAD")).map(Tag::name).contains("src/x/v1.3.0");
        }
    }

    @Test
    void versionLikeNamesOrderPreReleasesBelowTheirRelease() {
        assertThat(GitRepository.compareVersionish("v1.2.0-rc.1", "v1.2.0")).isNegative();
        assertThat(GitRepository.compareVersionish("v1.2.0", "v1.10.0")).isNegative();
        assertThat(GitRepository.compareVersionish("v1.2.0-alpha.2", "v1.2.0-alpha.10")).isNegative();
        assertThat(GitRepository.compareVersionish("v1.2.0-alpha.1", "v1.2.0-beta")).isNegative();
        assertThat(GitRepository.compareVersionish("v1.2.0", "v1.2.0")).isZero();
    }

    @Test
    void changelogGroupsConventionalCommitsAndRendersReleaseNotes() throws IOException {
        Path repo = init(tmp.resolve("repo"));
        commit(repo, "a", "0", "chore: initial");
        git(repo, "tag", "v1.0.0");
        String feat = commit(repo, "a", "1", "feat(cli): add --json output (#12)");
        String fix = commit(repo, "a", "2", "fix: do not crash on empty tags\n\nThe walk stopped early.\n\nFixes #45\nRefs: #46");
        String breaking = commit(repo, "a", "3", "feat(api)!: drop the v1 endpoints");
        String footer = commit(repo, "a", "4", "refactor(store): split the ledger\n\nBREAKING CHANGE: the ledger file moves to\n.cutter/ledger.db\n\nCloses org/other#7");
        String docs = commit(repo, "a", "5", "docs: explain pins");
        String ci = commit(repo, "a", "6", "ci(github): cache maven");
        String perf = commit(repo, "a", "7", "perf: stream layers");
        String other = commit(repo, "a", "8", "Update README");
        git(repo, "checkout", "-q", "-b", "side", "HEAD~1");
        String side = commit(repo, "b", "1", "fix(docs): typo");
        git(repo, "checkout", "-q", "main");
        git(repo, "merge", "-q", "--no-ff", "-m", "Merge pull request #99 from side", "side");
        try (GitRepository r = GitRepository.open(repo)) {
            Changelog log = r.changelog(Optional.of("v1.0.0"), "HEAD");
            // all non-merge commits of (v1.0.0, HEAD], newest first: the merge itself is left out, its side commit is in
            assertThat(log.changes()).extracting(Changelog.Change::id)
                    .containsExactlyInAnyOrder(feat, fix, breaking, footer, docs, ci, perf, other, side);
            assertThat(log.changes()).extracting(Changelog.Change::id).startsWith(side).endsWith(feat);
            Changelog.Change f = log.changes().stream().filter(c -> c.id().equals(fix)).findFirst().orElseThrow();
            assertThat(f.type()).contains("fix");
            assertThat(f.scope()).isEmpty();
            assertThat(f.body()).isEqualTo("The walk stopped early.\n\nFixes #45\nRefs: #46");
            assertThat(f.refs()).containsExactly("#45");
            assertThat(f.author().name()).isEqualTo("Test");
            assertThat(f.shortId()).isEqualTo(fix.substring(0, 7));
            Changelog.Change b = log.changes().stream().filter(c -> c.id().equals(footer)).findFirst().orElseThrow();
            assertThat(b.breaking()).isTrue();
            assertThat(b.breakingNote()).contains("the ledger file moves to .cutter/ledger.db");
            assertThat(log.groups().keySet()).containsExactly(Changelog.Group.FEATURES, Changelog.Group.FIXES,
                    Changelog.Group.PERFORMANCE, Changelog.Group.REFACTORING, Changelog.Group.DOCUMENTATION,
                    Changelog.Group.MAINTENANCE, Changelog.Group.OTHER);
            assertThat(log.markdown()).isEqualTo("""
                    ### ⚠ BREAKING CHANGES

                    * **store:** the ledger file moves to .cutter/ledger.db (%s), closes org/other#7
                    * **api:** drop the v1 endpoints (%s)

                    ### Features

                    * **api:** drop the v1 endpoints (%s)
                    * **cli:** add --json output (#12) (%s)

                    ### Bug Fixes

                    * **docs:** typo (%s)
                    * do not crash on empty tags (%s), closes #45

                    ### Performance Improvements

                    * stream layers (%s)

                    ### Code Refactoring

                    * **store:** split the ledger (%s), closes org/other#7

                    ### Documentation

                    * explain pins (%s)

                    ### Build, CI and Chores

                    * **github:** cache maven (%s)

                    ### Other Changes

                    * Update README (%s)
                    """.formatted(s(footer), s(breaking), s(breaking), s(feat), s(side), s(fix), s(perf), s(footer), s(docs), s(ci), s(other)));
            // a first release: everything up to the tag; nothing between a commit and itself
            assertThat(r.changelog(Optional.empty(), "v1.0.0").changes()).extracting(Changelog.Change::subject).containsExactly("chore: initial");
            assertThat(r.changelog(Optional.of("HEAD"), "HEAD").markdown()).isEmpty();
        }
    }

    private static String s(String id) {
        return id.substring(0, 7);
    }

    @Test
    void conventionalParsingKeepsScopesRefsAndLeavesOtherSubjectsAlone() {
        Changelog.Change c = Changelog.parse("0".repeat(40), "0000000", "FEAT(parser)!: accept loose versions (#7)", "", BOT);
        assertThat(c.type()).contains("feat");
        assertThat(c.scope()).contains("parser");
        assertThat(c.breaking()).isTrue();
        assertThat(c.description()).isEqualTo("accept loose versions (#7)");
        assertThat(c.refs()).containsExactly("#7");
        Changelog.Change plain = Changelog.parse("1".repeat(40), "1111111", "Revert \"feat: x\"", "This reverts commit abc.", BOT);
        assertThat(plain.type()).isEmpty();
        assertThat(plain.group()).isEqualTo(Changelog.Group.OTHER);
        assertThat(Changelog.parse("2".repeat(40), "2222222", "fixup! fix: y", "", BOT).type()).isEmpty();
        assertThat(Changelog.parse("3".repeat(40), "3333333", "deps: bump jgit", "", BOT).group()).isEqualTo(Changelog.Group.OTHER);
    }

    @Test
    void commitIsReproducibleCommitsOnlyTheGivenFilesAndIsANoOpWhenNothingChanged() throws IOException {
        String[] ids = new String[2];
        for (int i = 0; i < 2; i++) {
            Path repo = init(tmp.resolve("repo" + i));
            Files.createDirectories(repo.resolve("src/caa"));
            Files.writeString(repo.resolve("src/caa/versions.yaml"), "git:\n  kbs:\n    tag: v0.10.1\n");
            Files.writeString(repo.resolve("src/caa/go.mod"), "module x\n");
            try (GitRepository r = GitRepository.open(repo)) {
                CommitResult first = r.commit(List.of(Path.of("src/caa/versions.yaml"), repo.resolve("src/caa/go.mod")),
                        "chore(release): pin kbs v0.10.1\n\nRefs: #1  \n\n", BOT);
                assertThat(first.created()).isTrue();
                Files.writeString(repo.resolve("src/caa/versions.yaml"), "git:\n  kbs:\n    tag: v0.10.2\n");
                Files.writeString(repo.resolve("unrelated.txt"), "staged by someone else\n");
                git(repo, "add", "unrelated.txt");
                CommitResult second = r.commit(List.of(Path.of("src/caa/versions.yaml"), Path.of("src/caa/go.mod")),
                        "chore(release): pin kbs v0.10.2", BOT);
                assertThat(second.created()).isTrue();
                ids[i] = second.commit();
                assertThat(r.commit(List.of(Path.of("src/caa/versions.yaml")), "again", BOT)).isEqualTo(new CommitResult(ids[i], false));
            }
            assertThat(git(repo, "rev-parse", "HEAD")).isEqualTo(ids[i]);
            assertThat(git(repo, "show", "--format=", "--name-only", "HEAD")).isEqualTo("src/caa/versions.yaml");
            assertThat(git(repo, "show", "--format=", "--name-only", "HEAD~1")).isEqualTo("src/caa/go.mod\nsrc/caa/versions.yaml");
            assertThat(git(repo, "status", "--porcelain")).isEqualTo("A  unrelated.txt"); // still staged, not committed
            assertThat(git(repo, "cat-file", "-p", "HEAD~1")).contains(
                    "author Cutter <cutter@example.com> 1714564800 +0000",
                    "committer Cutter <cutter@example.com> 1714564800 +0000").endsWith("chore(release): pin kbs v0.10.1\n\nRefs: #1");
        }
        assertThat(ids[0]).isEqualTo(ids[1]);
        Path repo = tmp.resolve("repo0");
        try (GitRepository r = GitRepository.open(repo)) {
            assertThatThrownBy(() -> r.commit(List.of(Path.of("missing.txt")), "m", BOT)).isInstanceOf(GitException.class)
                    .hasMessageContaining("missing.txt does not exist");
            assertThatThrownBy(() -> r.commit(List.of(tmp.resolve("elsewhere")), "m", BOT)).isInstanceOf(GitException.class)
                    .hasMessageContaining("outside the work tree");
        }
    }

    @Test
    void annotatedTagIsIdempotentAndNeverMoves() throws IOException {
        Path repo = init(tmp.resolve("repo"));
        String c1 = commit(repo, "a", "1", "one");
        String c2 = commit(repo, "a", "2", "two");
        try (GitRepository r = GitRepository.open(repo)) {
            Tag t = r.tag("src/webhook/v0.8.0", c1, "webhook v0.8.0", BOT);
            assertThat(t).isEqualTo(new Tag("src/webhook/v0.8.0", c1, true, "webhook v0.8.0\n"));
            String object = git(repo, "rev-parse", "refs/tags/src/webhook/v0.8.0");
            assertThat(r.tag("src/webhook/v0.8.0", c1, "another message", BOT)).isEqualTo(t);
            assertThat(git(repo, "rev-parse", "refs/tags/src/webhook/v0.8.0")).isEqualTo(object);
            assertThatThrownBy(() -> r.tag("src/webhook/v0.8.0", c2, "webhook v0.8.0", BOT))
                    .isInstanceOfSatisfying(TagMovedException.class, e -> {
                        assertThat(e.tag()).isEqualTo("src/webhook/v0.8.0");
                        assertThat(e.existingCommit()).isEqualTo(c1);
                        assertThat(e.requestedCommit()).isEqualTo(c2);
                    }).hasMessageContaining("never moved");
            assertThat(git(repo, "rev-parse", "refs/tags/src/webhook/v0.8.0")).isEqualTo(object);
            assertThatThrownBy(() -> r.tag("bad..name", c1, "m", BOT)).isInstanceOf(GitException.class).hasMessageContaining("not a valid git tag name");
        }
        assertThat(git(repo, "cat-file", "-p", "src/webhook/v0.8.0")).isEqualTo(
                "object " + c1 + "\ntype commit\ntag src/webhook/v0.8.0\ntagger Cutter <cutter@example.com> 1714564800 +0000\n\nwebhook v0.8.0");
    }

    @Test
    void credentialsComeFromGitCredentialHelpers() throws IOException {
        Path repo = init(tmp.resolve("repo"));
        Path helper = tmp.resolve("helper.sh");
        Files.writeString(helper, "#!/bin/sh\n[ \"$1\" = get ] || { cat > \"" + tmp.resolve("helper-$1.log") + "\"; exit 0; }\n"
                + "cat > \"" + tmp.resolve("request.log") + "\"\necho username=robot\necho password=s3cret\n");
        helper.toFile().setExecutable(true);
        git(repo, "config", "credential.helper", helper.toString());
        GitCredentials credentials = new GitCredentials(new GitCli(repo));
        URIish uri = new URIish().setScheme("https").setHost("git.example.com").setPath("/org/repo.git");
        CredentialItem.Username user = new CredentialItem.Username();
        CredentialItem.Password password = new CredentialItem.Password();
        assertThat(credentials.get(uri, user, password)).isTrue();
        assertThat(user.getValue()).isEqualTo("robot");
        assertThat(new String(password.getValue())).isEqualTo("s3cret");
        assertThat(Files.readString(tmp.resolve("request.log"))).contains("protocol=https\nhost=git.example.com\n");
        credentials.reset(uri);
        assertThat(Files.readString(tmp.resolve("helper-erase.log"))).contains("username=robot", "password=s3cret");
        // no helper: no prompt, just no credentials
        git(repo, "config", "--unset", "credential.helper");
        assertThat(new GitCredentials(new GitCli(repo)).get(uri, new CredentialItem.Username(), new CredentialItem.Password())).isFalse();
    }
}
