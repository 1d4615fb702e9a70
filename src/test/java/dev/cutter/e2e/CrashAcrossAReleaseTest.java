package dev.cutter.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutter.content.Digest;
import dev.cutter.ledger.Ledger;
import dev.cutter.ledger.RunState;
import dev.cutter.testing.LocalRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A release that touches every kind of target — the Veilid process (builds, .deb and .rpm,
 * signed apt and yum repositories) plus a two-platform image pushed to a registry with a floating
 * tag, an archive, checksums and a release in a release store — killed with SIGKILL at seeded
 * points spread over its jobs, then resumed with {@code --resume last}. The final state equals an
 * uninterrupted run's: the registry's tags and digests, every file of both repositories byte for
 * byte, every file of the release; no temporary file anywhere in {@code dist/} and nothing left
 * in Cutter's staging; in the ledger every job is done and no effect is recorded twice.
 * {@code -Dcutter.crash.trials} trials (6 in CI; {@code bench/reliability} runs 24). The killed
 * releases are processes of their own; the uninterrupted run and the resumes run in this JVM.
 */
@Tag("e2e")
class CrashAcrossAReleaseTest {
    static final Map<String, String> ENV = Map.of("SOURCE_DATE_EPOCH", "1767323045", "CARGO_REGISTRY_TOKEN", "not-a-token",
            "PYPI_TOKEN", "not-a-token");
    static final String TAG = "v0.4.1";
    static final int TRIALS = Integer.getInteger("cutter.crash.trials", 6);

    @TempDir
    Path tmp;

    /** The Veilid example with an image, an archive, checksums and a release added, its post-release checks left out. */
    static Path project(Path dir) throws Exception {
        Path project = Projects.copy("veilid", dir);
        String spec = Files.readString(project.resolve("cutter.yaml"));
        spec = spec.substring(0, spec.indexOf("validate:")) + spec.substring(spec.indexOf("triggers:"));
        spec += """
                vars:
                  REGISTRY: "127.0.0.1:5000"
                registries:
                  r: { url: "{vars.REGISTRY}" }
                images:
                  - id: server
                    platforms: [linux/amd64, linux/arm64]
                    files: { /usr/bin/veilid-server: "dist/{platform.arch}/veilid-server" }
                    entrypoint: [ /usr/bin/veilid-server ]
                    push: r/veilid/veilid-server
                    tags: [ "{version}", latest ]
                archives:
                  - id: bundle
                    name: "veilid-{version}-linux-amd64.tar.gz"
                    format: tar.gz
                    files:
                      - { src: "dist/amd64/**", dst: "bin" }
                checksums:
                  name: SHA256SUMS
                releases:
                  - id: store
                    name: "v{version}"
                    store: "dir:dist/releases"
                    notes: "Veilid v{version}"
                """;
        Files.writeString(project.resolve("cutter.yaml"), spec);
        Projects.git(project, "commit", "-q", "-am", "images, archive and release");
        return project;
    }

