package dev.cutter.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutter.testing.LocalRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Promotion and the tag trigger agree (serverless-init, shared/seeds/000): a promotion makes the
 * version's git tag on the candidate's commit and pushes it to a bare remote standing in for
 * GitHub; the release that tag triggers finds the version published with the candidate's
 * digests and does nothing, with the promoting ledger and on a fresh machine without it. Where
 * it would publish anything else it is refused, and five real registries are left as they were.
 */
@Tag("e2e")
class PromotionTagTest {
    static final Map<String, String> ENV = Map.of("SLACK_WEBHOOK", "http://127.0.0.1:9/unused");
    static final String RC = "serverless-init-1.7.8-rc1";
    static final String TAG = "serverless-init-1.7.8";

    /** The bases, made once for the class: every test only reads them. */
    static LocalRegistry bases;

    final List<LocalRegistry> registries = new ArrayList<>();
    @TempDir
    Path tmp;
    Path project;
    Path remote;

    @BeforeAll
    static void releaseBases(@TempDir Path dir) throws Exception {
        bases = LocalRegistry.start();
        Projects.releaseBases(Projects.copy("serverless-init", dir.resolve("serverless-init")), "BASES", bases.address());
    }

    @AfterAll
    static void stopBases() throws Exception {
        bases.close();
    }

    @BeforeEach
    void start() throws Exception {
        for (int i = 0; i < ServerlessInitReleaseTest.VARS.size() - 1; i++) {
            registries.add(LocalRegistry.start());
        }
        registries.add(bases);
        project = Projects.copy("serverless-init", tmp.resolve("serverless-init"));
        remote = tmp.resolve("remotes").resolve("serverless-init.git");
        Files.createDirectories(remote.getParent());
        git(tmp, "init", "-q", "--bare", remote.toString());
        Projects.git(project, "remote", "add", "origin", remote.toString());
        Projects.git(project, "push", "-q", "origin", "main");
    }

    @AfterEach
    void stop() throws Exception {
        for (LocalRegistry r : registries.subList(0, ServerlessInitReleaseTest.VARS.size() - 1)) {
            r.close();
        }
    }

    /** {@code cutter ARGS…} in {@code dir} with the five registries as the spec's variables. */
    CutterProcess.Result cutter(Path dir, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        for (int i = 0; i < registries.size(); i++) {
            all.addAll(List.of("--var", ServerlessInitReleaseTest.VARS.get(i) + "=" + registries.get(i).address()));
        }
        return CutterProcess.inProcess(dir, ENV, all.toArray(String[]::new));
    }

    /** Every repository a release or promotion of serverless-init writes: production and -dev, in all five registries. */
    List<String> repositories() {
        List<String> all = new ArrayList<>();
        for (String suffix : List.of("", "-dev")) {
            all.addAll(List.of(registries.get(0).address() + "/ci/datadog-agent/serverless-init" + suffix,
                    registries.get(1).address() + "/datadog/serverless-init" + suffix,
                    registries.get(2).address() + "/datadoghq/serverless-init" + suffix,
                    registries.get(3).address() + "/datadoghq/gcr.io/serverless-init" + suffix,
                    registries.get(4).address() + "/datadog/serverless-init" + suffix));
        }
        return all;
    }

    /** The candidate as its team makes it: the RC tag pushed, and the release its trigger starts. Returns its commit. */
    String candidate() throws Exception {
        Projects.git(project, "tag", "-a", "-m", "1.7.8-rc1", RC);
        Projects.git(project, "push", "-q", "origin", RC);
        CutterProcess.Result rc = cutter(project, "trigger", "--ref", "refs/tags/" + RC);
        assertThat(rc.exit()).as(rc.out() + rc.err()).isZero();
        return git(project, "rev-parse", "HEAD").strip();
    }

