package dev.cutter.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutter.oci.RegistryClientTest;
import dev.cutter.testing.HostileRegistry;
import dev.cutter.testing.LocalRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two releases into one repository at once, made deterministic: a {@link HostileRegistry} in front
 * of a real registry holds one release's push at the moment that matters until the other has
 * run. Every run's exit code must tell the truth about where the tags ended, and the tags must end
 * at one digest.
 */
@Tag("e2e")
class ConcurrentReleasesTest {
    static final String SHA = "0123456789abcdef0123456789abcdef01234567";
    static final Map<String, String> ENV = Map.of("SOURCE_DATE_EPOCH", "1767323045");

    @TempDir
    Path tmp;

    static Path project(Path dir, String registry, String greeting, String tags, String checks) throws Exception {
        Path project = Files.createDirectories(dir.resolve("app-" + greeting));
        Files.writeString(project.resolve("hello.txt"), greeting + "\n");
        Files.writeString(project.resolve("cutter.yaml"), """
                project: app
                registries:
                  r: { url: "%s" }
                images:
                  - id: app
                    platforms: [linux/amd64]
                    files: { /srv/hello.txt: hello.txt }
                    push: r/acme/app
                    tags: %s
                %s""".formatted(registry, tags, checks));
        return project;
    }

    static String digest(String registry, String tag) throws Exception {
        String inspected = RegistryClientTest.skopeo("inspect", "--tls-verify=false", "--format", "{{.Digest}}",
                "docker://" + registry + "/acme/app:" + tag);
        return inspected.strip();
    }

    static CompletableFuture<CutterProcess.Result> release(Path project, String version, String... more) {
        String[] args = java.util.stream.Stream.concat(java.util.stream.Stream.of("release", "--version", version, "--sha", SHA),
                java.util.stream.Stream.of(more)).toArray(String[]::new);
        // a thread of its own: the common pool may have a single worker on a 2-core machine
        return CompletableFuture.supplyAsync(() -> CutterProcess.inProcess(project, ENV, args), r -> new Thread(r).start());
    }

    /**
     * Two machines, no shared ledger: both look at the repository before either tags, so both
     * decide to create 4.0.1. The one that tags second reads the tags again just before it
     * writes them and is refused, naming the tag and both digests; the first stays released.
     */
    @Test
    void twoMachinesWithoutASharedLedger_theReleaseThatWouldOverwriteTheVersionIsRefused() throws Exception {
        try (LocalRegistry registry = LocalRegistry.start();
                HostileRegistry held = HostileRegistry.start(registry.address(), HostileRegistry.Trick.HOLD_FIRST_MANIFEST)) {
            String tags = "[ \"{version}\", latest ]";
            Path first = project(tmp, held.address(), "first", tags, "");
            Path second = project(tmp, held.address(), "second", tags, "");

            CompletableFuture<CutterProcess.Result> paused = release(first, "4.0.1"); // its own ledger, in its own project
            assertThat(held.awaitHeld(Duration.ofMinutes(2))).as("the first push reached its manifests").isTrue();
            CutterProcess.Result winner = release(second, "4.0.1").get(3, TimeUnit.MINUTES);
            held.letGo();
            CutterProcess.Result loser = paused.get(3, TimeUnit.MINUTES);

            assertThat(winner.exit()).as(winner.out() + winner.err()).isZero();
            String won = digest(registry.address(), "4.0.1");
            assertThat(loser.exit()).as(loser.out() + loser.err()).isEqualTo(3);
            assertThat(loser.out() + loser.err()).contains("acme/app").contains("4.0.1").contains(won);
            assertThat(digest(registry.address(), "latest")).as("every tag at the winner's digest").isEqualTo(won);
        }
    }

    /**
     * One ledger, two versions: 7.0.1 has decided its tags (7 and latest would move, nothing higher
     * is there yet) and is writing them when 7.1.0 starts. 7.1.0 waits for 7.0.1's locks, then
     * reads 7.0.1's tags and moves 7 and latest past it; without the lock 7.1.0 finished first
     * and 7.0.1 moved them back.
     */
    @Test
    void oneLedgerTwoVersions_theFloatingTagsEndAtTheHigherVersion() throws Exception {
        try (LocalRegistry registry = LocalRegistry.start();
                HostileRegistry held = HostileRegistry.start(registry.address(), HostileRegistry.Trick.HOLD_FIRST_TAG)) {
            String tags = "[ \"{version}\", \"{major}.{minor}\", \"{major}\", latest ]";
            Path patch = project(tmp, held.address(), "patch", tags, "");
            Path minor = project(tmp, held.address(), "minor", tags, "");
            String ledger = tmp.resolve("shared/ledger.db").toString();

            CompletableFuture<CutterProcess.Result> lower = release(patch, "7.0.1", "--ledger", ledger);
            assertThat(held.awaitHeld(Duration.ofMinutes(2))).as("7.0.1 is writing its tags").isTrue();
            CompletableFuture<CutterProcess.Result> higher = release(minor, "7.1.0", "--ledger", ledger);
            try {
                higher.get(15, TimeUnit.SECONDS); // without a lock it runs to the end while 7.0.1 is held
            } catch (java.util.concurrent.TimeoutException waiting) {
                // waiting for 7.0.1's locks, as it should
            }
            held.letGo();
            CutterProcess.Result low = lower.get(3, TimeUnit.MINUTES);
            CutterProcess.Result high = higher.get(3, TimeUnit.MINUTES);

            assertThat(low.exit()).as(low.out() + low.err()).isZero();
            assertThat(high.exit()).as(high.out() + high.err()).isZero();
            String top = digest(registry.address(), "7.1.0");
            assertThat(digest(registry.address(), "7")).isEqualTo(top);
            assertThat(digest(registry.address(), "latest")).isEqualTo(top);
            assertThat(digest(registry.address(), "7.0")).isEqualTo(digest(registry.address(), "7.0.1"));
        }
    }

    /**
     * A tag moved after the push wrote and read it back, before the run reports success (another
     * machine pushed over it; here a check of the run does it with skopeo): the run reads every
     * tag it decided back at the end and fails with the law's exit code, naming the tag and both
     * digests.
     */
    @Test
    void aTagMovedBeforeTheRunEndsFailsItNamingTheTagAndBothDigests() throws Exception {
        try (LocalRegistry registry = LocalRegistry.start()) {
            String tags = "[ \"{version}\" ]";
            Path other = project(tmp, registry.address(), "other", tags, "");
            CutterProcess.Result before = CutterProcess.inProcess(other, ENV, "release", "--version", "0.1.0", "--sha", SHA);
            assertThat(before.exit()).as(before.out() + before.err()).isZero();
            String theirs = digest(registry.address(), "0.1.0");
            Path mine = project(tmp, registry.address(), "mine", tags, """
                    validate:
                      - id: overwritten
                        check: run
                        run: skopeo copy --all --src-tls-verify=false --dest-tls-verify=false docker://%1$s/acme/app:0.1.0 docker://%1$s/acme/app:4.0.1
                    """.formatted(registry.address()));

            CutterProcess.Result moved = CutterProcess.inProcess(mine, ENV, "release", "--version", "4.0.1", "--sha", SHA);

            assertThat(moved.exit()).as(moved.out() + moved.err()).isEqualTo(3);
            assertThat(moved.out() + moved.err()).contains("acme/app:4.0.1").contains(theirs);
        }
    }
}
