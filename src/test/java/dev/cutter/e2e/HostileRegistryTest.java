package dev.cutter.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutter.oci.AssembledImage;
import dev.cutter.oci.Credentials;
import dev.cutter.oci.ImageAssembler;
import dev.cutter.oci.ImageConfig;
import dev.cutter.oci.LayerBuilder;
import dev.cutter.oci.OciLayout;
import dev.cutter.oci.Platform;
import dev.cutter.oci.Pusher;
import dev.cutter.oci.RegistryClient;
import dev.cutter.oci.Repository;
import dev.cutter.testing.HostileRegistry;
import dev.cutter.testing.HostileRegistry.Trick;
import dev.cutter.testing.LocalRegistry;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Cutter against registries that answer wrongly ({@link HostileRegistry}): wrong digests, a
 * 100 MB manifest, redirect loops, slow-loris answers, blobs shorter than announced, and a
 * replica that lies when read back. Whether the hostile registry is the source of {@code cutter
 * copy}, the base image of a release or one of its replicas, Cutter fails within a bounded time
 * with one message naming the URL and the problem, exits non-zero, and tags nothing in the target.
 */
@Tag("e2e")
class HostileRegistryTest {
    /**
     * The registry time-out the runs here are given (the default is 60 s): slow answers are cut
     * after it. At 2 s a loaded 2-core machine once timed out on an honest answer before the trick.
     */
    static final Map<String, String> ENV = Map.of("CUTTER_REGISTRY_TIMEOUT", "4", "SOURCE_DATE_EPOCH", "1767323045");
    /** What "fails fast" means here: a few time-outs and the job's retries, not a hang. */
    static final Duration BOUND = Duration.ofSeconds(60);

    static LocalRegistry origin;
    static LocalRegistry target;

    @TempDir
    Path tmp;

    @BeforeAll
    static void anImageInTheOrigin(@TempDir Path dir) throws Exception {
        origin = LocalRegistry.start();
        target = LocalRegistry.start();
        RegistryClient client = new RegistryClient(HttpClient.newHttpClient(), Credentials.none(), Set.of());
        OciLayout layout = OciLayout.open(dir.resolve("base"));
        Path file = Files.write(dir.resolve("payload"), new byte[300_000]); // a layer of several 64 KiB windows
        List<AssembledImage> images = new ArrayList<>();
        for (String p : List.of("linux/amd64", "linux/arm64")) {
            var layer = LayerBuilder.fromFiles(Map.of("/payload-" + p.replace('/', '-'), file), Map.of(), 0, layout.blobs());
            var config = new ImageConfig(List.of(), List.of("/bin/sh"), Map.of(), Optional.empty(), Optional.empty(),
                    Map.of(), Instant.EPOCH);
            images.add(ImageAssembler.assemble(Platform.parse(p), List.of(layer), config, layout.blobs()));
        }
        var index = ImageAssembler.index(images, Map.of(), layout.blobs());
        var repo = Repository.parse(origin.address() + "/src/app");
        Pusher.pushIndex(client, repo, layout, index.digest(), Optional.empty());
        Pusher.tag(client, repo, layout, index.digest(), "1.0");
    }

    @AfterAll
    static void stop() throws Exception {
        origin.close();
        target.close();
    }