    @Test
    void aPromotionTagsTheCandidatesCommitAndTheReleaseItsTagTriggersHasNothingToDo() throws Exception {
        String candidate = candidate();
        Files.writeString(project.resolve("src/main.go"), "package main // work after the candidate\n");
        Projects.git(project, "commit", "-qam", "work after the candidate");
        Projects.git(project, "push", "-q", "origin", "main");

        CutterProcess.Result promoted = cutter(project, "promote", "--from", "1.7.8-rc1", "--to", "1.7.8", "--tag");

        assertThat(promoted.exit()).as(promoted.out() + promoted.err()).isZero();
        assertThat(promoted.out()).contains("done      tag/version");
        assertThat(git(remote, "rev-parse", TAG + "^{commit}").strip()).as("on the candidate's commit, not HEAD").isEqualTo(candidate);
        assertThat(git(remote, "cat-file", "-p", TAG)).contains("serverless-init 1.7.8\n\nPromoted-from: " + RC);
        Map<String, String> published = RegistrySnapshot.of(repositories());
        assertThat(published).containsKeys(repositories().getFirst() + ":1.7.8", repositories().get(4) + ":latest-alpine");

        // the tag's CI job: the checkout at the tag, the same ledger
        Projects.git(project, "checkout", "-q", TAG);
        CutterProcess.Result triggered = cutter(project, "trigger", "--ref", "refs/tags/" + TAG);

        assertThat(triggered.exit()).as(triggered.out() + triggered.err()).isZero();
        assertThat(triggered.out()).contains("serverless-init 1.7.8 (tag " + TAG + ") was already released by run")
                .contains("(a promotion of " + RC + ")").contains("nothing to do").doesNotContain(" started");
        assertThat(RegistrySnapshot.of(repositories())).isEqualTo(published);

        CutterProcess.Result again = cutter(project, "promote", "--from", "1.7.8-rc1", "--to", "1.7.8", "--tag");
        assertThat(again.exit()).as(again.out() + again.err()).isZero();
        assertThat(again.out()).contains("nothing to do");

        // from a later commit, 1.7.8 would be other bytes: refused, nothing changes
        Projects.git(project, "checkout", "-q", "main");
        CutterProcess.Result later = cutter(project, "release", "--tag", TAG);
        assertThat(later.exit()).as(later.out() + later.err()).isEqualTo(3);
        assertThat(later.out()).contains("was already released by run").contains("(a promotion of " + RC + ")")
                .contains("with other content than this plan makes: push/serverless-init/alpine (")
                .contains(", push/serverless-init/standard (").contains("immutable");
        assertThat(RegistrySnapshot.of(repositories())).isEqualTo(published);
        assertThat(git(remote, "rev-parse", TAG + "^{commit}").strip()).isEqualTo(candidate);
    }

    @Test
    void thePromotionsTagGoesToTheRemoteTheSpecsGitNames() throws Exception {
        Path spec = project.resolve("cutter.yaml");
        Files.writeString(spec, Files.readString(spec) + "git: { remote: upstream }\n");
        Projects.git(project, "commit", "-qam", "releases go to upstream");
        Projects.git(project, "remote", "rename", "origin", "upstream");
        Projects.git(project, "push", "-q", "upstream", "main");
        Projects.git(project, "tag", "-a", "-m", "1.7.8-rc1", RC);
        Projects.git(project, "push", "-q", "upstream", RC);
        CutterProcess.Result rc = cutter(project, "trigger", "--ref", "refs/tags/" + RC);
        assertThat(rc.exit()).as(rc.out() + rc.err()).isZero();
        String candidate = git(project, "rev-parse", "HEAD").strip();

        CutterProcess.Result promoted = cutter(project, "promote", "--from", "1.7.8-rc1", "--to", "1.7.8", "--tag");

        assertThat(promoted.exit()).as(promoted.out() + promoted.err()).isZero();
        assertThat(git(remote, "rev-parse", TAG + "^{commit}").strip()).as("pushed to upstream").isEqualTo(candidate);
    }

