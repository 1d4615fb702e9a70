package dev.cutter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutter.app.Services;
import dev.cutter.ledger.JobState;
import dev.cutter.plan.Action;
import dev.cutter.plan.Job;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a run shows while it goes and when a job fails. */
class ProgressTest {
    @TempDir
    Path dir;

    private static Job job(String id) {
        return new Job(id, "build", id, List.of(), Map.of(), Optional.empty(),
                new Action.Build("true", Map.of(), "project", List.of(), List.of(), Optional.empty(), 0, List.of()));
    }

    /** The screen's lines as written: escapes removed, each line as long as the terminal would show it. */
    private static List<String> lines(StringWriter out) {
        return out.toString().replaceAll("\033\\[\\d*[AJ]", "").lines().toList();
    }

    /** Waits until the live table has drawn a line starting with {@code start} (at most 10 s, then the assertions say what is missing). */
    private static void redrawn(StringWriter out, String start) throws InterruptedException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (lines(out).stream().noneMatch(l -> l.startsWith(start)) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }

    @Test
    void liveRowsAreClippedToTheTerminalAndCountTheRunsJobs() throws Exception {
        StringWriter out = new StringWriter();
        Job long1 = job("push/runtime/15.4-LTS-python-3.12-ubuntu2404/linux-amd64/standard-gpu");
        Job short1 = job("build/app");
        try (Progress progress = new Progress(new PrintWriter(out, true), true, false, 40)) {
            progress.runStarted("r1", 3);
            progress.jobStarted(long1, 1);
            progress.jobStarted(short1, 1);
            redrawn(out, "  0/3 done, 2 running"); // the live table is redrawn on a timer
            progress.jobFinished(short1, JobState.SUCCEEDED, "", Duration.ofMillis(3800));
            redrawn(out, "  1/3 done, 1 running");
        }

        List<String> lines = lines(out);
        assertThat(lines.stream().filter(l -> l.startsWith("  running"))).isNotEmpty()
                .allSatisfy(l -> assertThat(l.length()).as(l).isLessThan(40));
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("  running  push/").contains("…"));
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("  0/3 done, 2 running"));
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("  1/3 done, 1 running"));
        assertThat(lines).contains("[1/3] done      build/app (3.8s)");
    }

    /** A clock the test moves. */
    private static final class Hands extends Clock {
        private volatile java.time.Instant now = java.time.Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public java.time.Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    @Test
    void theLiveCountSaysAboutHowLongTheRestWillTakeOnceAJobHasFinished() throws Exception {
        StringWriter out = new StringWriter();
        Hands clock = new Hands();
        try (Progress progress = new Progress(new PrintWriter(out, true), true, false, 80, clock)) {
            progress.runStarted("r1", 4);
            progress.jobStarted(job("build/a"), 1);
            clock.advance(Duration.ofSeconds(2));
            redrawn(out, "  0/4 done, 1 running, 2.0s");
            progress.jobFinished(job("build/a"), JobState.SUCCEEDED, "", Duration.ofSeconds(2));
            clock.advance(Duration.ofSeconds(2));
            redrawn(out, "  1/4 done, 0 running, 4.0s");
        }

        List<String> lines = lines(out);
        assertThat(lines).anySatisfy(l -> assertThat(l).isEqualTo("  0/4 done, 1 running, 2.0s"));
        assertThat(lines).as("3 jobs left at the pace so far, one job per 4 s").anySatisfy(l ->
                assertThat(l).isEqualTo("  1/4 done, 0 running, 4.0s, about 12.0s left"));
    }

    @Test
    void linesOutsideATerminalCountTheJobsToo() {
        StringWriter out = new StringWriter();
        try (Progress progress = new Progress(new PrintWriter(out, true), false, false)) {
            progress.runStarted("r1", 2);
            progress.jobFinished(job("build/a"), JobState.SUCCEEDED, "", Duration.ZERO);
            progress.jobFinished(job("build/b"), JobState.FAILED, "exited with status 3", Duration.ZERO);
        }

        assertThat(out.toString()).contains(" [1/2] done      build/a").contains(" [2/2] FAILED    build/b: exited with status 3");
    }

    @Test
    void aDumbTerminalIsNoTerminal() {
        assertThat(Services.interactive(Map.of("TERM", "dumb"), true)).isFalse();
        assertThat(Services.interactive(Map.of("TERM", "xterm-256color"), true)).isTrue();
        assertThat(Services.interactive(Map.of("TERM", "xterm-256color", "CI", "true"), true)).isFalse();
        assertThat(Services.interactive(Map.of("TERM", "xterm-256color"), false)).isFalse();
    }

    @Test
    void theTerminalsWidthIsColumnsWhenSet() {
        assertThat(Terminal.columns(Map.of("COLUMNS", "70"))).isEqualTo(70);
        assertThat(Terminal.columns(Map.of("COLUMNS", "wide"))).isPositive();
    }

    @Test
    void aFailedJobIsToldWithTheEndOfItsMaskedOutputAndTheCommandThatShowsAll() throws Exception {
        Files.writeString(dir.resolve("cutter.yaml"), """
                project: demo
                version: { tag: "v{version}" }
                builds:
                  - id: app
                    run: for i in 1 2 3 4 5 6 7 8 9 10 11 12; do echo "line $i"; done; echo "token $TOKEN"; exit 3
                    env: { TOKEN: "${env:DEMO_SECRET}" }
                """);
        Map<String, String> environment = new HashMap<>(Services.ofThisProcess().environment());
        environment.put("DEMO_SECRET", "hunter2");
        environment.put("CI", "true");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();

        int exit = Cutter.commandLine(new PrintWriter(out, true), new PrintWriter(err, true),
                new Services(environment, Clock.systemUTC(), dir)).execute("release", "--version", "1.0.0");

        assertThat(exit).as(out + "\n" + err).isEqualTo(ExitCode.JOB_FAILED);
        String summary = out.toString().substring(out.toString().indexOf("failed: build/app"));
        assertThat(summary).contains("  | line 12\n  | token ***\n").doesNotContain("line 1\n", "line 2\n", "hunter2")
                .containsPattern("cutter runs logs r[0-9a-z-]+ build/app");
    }

    @Test
    void aFailedJobWhoseDetailNamesNoLogsCommandIsGivenOne() {
        StringWriter out = new StringWriter();
        Progress progress = new Progress(new PrintWriter(new StringWriter()), false, false);
        progress.log(job("push/app"), "stderr", "HTTP 500 from 127.0.0.1:5000");
        var failed = new dev.cutter.run.JobResult("push/app", "push", JobState.FAILED, "the registry answered 500", Duration.ZERO,
                Optional.empty());
        var outcome = new dev.cutter.run.Outcome(dev.cutter.run.Outcome.Status.FAILED, "r20261207-1", "release failed", null,
                List.of(failed), List.of());

        new RunOutput().print(new PrintWriter(out, true), outcome, progress,
                new RunOutput.Recorded(Path.of("deploy/cutter.yaml"), "postgresql://cutter:hunter2@db/ledger"));

        assertThat(out.toString()).contains("failed: push/app: the registry answered 500\n  | HTTP 500 from 127.0.0.1:5000\n"
                + "  all of its output: cutter runs logs r20261207-1 push/app -f deploy/cutter.yaml --ledger postgresql://cutter:***@db/ledger\n")
                .doesNotContain("hunter2");
    }
}
