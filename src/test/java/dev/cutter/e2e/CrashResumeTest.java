package dev.cutter.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutter.content.Digest;
import dev.cutter.ledger.Ledger;
import dev.cutter.ledger.RunState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The KM release killed with SIGKILL at seeded points, then resumed: the release directory and
 * the ledger's record end as they do after an uninterrupted run, and nothing is published twice.
 * The killed releases are processes of their own; the resumes after them run in this JVM.
 */
@Tag("e2e")
class CrashResumeTest {
    static final Map<String, String> ENV = Map.of("SOURCE_DATE_EPOCH", "1767323045");
    static final String TAG = "v0.9-beta";
    static final int TRIALS = 12;

    @TempDir
    Path tmp;

    @Test
    void aReleaseKilledAtAnyPointAndResumedEndsLikeAnUninterruptedOne() throws Exception {
        Path clean = Projects.copy("km", tmp.resolve("clean"));
        // a process: its start-up and run, timed, place the kill points of the processes below
        Process first = CutterProcess.start(clean, ENV, clean.resolve("release.log"), "release", "--tag", TAG);
        long startup = awaitFirstJob(first, clean.resolve("release.log"));
        long begun = System.nanoTime();
        assertThat(first.waitFor(2, TimeUnit.MINUTES)).isTrue();
        long millis = Math.max(50, (System.nanoTime() - begun) / 1_000_000);
        assertThat(first.exitValue()).as(Files.readString(clean.resolve("release.log"))).isZero();
        Map<String, String> expected = snapshot(clean);
        assertThat(expected).containsKeys("kontain.tar.gz", "SHA256SUMS", "SHA256SUMS.asc", "release.json");

        Random random = new Random(20261123);
        Map<String, Integer> outcomes = new TreeMap<>();
        for (int trial = 0; trial < TRIALS; trial++) {
            Path dir = Projects.copy("km", tmp.resolve("trial-" + trial));
            Process release = CutterProcess.start(dir, ENV, dir.resolve("killed.log"), "release", "--tag", TAG); // a process: SIGKILLed below
            long delay;
            if (trial < 2) { // while the JVM starts and plans: before or while the run is recorded
                delay = (long) (startup * (0.5 + random.nextDouble() / 2));
                Thread.sleep(delay); // the seeded point at which the release dies
            } else { // spread over the run itself, from its first job to its last
                awaitFirstJob(release, dir.resolve("killed.log"));
                delay = (long) (0.8 * millis * (trial - 2 + random.nextDouble()) / (TRIALS - 2));
                Thread.sleep(delay); // the seeded point at which the release dies
            }
            release.destroyForcibly();
            assertThat(release.waitFor(30, TimeUnit.SECONDS)).isTrue();

            CutterProcess.Result resumed = CutterProcess.inProcess(dir, ENV, "release", "--resume", "last");
            String outcome = resumed.out().contains("nothing to resume") ? "finished before the kill" : "resumed";
            if (resumed.exit() == 2 && (resumed.out() + resumed.err()).contains("no such run")) {
                resumed = CutterProcess.inProcess(dir, ENV, "release", "--tag", TAG); // killed before the run was recorded
                outcome = "killed before the run was recorded";
            }
            outcomes.merge(outcome, 1, Integer::sum);
            String context = "trial " + trial + " killed after " + delay + " ms: " + resumed.out() + resumed.err();
            assertThat(resumed.exit()).as(context).isZero();
            assertThat(snapshot(dir)).as(context).isEqualTo(expected);
            try (Ledger ledger = Ledger.open(dir.resolve(".cutter/ledger.db").toString())) {
                var run = ledger.latestRun().orElseThrow();
                assertThat(run.state()).as(context).isEqualTo(RunState.SUCCEEDED);
                assertThat(ledger.jobs(run.id())).as(context).allSatisfy(j -> assertThat(j.state().isDone()).isTrue());
                long publications = ledger.runs(100).stream().flatMap(r -> ledger.effects(r.id()).stream())
                        .filter(e -> e.kind().equals("release")).count();
                assertThat(publications).as(context + ": the release was published once").isLessThanOrEqualTo(1);
            }
            CutterProcess.Result again = CutterProcess.inProcess(dir, ENV, "release", "--tag", TAG);
            assertThat(again.out()).as(context).contains("nothing to do");
        }
        System.out.println("crash trials: " + outcomes);
        assertThat(outcomes.getOrDefault("resumed", 0)).as("kills that landed inside a run: " + outcomes).isGreaterThanOrEqualTo(4);
    }

    /** Waits until the release has started its first job; returns the milliseconds that took. */
    static long awaitFirstJob(Process process, Path log) throws Exception {
        long start = System.nanoTime();
        while (process.isAlive() && !(Files.exists(log) && Files.readString(log).contains(" started"))) {
            Thread.sleep(5); // polling the log of another process
        }
        return (System.nanoTime() - start) / 1_000_000;
    }

    /** Every file of the published release by digest; release.json without its creation time. */
    static Map<String, String> snapshot(Path project) throws Exception {
        Path release = project.resolve("dist/km-releases").resolve(TAG).toRealPath();
        Map<String, String> files = new TreeMap<>();
        try (var list = Files.list(release)) {
            for (Path f : list.toList()) {
                String name = f.getFileName().toString();
                if (name.equals("release.json")) {
                    files.put(name, Files.readString(f).replaceAll("\"created\": \"[^\"]+\"", "\"created\": \"…\""));
                } else {
                    files.put(name, Digest.sha256(f).toString());
                }
            }
        }
        return files;
    }
}