    @Test
    void onAFreshMachineTheTagsReleaseFindsTheCandidatesDigestsInEveryRegistryAndDoesNothing() throws Exception {
        Path spec = project.resolve("cutter.yaml");
        Files.writeString(spec, Files.readString(spec).replace("  tag: \"serverless-init-{version}\"\n",
                "  tag: \"serverless-init-{version}\"\n  tag-on-promote: true\n"));
        Projects.git(project, "commit", "-qam", "promotions tag the version");
        String candidate = candidate();
        CutterProcess.Result promoted = cutter(project, "promote", "--from", "1.7.8-rc1", "--to", "1.7.8");
        assertThat(promoted.exit()).as(promoted.out() + promoted.err()).isZero();
        assertThat(git(remote, "rev-parse", TAG + "^{commit}").strip()).isEqualTo(candidate);
        Map<String, String> published = RegistrySnapshot.of(repositories());

        // a CI machine: a clone checked out at the pushed tag, no ledger, not even the RC's tag
        Path fresh = tmp.resolve("ci");
        git(tmp, "clone", "-q", remote.toString(), fresh.toString());
        Projects.git(fresh, "checkout", "-q", TAG);
        Projects.git(fresh, "tag", "-d", RC);
        CutterProcess.Result triggered = cutter(fresh, "trigger", "--ref", "refs/tags/" + TAG);

        assertThat(triggered.exit()).as(triggered.out() + triggered.err()).isZero();
        assertThat(triggered.out()).contains("serverless-init 1.7.8 (tag " + TAG + ") was already published by a promotion of " + RC
                + ": each of its 10 publications holds " + RC + "'s digest under its version tags").contains("nothing to do")
                .doesNotContain(" started");
        CutterProcess.Result emitted = cutter(fresh, "emit", "gitlab", "--tag", TAG, "-o", tmp.resolve("pipeline.yml").toString());
        assertThat(emitted.exit()).as(emitted.out() + emitted.err()).isZero();
        assertThat(emitted.err()).as("a pipeline of the tag has nothing to run either").contains("was already published by a promotion of " + RC);
        assertThat(RegistrySnapshot.of(repositories())).isEqualTo(published);

        // a replica holding something else under 1.7.8: not the promotion's bytes, so the release goes on and is refused
        ServerlessInitReleaseTest.retag(registries.get(3).address() + "/datadoghq/gcr.io/serverless-init", "1.7.8",
                "1.7.8-alpine");
        Map<String, String> tampered = RegistrySnapshot.of(repositories());
        CutterProcess.Result refused = cutter(fresh, "trigger", "--ref", "refs/tags/" + TAG);

        assertThat(refused.exit()).as(refused.out() + refused.err()).isEqualTo(3);
        assertThat(refused.out()).contains("exists at").contains("a released version never changes");
        assertThat(RegistrySnapshot.of(repositories())).as("a refused release changes nothing").isEqualTo(tampered);
    }

    @Test
    void theVersionTagPushedByHandAfterAPromotionReleasesNothingWithTheLedgerOrWithout() throws Exception {
        String candidate = candidate();
        CutterProcess.Result promoted = cutter(project, "promote", "--from", "1.7.8-rc1", "--to", "1.7.8");
        assertThat(promoted.exit()).as(promoted.out() + promoted.err()).isZero();
        Map<String, String> published = RegistrySnapshot.of(repositories());
        Projects.git(project, "tag", "-a", "-m", "1.7.8", TAG, candidate); // the seed's production trigger
        Projects.git(project, "push", "-q", "origin", TAG);

        CutterProcess.Result here = cutter(project, "trigger", "--ref", "refs/tags/" + TAG);
        Path fresh = tmp.resolve("ci");
        git(tmp, "clone", "-q", remote.toString(), fresh.toString());
        Projects.git(fresh, "checkout", "-q", TAG);
        CutterProcess.Result elsewhere = cutter(fresh, "trigger", "--ref", "refs/tags/" + TAG);

        Map<String, String> after = RegistrySnapshot.of(repositories());
        org.assertj.core.api.SoftAssertions.assertSoftly(softly -> { // with the ledger and without, each on its own
            softly.assertThat(here.exit()).as(here.out() + here.err()).isZero();
            softly.assertThat(here.out()).contains("was already released by run").contains("(a promotion of " + RC + ")")
                    .contains("nothing to do");
            softly.assertThat(elsewhere.exit()).as(elsewhere.out() + elsewhere.err()).isZero();
            softly.assertThat(elsewhere.out()).contains("was already published by a promotion of " + RC).contains("nothing to do")
                    .doesNotContain(" started");
            softly.assertThat(after).isEqualTo(published);
        });
    }

    static String git(Path dir, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("git", "-C", dir.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().putAll(Projects.GIT_ENV);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("git " + String.join(" ", args) + ": " + out).isZero();
        return out;
    }
}
