package dev.cutter.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutter.ledger.Ledger;
import dev.cutter.testing.LocalRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pairs of releases started together (a latch, then a seeded delay of 0–30 ms for one of them)
 * against one real registry, in the two cases of issue 18. A pair is consistent when its tags end
 * at one digest each as the laws say and every run's exit code tells the truth: the run whose
 * bytes the tags hold exits 0, the other exits 3 (refused), never 0 nor 1.
 *
 * <ul>
 *   <li>Two machines without a shared ledger: 4.0.1 with different content, each run with its own ledger.
 *   <li>One ledger, two versions: 7.1.0 and 7.0.1; both are released, and 7 and latest end at 7.1.0.
 * </ul>
 * {@code -Dcutter.pairs=N} pairs of each (CI: 3; {@code bench/reliability}: 20); the figures are
 * printed as {@code concurrent releases: …} lines.
 */
@Tag("e2e")
class ConcurrentReleasePairsTest {
    static final int PAIRS = Integer.getInteger("cutter.pairs", 3);
    static final long SEED = Long.getLong("cutter.seed", 18);
    static final Map<String, String> ENV = Map.of("SOURCE_DATE_EPOCH", "1767323045");

    @TempDir
    Path tmp;

    record Ran(CutterProcess.Result result, String digest) {}