    /** What the message must say for each trick, besides the hostile registry's address. */
    static String problem(Trick trick) {
        return switch (trick) {
            case WRONG_DIGEST -> "answered wrongly";
            case HUGE_MANIFEST -> "Cutter reads at most 4 MiB";
            case REDIRECT_LOOP -> "redirect loop";
            case SLOW_MANIFEST, SLOW_BLOB -> "too slowly";
            case SHORT_BLOB -> "of the ";
            case OTHER_DIGEST_ON_READ_BACK, BLOB_UNKNOWN_ONCE, INDEX_BLOB_UNKNOWN_ONCE, HOLD_FIRST_MANIFEST, HOLD_FIRST_TAG -> "";
            case ECR_IMMUTABLE_TAGS, HARBOR_IMMUTABLE_TAGS, GAR_IMMUTABLE_TAGS -> "immutable";
            case GHCR_DENIED_WRITE -> "write:packages";
            case STORAGE_ELSEWHERE, TAG_LIST_LOOP, TAG_LIST_ELSEWHERE -> ""; // CredentialsStayWithTheRegistryTest
        };
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = Trick.class, names = {"WRONG_DIGEST", "HUGE_MANIFEST", "REDIRECT_LOOP", "SLOW_MANIFEST", "SLOW_BLOB",
        "SHORT_BLOB"}) // the tricks a registry plays on what is read from it
    void aCopyFromAHostileRegistryFailsFastClearlyAndTagsNothing(Trick trick) throws Exception {
        try (HostileRegistry hostile = HostileRegistry.start(origin.address(), trick)) {
            String repo = "dst/copy-" + trick.name().toLowerCase();
            long start = System.nanoTime();
            CutterProcess.Result copy = CutterProcess.inProcess(tmp, ENV, "copy", hostile.address() + "/src/app:1.0",
                    target.address() + "/" + repo + ":1.0");
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            String said = copy.out() + copy.err();
            assertThat(hostile.played()).as("the trick was played: " + said).isPositive();
            assertThat(copy.exit()).as(said).isNotZero();
            assertThat(took).as(said).isLessThan(BOUND);
            assertThat(copy.err()).as("one line naming the registry and the problem").contains(hostile.address())
                    .contains(problem(trick)).doesNotContain("\tat ");
            assertThat(tags(target.address() + "/" + repo)).as("tags in the target").isEmpty();
            System.out.printf("hostile copy %s: exit %d after %.1f s: %s%n", trick, copy.exit(), took.toMillis() / 1000.0, copy.err().strip());
        }
    }

