package dev.cutter.kinds.build;
import dev.cutter.run.jobs.Contexts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cutter.content.Digest;
import dev.cutter.run.JobFailure;
import dev.cutter.run.JobOutcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import dev.cutter.plan.Action;
import dev.cutter.plan.Job;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Builds run real commands through /bin/sh in a real project directory. */
class BuildJobTest {
    @TempDir
    Path project;

    static final Map<String, String> ENV = Map.of("PATH", System.getenv("PATH"), "DEPLOY_TOKEN", "tok-12345-secret");

    JobOutcome run(Contexts.Recording context) throws Exception {
        return Contexts.run(new BuildJob(Map.of("PATH", System.getenv("PATH"))), context);
    }

    @Test
    void runsTheCommandWithItsEnvironmentAndHashesTheOutputs() throws Exception {
        var job = Contexts.build("build/app/linux-arm64", "mkdir -p out && printf '%s/%s' \"$GOOS\" \"$GOARCH\" > out/app && echo built",
                Map.of("GOOS", "linux", "GOARCH", "arm64"), List.of(), List.of("out/app"), "project");
        var context = new Contexts.Recording(project, job, ENV);

        JobOutcome outcome = run(context);

        assertThat(outcome.skipped()).isFalse();
        assertThat(Files.readString(project.resolve("out/app"))).isEqualTo("linux/arm64");
        assertThat(outcome.outputs()).singleElement().satisfies(o -> {
            assertThat(o.path()).isEqualTo(Path.of("out/app"));
            assertThat(o.digest()).isEqualTo(Digest.sha256("linux/arm64".getBytes()));
            assertThat(o.size()).isEqualTo(11);
        });
        assertThat(context.lines).containsExactly("stdout: built");
    }

    @Test
    void aFailingCommandFailsTheJobWithItsStatus() {
        var job = Contexts.build("build/x", "echo compiling; echo 'error: boom' >&2; exit 3", Map.of(), List.of(), List.of(), "project");
        var context = new Contexts.Recording(project, job, ENV);

        assertThatThrownBy(() -> run(context)).isInstanceOf(JobFailure.class)
                .hasMessageContaining("exited with status 3").hasMessageContaining("cutter runs logs r1 build/x");
        assertThat(context.lines).contains("stdout: compiling", "stderr: error: boom");
    }

    @Test
    void aDeclaredOutputThatWasNotProducedFailsTheJob() {
        var job = Contexts.build("build/x", "true", Map.of(), List.of(), List.of("out/missing"), "project");

        assertThatThrownBy(() -> run(new Contexts.Recording(project, job, ENV))).isInstanceOf(JobFailure.class)
                .hasMessageContaining("did not produce its declared output out/missing");
    }

    @Test
    void secretsInTheEnvironmentReachTheCommandButNotTheLog() throws Exception {
        var job = Contexts.build("build/x", "echo \"token is $TOKEN\"", Map.of("TOKEN", "${env:DEPLOY_TOKEN}"), List.of(), List.of(), "project");
        var context = new Contexts.Recording(project, job, ENV);

        run(context);

        assertThat(context.lines).containsExactly("stdout: token is ***");
    }

    @Test
    void unchangedInputsSkipTheBuildAndLostOutputsComeBackFromTheCache() throws Exception {
        Files.writeString(project.resolve("main.c"), "int main(){}");
        var job = Contexts.build("build/x", "mkdir -p out && date +%s%N > out/bin && echo ran", Map.of(), List.of("*.c"),
                List.of("out/bin"), "project");

        JobOutcome first = run(new Contexts.Recording(project, job, ENV));
        String built = Files.readString(project.resolve("out/bin"));
        JobOutcome second = run(new Contexts.Recording(project, job, ENV));
        Files.delete(project.resolve("out/bin"));
        JobOutcome third = run(new Contexts.Recording(project, job, ENV));
        String restored = Files.readString(project.resolve("out/bin"));
        Files.writeString(project.resolve("main.c"), "int main(){return 1;}");
        var fourthContext = new Contexts.Recording(project, job, ENV);
        JobOutcome fourth = run(fourthContext);

        assertThat(first.skipped()).isFalse();
        assertThat(second.skipped()).isTrue();
        assertThat(second.detail()).contains("outputs present");
        assertThat(third.skipped()).isTrue();
        assertThat(third.detail()).contains("restored from the cache");
        assertThat(restored).isEqualTo(built);
        assertThat(third.outputs()).extracting(o -> o.digest()).containsExactly(first.outputs().get(0).digest());
        assertThat(fourth.skipped()).isFalse();
        assertThat(fourthContext.lines).containsExactly("stdout: ran");
    }