    /** Both releases, started together; each result with the digest of the index its run built. */
    static List<Ran> together(Random random, Path a, String versionA, Path b, String versionB, String... more) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        long delay = random.nextInt(31);
        boolean aWaits = random.nextBoolean();
        List<CompletableFuture<CutterProcess.Result>> runs = new ArrayList<>();
        for (Object[] run : List.of(new Object[] {a, versionA, aWaits}, new Object[] {b, versionB, !aWaits})) {
            runs.add(CompletableFuture.supplyAsync(() -> {
                try {
                    start.await();
                    if ((Boolean) run[2]) {
                        Thread.sleep(delay); // the seeded head start of the other
                    }
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                List<String> args = new ArrayList<>(List.of("release", "--version", (String) run[1], "--sha", ConcurrentReleasesTest.SHA));
                args.addAll(List.of(more));
                return CutterProcess.inProcess((Path) run[0], ENV, args.toArray(String[]::new));
            }, r -> new Thread(r).start())); // a thread each: the common pool may have a single worker
        }
        start.countDown();
        List<Ran> ran = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            CutterProcess.Result result = runs.get(i).get(5, TimeUnit.MINUTES);
            ran.add(new Ran(result, indexBuilt(i == 0 ? a : b, more.length > 0 ? more[1] : null, i == 0 ? versionA : versionB)));
        }
        return ran;
    }

    /** The digest of the index the newest run of {@code version} built, from its ledger. */
    static String indexBuilt(Path project, String ledger, String version) {
        try (Ledger l = Ledger.open(ledger != null ? ledger : project.resolve(".cutter/ledger.db").toString())) {
            String run = l.runsOf("app", version).getFirst().id();
            return l.artifacts(run).stream().filter(x -> x.kind().equals("index")).findFirst().orElseThrow().digest().toString();
        }
    }

    @Test
    void pairsOfReleasesStartedTogetherEndConsistent() throws Exception {
        Random random = new Random(SEED);
        List<String> findings = new ArrayList<>();
        int machines = 0;
        int ledger = 0;
        Map<String, Integer> how = new java.util.TreeMap<>(); // how each pair's loser learnt it lost
        try (LocalRegistry registry = LocalRegistry.start()) {
            for (int pair = 0; pair < PAIRS; pair++) {
                // two machines, each with its own ledger, release 4.0.1 with other bytes
                String repo = "r/acme/app-" + pair;
                Path dir = Files.createDirectories(tmp.resolve("machines-" + pair));
                Path one = project(dir, registry.address(), "one", repo);
                Path two = project(dir, registry.address(), "two", repo);
                List<Ran> ran = together(random, one, "4.0.1", two, "4.0.1");
                String version = digest(registry, "acme/app-" + pair, "4.0.1");
                String latest = digest(registry, "acme/app-" + pair, "latest");
                boolean truthful = ran.stream().allMatch(r -> r.result().exit() == (r.digest().equals(version) ? 0 : 3));
                ran.stream().filter(r -> r.result().exit() != 0).forEach(r -> how.merge(how(r.result()), 1, Integer::sum));
                if (version.equals(latest) && truthful) {
                    machines++;
                } else {
                    findings.add("two machines, pair " + pair + ": 4.0.1 at " + version + ", latest at " + latest + "; exits "
                            + ran.stream().map(r -> r.result().exit() + " (built " + r.digest() + ")").toList() + "\n"
                            + ran.stream().map(r -> r.result().out() + r.result().err()).toList());
                }

                // one ledger, 7.1.0 and 7.0.1 at once
                repo = "r/acme/line-" + pair;
                dir = Files.createDirectories(tmp.resolve("ledger-" + pair));
                Path shared = dir.resolve("ledger.db");
                Path minor = project(dir, registry.address(), "minor", repo);
                Path patch = project(dir, registry.address(), "patch", repo);
                ran = together(random, minor, "7.1.0", patch, "7.0.1", "--ledger", shared.toString());
                String top = digest(registry, "acme/line-" + pair, "7.1.0");
                String major = digest(registry, "acme/line-" + pair, "7");
                latest = digest(registry, "acme/line-" + pair, "latest");
                if (ran.stream().allMatch(r -> r.result().exit() == 0) && major.equals(top) && latest.equals(top)) {
                    ledger++;
                } else {
                    findings.add("one ledger, pair " + pair + ": 7 at " + major + ", latest at " + latest + ", 7.1.0 at " + top
                            + "; exits " + ran.stream().map(r -> r.result().exit()).toList() + "\n"
                            + ran.stream().map(r -> r.result().out() + r.result().err()).toList());
                }
            }
        }
        System.out.printf("concurrent releases, two machines without a shared ledger: %d of %d pairs consistent%n", machines, PAIRS);
        System.out.printf("concurrent releases, two machines without a shared ledger, how the loser was refused: %s%n", how);
        System.out.printf("concurrent releases, one ledger and two versions: %d of %d pairs consistent%n", ledger, PAIRS);
        findings.forEach(f -> System.out.println("concurrent releases, inconsistent: " + f));
        assertThat(findings).isEmpty();
    }

    /** Where a refused run learnt it lost: its push's first look, its look under the lock, or its last read. */
    static String how(CutterProcess.Result result) {
        String said = result.out() + result.err();
        return said.contains("moved before it ended") ? "read back before success"
                : said.contains("no tag was changed") ? "tags read again before writing"
                : said.contains("nothing was changed") ? "tags read before pushing" : "exit " + result.exit();
    }

    static Path project(Path dir, String registry, String greeting, String repository) throws Exception {
        Path project = Files.createDirectories(dir.resolve(greeting));
        Files.writeString(project.resolve("hello.txt"), greeting + " " + dir.getFileName() + "\n");
        Files.writeString(project.resolve("cutter.yaml"), """
                project: app
                registries:
                  r: { url: "%s" }
                images:
                  - id: app
                    platforms: [linux/amd64]
                    files: { /srv/hello.txt: hello.txt }
                    push: %s
                    tags: [ "{version}", "{major}.{minor}", "{major}", latest ]
                """.formatted(registry, repository));
        return project;
    }

    static String digest(LocalRegistry registry, String repository, String tag) throws Exception {
        return dev.cutter.oci.RegistryClientTest.skopeo("inspect", "--tls-verify=false", "--format", "{{.Digest}}",
                "docker://" + registry.address() + "/" + repository + ":" + tag).strip();
    }
}
