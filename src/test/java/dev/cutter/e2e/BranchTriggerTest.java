package dev.cutter.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutter.testing.LocalRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Branch pushes as the seeds' teams make them, through {@code cutter trigger} in a CI checkout
 * cloned from a bare remote: dbx-runtime's main (shared/seeds/001) releases {@code
 * {last}-main.{commits}} unless the push changed nothing under its paths; KM's release branches
 * and master (shared/seeds/002) release {@code 0.n-daily}, replaced on every push because its
 * channel is rolling, while a version of a channel that is not rolling is never released twice.
 */
@Tag("e2e")
class BranchTriggerTest {
    static final Map<String, String> ENV = Map.of("SOURCE_DATE_EPOCH", "1767323045");

    @TempDir
    Path tmp;
    Path work;
    Path remote;
    Path ci;

    /** The example in a developer's repository on {@code branch}, pushed to a bare remote, and a CI checkout cloned from it. */
    void project(String example, String branch) throws Exception {
        work = Projects.copy(example, tmp.resolve("work"));
        Projects.git(work, "branch", "-q", "-M", branch);
        remote = tmp.resolve("remote.git");
        Projects.git(tmp, "init", "-q", "--bare", remote.toString());
        Projects.git(work, "remote", "add", "origin", remote.toString());
        Projects.git(work, "push", "-q", "origin", branch);
        ci = tmp.resolve("ci");
        Projects.git(tmp, "clone", "-q", remote.toString(), ci.toString());
    }

    /** A commit in the developer's repository changing {@code file}, pushed to the remote's {@code branch}. */
    void commitAndPush(String branch, String file, String text) throws Exception {
        Files.writeString(work.resolve(file), text);
        Projects.git(work, "add", "-A");
        Projects.git(work, "commit", "-q", "-m", "change " + file);
        Projects.git(work, "push", "-q", "origin", "HEAD:refs/heads/" + branch);
    }

    void tagAndPush(String tag) throws Exception {
        Projects.git(work, "tag", "-a", "-m", tag, tag);
        Projects.git(work, "push", "-q", "origin", tag);
    }

    /** What the CI job of a push runs: the pushed ref checked out from the remote, then {@code cutter trigger --ref REF}. */
    CutterProcess.Result trigger(String ref, String... more) throws Exception {
        Projects.git(ci, "fetch", "-q", "--tags", "--force", "origin", "+refs/heads/*:refs/remotes/origin/*");
        Projects.git(ci, "checkout", "-q", "--detach", ref.startsWith("refs/heads/")
                ? "refs/remotes/origin/" + ref.substring("refs/heads/".length()) : ref);
        List<String> args = new ArrayList<>(List.of("trigger", "--ref", ref));
        args.addAll(List.of(more));
        return CutterProcess.inProcess(ci, ENV, args.toArray(String[]::new));
    }

    @BeforeEach
    void gitIsThere() {
        dev.cutter.testing.Tools.require("git", "git");
    }

    @Test
    void dbxMainReleasesLastMainCommitsAndAPushThatChangesNothingReleasedDoesNothing() throws Exception {
        try (LocalRegistry ghcr = LocalRegistry.start()) {
            project("dbx-runtime", "main");
            Projects.releaseBases(work, "GHCR", ghcr.address());
            String image = ghcr.address() + "/twsl/dbx-runtime";

            CutterProcess.Result first = trigger("refs/heads/main", "--var", "GHCR=" + ghcr.address());
            assertThat(first.exit()).as(first.out() + first.err()).isZero();
            assertThat(first.out()).contains("branch main matches triggers[0]").contains("--version 0.0.0-main.1");
            assertThat(ServerlessInitReleaseTest.tags(image)).containsKeys("python-17.3-lts-ubuntu2404-py312", "minimal");

            tagAndPush("v1.0.0");
            CutterProcess.Result tagged = trigger("refs/tags/v1.0.0", "--var", "GHCR=" + ghcr.address());
            assertThat(tagged.exit()).as(tagged.out() + tagged.err()).isZero();
            Map<String, String> released = ServerlessInitReleaseTest.tags(image);

            commitAndPush("main", "README.md", "docs only\n");
            CutterProcess.Result docs = trigger("refs/heads/main", "--var", "GHCR=" + ghcr.address());
            assertThat(docs.exit()).as(docs.out() + docs.err()).isZero();
            assertThat(docs.out()).contains("nothing under triggers[0].paths [cutter.yaml, data/, docker/, scripts/] changed since v1.0.0")
                    .contains("nothing to do").doesNotContain("cutter release");
            assertThat(ServerlessInitReleaseTest.tags(image)).isEqualTo(released);

            CutterProcess.Result newBranch = trigger("refs/heads/main", "--var", "GHCR=" + ghcr.address(), "--since", "0".repeat(40));
            assertThat(newBranch.out()).as("no previous commit: since the tag").contains("changed since v1.0.0");
            String before = git(ci, "rev-parse", "HEAD");
            commitAndPush("main", "data/base/minimal", "minimal, rebuilt\n");
            commitAndPush("main", "README.md", "docs again\n");
            CutterProcess.Result sincePush = trigger("refs/heads/main", "--var", "GHCR=" + ghcr.address(), "--since",
                    git(work, "rev-parse", "HEAD~1"));
            assertThat(sincePush.exit()).as(sincePush.out() + sincePush.err()).isZero();
            assertThat(sincePush.out()).as("the push's own changes").contains("changed since " + git(work, "rev-parse", "HEAD~1"))
                    .contains("nothing to do");
            assertThat(ServerlessInitReleaseTest.tags(image)).isEqualTo(released);
            CutterProcess.Result data = trigger("refs/heads/main", "--var", "GHCR=" + ghcr.address(), "--since", before);
            assertThat(data.exit()).as(data.out() + data.err()).isZero();
            assertThat(data.out()).contains("--version 1.0.0-main.3");
            Map<String, String> after = ServerlessInitReleaseTest.tags(image);
            assertThat(after.get("minimal")).as("main pushes what changed").isNotEqualTo(released.get("minimal"));
            assertThat(after.get("gpu")).isEqualTo(released.get("gpu"));
        }
    }