    /**
     * The runs above are in this JVM, where only the CLI's own output is seen; one as a process of
     * its own shows that nothing else (a library's logger, a thread's uncaught exception) prints a
     * stack trace to the user either.
     */
    @Test
    void aHostileCopyAsAProcessOfItsOwnPrintsNoStackTraceAnywhere() throws Exception {
        try (HostileRegistry hostile = HostileRegistry.start(origin.address(), Trick.SHORT_BLOB)) {
            // a process: what it prints on both streams, whoever writes it, not only the CLI's writers
            CutterProcess.Result copy = CutterProcess.run(tmp, ENV, "copy", hostile.address() + "/src/app:1.0",
                    target.address() + "/dst/copy-process:1.0");
            String said = copy.out() + copy.err();
            assertThat(hostile.played()).as("the trick was played: " + said).isPositive();
            assertThat(copy.exit()).as(said).isNotZero();
            assertThat(said).as("the whole process's output").contains(hostile.address()).doesNotContain("\tat ")
                    .doesNotContain("Exception in thread");
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = Trick.class, names = {"WRONG_DIGEST", "HUGE_MANIFEST", "SLOW_BLOB", "SHORT_BLOB"})
    void aReleaseOnAHostileBaseImageFailsClearlyAndTagsNothing(Trick trick) throws Exception {
        try (HostileRegistry hostile = HostileRegistry.start(origin.address(), trick)) {
            String repo = "acme/on-base-" + trick.name().toLowerCase();
            Path project = project("""
                    project: app
                    registries:
                      r: { url: "%s" }
                    images:
                      - id: app
                        platforms: [linux/amd64, linux/arm64]
                        from: "%s/src/app:1.0"
                        files: { /srv/hello.txt: hello.txt }
                        push: r/%s
                        tags: [ "{version}", latest ]
                    """.formatted(target.address(), hostile.address(), repo));
            long start = System.nanoTime();
            CutterProcess.Result release = release(project);
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            String said = release.out() + release.err();
            assertThat(hostile.played()).as("the trick was played: " + said).isPositive();
            assertThat(release.exit()).as(said).isNotZero();
            assertThat(took).as(said).isLessThan(BOUND.multipliedBy(2));
            assertThat(said).contains(hostile.address()).contains(problem(trick)).doesNotContain("\tat ");
            assertThat(tags(target.address() + "/" + repo)).as("tags in the target").isEmpty();
            System.out.printf("hostile base %s: exit %d after %.1f s%n", trick, release.exit(), took.toMillis() / 1000.0);
        }
    }

    @Test
    void aReplicaThatLiesWhenReadBackFailsTheRelease() throws Exception {
        try (LocalRegistry behind = LocalRegistry.start();
                HostileRegistry hostile = HostileRegistry.start(behind.address(), Trick.OTHER_DIGEST_ON_READ_BACK)) {
            Path project = project("""
                    project: app
                    registries:
                      r: { url: "%s" }
                      replica: { url: "%s" }
                    images:
                      - id: app
                        platforms: [linux/amd64]
                        files: { /srv/hello.txt: hello.txt }
                        push: r/acme/app
                        tags: [ "{version}" ]
                    replicate:
                      - image: app
                        to: [ "replica/acme/app" ]
                    """.formatted(target.address(), hostile.address()));
            CutterProcess.Result release = release(project);

            String said = release.out() + release.err();
            assertThat(hostile.played()).as("the trick was played: " + said).isPositive();
            assertThat(release.exit()).as(said).isNotZero();
            assertThat(said).contains(hostile.address()).contains("sha256:" + "0".repeat(64)).doesNotContain("\tat ");
            CutterProcess.Result runs = CutterProcess.inProcess(project, ENV, "runs", "list");
            assertThat(runs.out()).as("the run is recorded as failed").containsIgnoringCase("failed");
        }
    }

    private Path project(String spec) throws Exception {
        Path project = Files.createDirectories(tmp.resolve("app"));
        Files.writeString(project.resolve("hello.txt"), "hello\n");
        Files.writeString(project.resolve("cutter.yaml"), spec);
        return project;
    }

    private static CutterProcess.Result release(Path project) throws Exception {
        return CutterProcess.inProcess(project, ENV, "release", "--version", "2.0.0", "--sha", "0123456789abcdef0123456789abcdef01234567");
    }

    static List<String> tags(String repository) {
        return new RegistryClient(HttpClient.newHttpClient(), Credentials.none(), Set.of()).tags(Repository.parse(repository));
    }

    @Test
    void aManifestRefusedForABlobThePushHasSentIsPutAgainOnceItsBlobsAreChecked() throws Exception {
        try (LocalRegistry behind = LocalRegistry.start(); HostileRegistry hostile = HostileRegistry.start(behind.address(), Trick.BLOB_UNKNOWN_ONCE)) {
            CutterProcess.Result copy = CutterProcess.inProcess(tmp, ENV, "copy", origin.address() + "/src/app:1.0",
                    hostile.address() + "/dst/app:1.0");

            String said = copy.out() + copy.err();
            assertThat(hostile.played()).as("the trick was played: " + said).isEqualTo(1);
            assertThat(copy.exit()).as(said).isZero();
            assertThat(tags(behind.address() + "/dst/app")).as(said).contains("1.0");
        }
    }

    @Test
    void anIndexRefusedForAManifestThePushHasPutIsPutAgainOnceItsManifestsAreChecked() throws Exception {
        try (LocalRegistry behind = LocalRegistry.start();
                HostileRegistry hostile = HostileRegistry.start(behind.address(), Trick.INDEX_BLOB_UNKNOWN_ONCE)) {
            CutterProcess.Result copy = CutterProcess.inProcess(tmp, ENV, "copy", origin.address() + "/src/app:1.0",
                    hostile.address() + "/dst/app:1.0");

            String said = copy.out() + copy.err();
            assertThat(hostile.played()).as("the trick was played: " + said).isEqualTo(1);
            assertThat(copy.exit()).as(said).isZero();
            assertThat(tags(behind.address() + "/dst/app")).as(said).contains("1.0");
        }
    }
}
