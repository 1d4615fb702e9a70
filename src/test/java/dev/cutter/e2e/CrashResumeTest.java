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
        long start = System.nanoTime();
        CutterProcess.Result uninterrupted = CutterProcess.run(clean, ENV, "release", "--tag", TAG);
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertThat(uninterrupted.exit()).as(uninterrupted.out() + uninterrupted.err()).isZero();
        Map<String, String> expected = snapshot(clean);
        assertThat(expected).containsKeys("kontain.tar.gz", "SHA256SUMS", "SHA256SUMS.asc", "release.json");

        Random random = new Random(20261123);
        for (int trial = 0; trial < TRIALS; trial++) {
            Path dir = Projects.copy("km", tmp.resolve("trial-" + trial));
            long delay = (long) (millis * (trial + random.nextDouble()) / TRIALS);
            Process release = CutterProcess.start(dir, ENV, dir.resolve("killed.log"), "release", "--tag", TAG);
            Thread.sleep(delay); // the seeded point at which the release dies
            release.destroyForcibly();
            assertThat(release.waitFor(30, TimeUnit.SECONDS)).isTrue();

            CutterProcess.Result resumed = CutterProcess.run(dir, ENV, "release", "--resume", "last");
            if (resumed.exit() == 2 && (resumed.out() + resumed.err()).contains("no such run")) {
                resumed = CutterProcess.run(dir, ENV, "release", "--tag", TAG); // killed before the run was recorded
            }
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
            CutterProcess.Result again = CutterProcess.run(dir, ENV, "release", "--tag", TAG);
            assertThat(again.out()).as(context).contains("nothing to do");
        }
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