    @Test
    void killedAtSeededPointsAcrossImagesRepositoriesAndTheStoreEachResumeEndsLikeAnUninterruptedRun() throws Exception {
        Map<String, String> expected;
        int jobs;
        try (LocalRegistry registry = LocalRegistry.start()) {
            Path clean = project(tmp.resolve("clean"));
            CutterProcess.Result first = CutterProcess.inProcess(clean, ENV, "release", "--tag", TAG, "--var", "REGISTRY=" + registry.address());
            assertThat(first.exit()).as(first.out() + first.err()).isZero();
            expected = snapshot(clean, registry);
            jobs = (int) first.out().lines().filter(l -> l.contains(" started")).count();
        }
        assertThat(expected).containsKeys("registry veilid/veilid-server:0.4.1", "registry veilid/veilid-server:latest",
                "release SHA256SUMS", "release veilid-0.4.1-linux-amd64.tar.gz",
                "repository apt/dists/stable/InRelease", "repository rpm/repodata/repomd.xml");
        assertThat(jobs).as("jobs started in the uninterrupted run").isGreaterThan(10);

        Random random = new Random(20261203);
        Map<String, Integer> outcomes = new TreeMap<>();
        for (int trial = 0; trial < TRIALS; trial++) {
            try (LocalRegistry registry = LocalRegistry.start()) {
                Path dir = project(tmp.resolve("trial-" + trial));
                Path log = dir.resolve("killed.log");
                String var = "REGISTRY=" + registry.address();
                Process release = CutterProcess.start(dir, ENV, log, "release", "--tag", TAG, "--var", var); // a process: SIGKILLed below
                // the seeded point: the start of job k (k spread over the whole run), plus up to 40 ms
                int k = trial == 0 ? 0 : 1 + (int) ((long) (jobs - 1) * trial / TRIALS) + random.nextInt(Math.max(1, jobs / TRIALS));
                long extra = random.nextInt(40);
                awaitStarted(release, log, k);
                Thread.sleep(extra); // the seeded point at which the release dies
                release.destroyForcibly();
                assertThat(release.waitFor(30, TimeUnit.SECONDS)).isTrue();
                String point = "trial " + trial + ", killed " + extra + " ms after job " + k + " of " + jobs + " started";

                CutterProcess.Result resumed = CutterProcess.inProcess(dir, ENV, "release", "--resume", "last");
                String outcome = resumed.out().contains("nothing to resume") ? "finished before the kill" : "resumed";
                if (resumed.exit() == 2 && (resumed.out() + resumed.err()).contains("no such run")) {
                    resumed = CutterProcess.inProcess(dir, ENV, "release", "--tag", TAG, "--var", var);
                    outcome = "killed before the run was recorded";
                }
                outcomes.merge(outcome, 1, Integer::sum);
                String context = point + ": " + resumed.out() + resumed.err();
                assertThat(resumed.exit()).as(context).isZero();
                assertThat(snapshot(dir, registry)).as(context).isEqualTo(expected);
                assertThat(NoTempFilesAfterACrashTest.leftovers(dir.resolve("dist"))).as(context + ": temporary files in dist/").isEmpty();
                assertThat(NoTempFilesAfterACrashTest.staging(dir)).as(context + ": Cutter's staging after the resume").isEmpty();
                try (Ledger ledger = Ledger.open(dir.resolve(".cutter/ledger.db").toString())) {
                    var run = ledger.latestRun().orElseThrow();
                    assertThat(run.state()).as(context).isEqualTo(RunState.SUCCEEDED);
                    assertThat(ledger.jobs(run.id())).as(context).allSatisfy(j -> assertThat(j.state().isDone()).isTrue());
                    Map<String, Long> effects = ledger.runs(100).stream().flatMap(r -> ledger.effects(r.id()).stream())
                            .collect(Collectors.groupingBy(e -> e.kind() + " " + e.target() + " " + e.after(), Collectors.counting()));
                    assertThat(effects).as(context + ": each effect recorded once").allSatisfy((e, n) -> assertThat(n).as(e).isOne());
                }
            }
        }
        System.out.println("crash trials across a release: " + TRIALS + " (" + jobs + " jobs), outcomes " + outcomes);
        assertThat(outcomes.getOrDefault("resumed", 0)).as("kills that landed inside a run: " + outcomes).isGreaterThanOrEqualTo(TRIALS / 2);
    }

    /** Waits until the release's log shows its {@code k}-th job start (0: its first), or it ended. */
    static void awaitStarted(Process process, Path log, int k) throws Exception {
        while (process.isAlive()) {
            if (Files.exists(log) && Files.readString(log).lines().filter(l -> l.contains(" started")).count() > k) {
                return;
            }
            Thread.sleep(2); // polling the log of another process
        }
    }

    /**
     * The registry's tags by digest, the repositories' files as a client reads them and the
     * release's files, by digest (release.json without its time); Cutter's bookkeeping (dot
     * directories: generations, locks, state) is left out.
     */
    static Map<String, String> snapshot(Path project, LocalRegistry registry) throws Exception {
        Map<String, String> state = new TreeMap<>();
        ServerlessInitReleaseTest.tags(registry.address() + "/veilid/veilid-server")
                .forEach((tag, digest) -> state.put("registry veilid/veilid-server:" + tag, digest));
        Path repos = project.resolve("dist/repo-server");
        state.putAll(files(repos, "repository "));
        Path release = project.resolve("dist/releases").resolve(TAG).toRealPath();
        state.putAll(files(release, "release "));
        state.put("release release.json", Files.readString(release.resolve("release.json"))
                .replaceAll("\"created\": \"[^\"]+\"", "\"created\": \"…\""));
        return state;
    }

    private static Map<String, String> files(Path root, String prefix) throws Exception {
        try (var walk = Files.walk(root, java.nio.file.FileVisitOption.FOLLOW_LINKS)) { // as a client sees them
            return walk.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().equals("release.json"))
                    .filter(f -> java.util.stream.StreamSupport.stream(root.relativize(f).spliterator(), false)
                            .noneMatch(part -> part.toString().startsWith("."))) // not Cutter's own bookkeeping
                    .collect(Collectors.toMap(f -> prefix + root.relativize(f), CrashAcrossAReleaseTest::digest, (a, b) -> a, TreeMap::new));
        }
    }

    private static String digest(Path file) {
        try {
            return Digest.sha256(file).toString();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