    @Test
    void kmReleaseBranchesAndMasterReplaceTheirDailyReleaseOnEveryPush() throws Exception {
        project("km", "master");
        tagAndPush("v0.9-beta");
        tagAndPush("v0.1-test"); // a rolling channel's tag is where no line starts

        CutterProcess.Result master = trigger("refs/heads/master");
        assertThat(master.exit()).as(master.out() + master.err()).isZero();
        assertThat(master.out()).contains("branch master matches triggers[3]").contains("--version 0.9-daily");
        Path daily = ci.resolve("dist/km-releases/v0.9-daily/release.json");
        String firstNotes = Files.readString(daily);

        commitAndPush("master", "NOTES", "a master update\n");
        CutterProcess.Result update = trigger("refs/heads/master");
        assertThat(update.exit()).as(update.out() + update.err()).isZero();
        assertThat(update.out()).contains("--version 0.9-daily");
        String sha = git(ci, "rev-parse", "--short=7", "HEAD");
        assertThat(Files.readString(daily)).as("replaced: the rolling channel").isNotEqualTo(firstNotes).contains(sha);

        Projects.git(work, "branch", "-q", "releases/km/v0.10");
        commitAndPush("releases/km/v0.10", "NOTES", "0.10 stabilises\n");
        CutterProcess.Result branch = trigger("refs/heads/releases/km/v0.10");
        assertThat(branch.exit()).as(branch.out() + branch.err()).isZero();
        assertThat(branch.out()).contains("branch releases/km/v0.10 matches triggers[1]").contains("--version 0.10-daily");
        assertThat(ci.resolve("dist/km-releases/v0.10-daily/kontain.tar.gz")).exists();

        commitAndPush("releases/beta/snapshot-api", "NOTES", "a snapshot\n");
        CutterProcess.Result snapshot = trigger("refs/heads/releases/beta/snapshot-api");
        assertThat(snapshot.exit()).as(snapshot.out() + snapshot.err()).isZero();
        assertThat(snapshot.out()).contains("--version 0.9-beta-snapshot-api.3");
    }

    @Test
    void aBranchVersionThatRendersInvalidIsRefusedWithItsFieldAndNothingIsMade() throws Exception {
        project("km", "master");
        commitAndPush("releases/km/vnext", "NOTES", "no number\n");

        CutterProcess.Result result = trigger("refs/heads/releases/km/vnext");

        assertThat(result.exit()).as(result.out() + result.err()).isEqualTo(2);
        assertThat(result.err()).containsPattern("cutter\\.yaml:\\d+:\\d+: triggers\\[1\\]\\.version: \"\\{branch\\.name\\}-daily\""
                + " renders \"next-daily\" for branch releases/km/vnext");
        assertThat(ci.resolve("dist")).doesNotExist();
    }

    @Test
    void aShallowCheckoutCannotCountCommitsAndSaysHowToFetchThem() throws Exception {
        project("dbx-runtime", "main");
        commitAndPush("main", "data/base/minimal", "minimal, rebuilt\n");
        Path shallow = tmp.resolve("shallow");
        Projects.git(tmp, "clone", "-q", "--depth", "1", "-b", "main", "file://" + remote, shallow.toString());

        CutterProcess.Result result = CutterProcess.inProcess(shallow, ENV, "trigger", "--ref", "refs/heads/main");

        assertThat(result.exit()).as(result.out() + result.err()).isEqualTo(2);
        assertThat(result.err()).contains("triggers[0].version counts commits").contains("is shallow").contains("fetch-depth: 0");
    }

    @Test
    void aBranchVersionOfAChannelThatIsNotRollingIsNeverReleasedTwice() throws Exception {
        project("km", "master");
        Path spec = work.resolve("cutter.yaml");
        Files.writeString(spec, Files.readString(spec).replace("version: \"{branch.name}-daily\"", "version: \"{branch.name}-beta\""));
        Projects.git(work, "commit", "-q", "-am", "release branches release betas");
        Projects.git(work, "push", "-q", "origin", "master");
        Projects.git(work, "branch", "-q", "releases/km/v0.10");
        commitAndPush("releases/km/v0.10", "NOTES", "first\n");
        CutterProcess.Result first = trigger("refs/heads/releases/km/v0.10");
        assertThat(first.exit()).as(first.out() + first.err()).isZero();
        Map<String, String> before = KmReleaseTest.tree(ci.resolve("dist/km-releases"));

        commitAndPush("releases/km/v0.10", "NOTES", "second\n");
        CutterProcess.Result second = trigger("refs/heads/releases/km/v0.10");

        assertThat(second.exit()).as(second.out() + second.err()).isEqualTo(3);
        assertThat(KmReleaseTest.tree(ci.resolve("dist/km-releases"))).isEqualTo(before);
    }

    static String git(Path dir, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("git"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).strip();
        p.waitFor();
        return out;
    }
}