    @Test
    void aCleanBuildRunsInAnEmptyDirectoryAndItsOutputsLandInTheProject() throws Exception {
        Files.writeString(project.resolve("stray"), "x");
        var job = Contexts.build("build/x", "n=$(ls -A | wc -l) && mkdir -p out && echo $n > out/count", Map.of(), List.of(),
                List.of("out/count"), "clean");

        run(new Contexts.Recording(project, job, ENV));

        assertThat(Files.readString(project.resolve("out/count")).trim()).isEqualTo("0");
    }

    @Test
    void cancellingStopsTheCommandAndEverythingItStarted() throws Exception {
        assertCancellingStopsEverything("touch started; sleep 60.4711 & sleep 60.4711; wait", "sleep 60.4711");
    }

    @Test
    void cancellingStopsAProcessTheCommandHandedToInitThatHoldsItsOutput() throws Exception {
        // (… &) leaves a sleeper whose parent is init and that holds the job's stdout: the job must
        // not wait for it, and it must not outlive the job
        assertCancellingStopsEverything("(sleep 61.5813 &) ; touch started; sleep 61.5813", "sleep 61.5813");
    }

    /** Runs {@code command}, cancels the job once two processes of {@code leftover} run, and checks that the job ends at once and none of them survives. */
    private void assertCancellingStopsEverything(String command, String leftover) throws Exception {
        var job = Contexts.build("build/x", command, Map.of(), List.of(), List.of(), "project");
        var context = new Contexts.Recording(project, job, ENV);
        var running = new java.util.concurrent.atomic.AtomicLong();
        Thread.ofVirtual().start(() -> {
            try {
                running.set(dev.cutter.testing.Processes.awaitAtLeast("^" + leftover, 2));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            } finally {
                context.cancellation.cancel("interrupted");
            }
        });
        long start = System.nanoTime();

        assertThatThrownBy(() -> run(context)).hasMessage("interrupted");
        assertThat(running.get()).as("both sleepers ran before the job was cancelled").isEqualTo(2);
        assertThat((System.nanoTime() - start) / 1_000_000_000).as("the job ended at once").isLessThan(10);
        assertThat(dev.cutter.testing.Processes.awaitNone(leftover)).as("everything the command started is gone").isEmpty();
    }

    @org.junit.jupiter.api.Tag("security")
    @Test
    void aCommandSeesTheFixedBaseAndWhatItDeclaresNotTheWholeEnvironment() throws Exception {
        Map<String, String> server = Map.of("PATH", System.getenv("PATH"), "HOME", "/home/cutter", "HOOK_SECRET", "hook-5ecret",
                "CUTTER_LEDGER", "postgresql://u:pw@db/ledger", "GOFLAGS", "-mod=vendor");
        var job = new Job("build/x", "build", "build/x", List.of(), Map.of(), Optional.empty(),
                new Action.Build("env > seen.txt", Map.of("GOOS", "linux"), "project", List.of(), List.of(), Optional.empty(), 0,
                        List.of("GOFLAGS")));

        Contexts.run(new BuildJob(server), new Contexts.Recording(project, job, server));

        String seen = Files.readString(project.resolve("seen.txt"));
        assertThat(seen).contains("HOME=/home/cutter", "GOOS=linux", "GOFLAGS=-mod=vendor", "CUTTER_RUN=r1")
                .doesNotContain("HOOK_SECRET", "hook-5ecret", "postgresql://");
    }

    @org.junit.jupiter.api.Tag("security")
    @Test
    void theCacheKeyDependsOnASecretsReferenceNotItsValue() throws Exception {
        Files.writeString(project.resolve("in.txt"), "source");
        var job = Contexts.build("build/x", "mkdir -p out && cat in.txt > out/app", Map.of("TOKEN", "${env:DEPLOY_TOKEN}"),
                List.of("in.txt"), List.of("out/app"), "project");
        run(new Contexts.Recording(project, job, ENV));

        Path entries = project.resolve(".cutter/cache/builds");
        String entry;
        try (var files = Files.list(entries)) {
            entry = Files.readString(files.findFirst().orElseThrow());
        }
        String secretDigest = Digest.sha256("tok-12345-secret".getBytes()).hex();
        assertThat(entry).doesNotContain("tok-12345-secret").doesNotContain(secretDigest);
        // The key is the same whatever the secret's value: nothing in the cache answers a guess.
        var other = new Contexts.Recording(project, job, Map.of("PATH", System.getenv("PATH"), "DEPLOY_TOKEN", "another"));
        assertThat(run(other).skipped()).isTrue();
    }
}
