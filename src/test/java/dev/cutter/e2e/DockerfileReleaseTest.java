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
import dev.cutter.oci.RegistryClientTest;
import dev.cutter.oci.Repository;
import dev.cutter.testing.LocalRegistry;
import dev.cutter.testing.Tools;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dockerfile builds through buildah, daemonless: a COPY-only Dockerfile for a platform this
 * machine does not run (arm64), and one with a RUN step for linux/amd64, both from a busybox base
 * the test makes offline (Debian's busybox-static laid in as a directory tree by Cutter) and pushes
 * to a loopback registry. The pushed images are read back with skopeo and unpacked with umoci.
 */
@Tag("e2e")
class DockerfileReleaseTest {
    private static final String SHA = "0123456789abcdef0123456789abcdef01234567";
    private static final Map<String, String> ENV = Map.of("SOURCE_DATE_EPOCH", "1767323045");

    @TempDir
    Path tmp;

    @Test
    void buildsCopyOnlyForArm64AndRunStepsForAmd64ThenPushesTheSameDigestsOnASecondBuild() throws Exception {
        Tools.require("buildah", "buildah");
        Tools.require("umoci", "umoci");
        Path busybox = Tools.require("busybox", "busybox-static");
        try (LocalRegistry registry = LocalRegistry.start()) {
            String base = pushBase(registry, busybox);
            Path project = project(tmp.resolve("app"), base, registry.address());

            CutterProcess.Result release = CutterProcess.inProcess(project, ENV, "release", "--version", "2.0.0", "--sha", SHA);
            assertThat(release.exit()).as(release.out() + release.err()).isZero();

            String copyConfig = RegistryClientTest.skopeo("inspect", "--tls-verify=false", "--override-arch", "arm64", "--config",
                    "docker://" + registry.address() + "/acme/copy:2.0.0");
            assertThat(copyConfig).contains("\"architecture\": \"arm64\"").contains("\"org.example.greeting\": \"hi-2.0.0\"")
                    .contains("\"org.opencontainers.image.version\": \"2.0.0\"").contains("\"created\": \"2026-01-02T03:04:05Z\"");
            Path copyRoot = unpack(registry.address() + "/acme/copy:2.0.0", "arm64", tmp.resolve("copy"));
            assertThat(copyRoot.resolve("srv/hello.txt")).hasContent("hello from the context");
            assertThat(copyRoot.resolve("bin/busybox")).exists();
            assertThat(Files.isSymbolicLink(copyRoot.resolve("bin/sh"))).as("the base's symlink").isTrue();
            assertThat(Files.readSymbolicLink(copyRoot.resolve("bin/sh")).toString()).isEqualTo("busybox");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(copyRoot.resolve("tmp")))).isEqualTo("rwxrwxrwx");
            assertThat(copyRoot.resolve("var/empty")).isEmptyDirectory();

            Path runRoot = unpack(registry.address() + "/acme/run:2.0.0", "amd64", tmp.resolve("run"));
            assertThat(runRoot.resolve("srv/run.txt")).hasContent("built by busybox for 2.0.0");

            String first = digest(registry.address() + "/acme/copy:2.0.0") + digest(registry.address() + "/acme/run:2.0.0");
            Path again = project(tmp.resolve("again"), base, registry.address()); // a fresh checkout, its own ledger
            Files.writeString(again.resolve("cutter.yaml"), Files.readString(again.resolve("cutter.yaml"))
                    .replace("r/acme/", "r/again/"));
            CutterProcess.Result second = CutterProcess.inProcess(again, ENV, "release", "--version", "2.0.0", "--sha", SHA);
            assertThat(second.exit()).as(second.out() + second.err()).isZero();
            assertThat(digest(registry.address() + "/again/copy:2.0.0") + digest(registry.address() + "/again/run:2.0.0"))
                    .as("a second build of the same commit gives the same digests").isEqualTo(first);
            assertThat(tmp.resolve("app/.cutter/build")).as("the builder's storage is removed").isEmptyDirectory();
        }
    }

    @Test
    void aFailingBuildFailsItsJobWithTheBuildersLastLinesAndPushesNothing() throws Exception {
        Tools.require("buildah", "buildah");
        Path busybox = Tools.require("busybox", "busybox-static");
        try (LocalRegistry registry = LocalRegistry.start()) {
            String base = pushBase(registry, busybox);
            Path project = Files.createDirectories(tmp.resolve("broken"));
            Files.writeString(project.resolve("Dockerfile"), "FROM " + base + "\nRUN echo about to fail && exit 7\n");
            Files.writeString(project.resolve("cutter.yaml"), """
                    project: broken
                    registries:
                      r: { url: "%s" }
                    images:
                      - id: broken
                        platforms: [linux/amd64]
                        dockerfile: Dockerfile
                        builder: buildah
                        push: r/acme/broken
                        tags: [ "{version}" ]
                    """.formatted(registry.address()));
            CutterProcess.Result release = CutterProcess.inProcess(project, ENV, "release", "--version", "1.0.0", "--sha", SHA);
            assertThat(release.exit()).as(release.out() + release.err()).isNotZero().isNotEqualTo(2);
            assertThat(release.out() + release.err()).contains("buildah build failed").contains("about to fail")
                    .contains("exit status 7");
            RegistryClient client = new RegistryClient(HttpClient.newHttpClient(), Credentials.none(), Set.of());
            assertThat(client.getManifest(Repository.parse(registry.address() + "/acme/broken"), "1.0.0"))
                    .as("nothing pushed").isEmpty();
        }
    }

    @Test
    void runStepsForAPlatformThisMachineCannotRunAreNamedBeforeAnyJob() throws Exception {
        Tools.require("buildah", "buildah");
        Path project = Files.createDirectories(tmp.resolve("foreign"));
        Files.writeString(project.resolve("Dockerfile"), "FROM scratch\nRUN true\n");
        Files.writeString(project.resolve("cutter.yaml"), """
                project: foreign
                registries:
                  r: { layout: dist/oci }
                images:
                  - id: foreign
                    platforms: [linux/amd64, linux/s390x]
                    dockerfile: Dockerfile
                    push: r/acme/foreign
                    tags: [ "{version}" ]
                """);
        assertThat(dev.cutter.build.Emulation.here().problem("linux", "s390x"))
                .as("this test needs a machine without qemu-s390x registered in binfmt_misc").isPresent();
        CutterProcess.Result release = CutterProcess.inProcess(project, ENV, "release", "--version", "1.0.0", "--sha", SHA);
        assertThat(release.exit()).as(release.out() + release.err()).isEqualTo(2);
        assertThat(release.out() + release.err()).contains("image/foreign/linux-s390x: Dockerfile has RUN steps")
                .contains("qemu-s390x").contains("apt-get install qemu-user-static").doesNotContain("linux-amd64:");
        assertThat(project.resolve("dist/oci")).doesNotExist();
    }

    /** busybox-static laid in as a rootfs directory (a symlink, a 1777 /tmp, an empty directory), for amd64 and arm64. */
    private String pushBase(LocalRegistry registry, Path busybox) throws Exception {
        Path rootfs = Files.createDirectories(tmp.resolve("rootfs/bin"));
        Files.copy(busybox, rootfs.resolve("busybox"));
        Files.setPosixFilePermissions(rootfs.resolve("busybox"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.createSymbolicLink(rootfs.resolve("sh"), Path.of("busybox"));
        Files.createSymbolicLink(rootfs.resolve("echo"), Path.of("busybox"));
        Path tmpDir = Files.createDirectories(tmp.resolve("rootfs/tmp"));
        Files.setPosixFilePermissions(tmpDir, PosixFilePermissions.fromString("rwxrwxrwx"));
        Files.createDirectories(tmp.resolve("rootfs/var/empty"));
        Files.createDirectories(tmp.resolve("rootfs/srv"));
        OciLayout layout = OciLayout.open(tmp.resolve("base"));
        var layer = LayerBuilder.fromFiles(Map.of("/", tmp.resolve("rootfs")), Map.of(), 0, layout.blobs());
        List<AssembledImage> images = new ArrayList<>();
        for (String p : List.of("linux/amd64", "linux/arm64")) {
            var config = new ImageConfig(List.of(), List.of("/bin/sh"), Map.of("PATH", "/bin"), Optional.empty(), Optional.empty(),
                    Map.of("org.example.base", "busybox"), Instant.EPOCH);
            images.add(ImageAssembler.assemble(Platform.parse(p), List.of(layer), config, layout.blobs()));
        }
        var index = ImageAssembler.index(images, Map.of(), layout.blobs());
        RegistryClient client = new RegistryClient(HttpClient.newHttpClient(), Credentials.none(), Set.of());
        var repo = Repository.parse(registry.address() + "/base/busybox");
        Pusher.pushIndex(client, repo, layout, index.digest(), Optional.empty());
        Pusher.tag(client, repo, layout, index.digest(), "1");
        return registry.address() + "/base/busybox:1";
    }

    private static Path project(Path project, String base, String registry) throws Exception {
        Files.createDirectories(project.resolve("context"));
        Files.writeString(project.resolve("context/hello.txt"), "hello from the context");
        Files.writeString(project.resolve("context/Dockerfile.copy"), """
                ARG BASE
                FROM ${BASE}
                ARG GREETING
                COPY hello.txt /srv/hello.txt
                LABEL org.example.greeting=${GREETING}
                """);
        Files.writeString(project.resolve("Dockerfile.run"), """
                ARG BASE
                FROM ${BASE} AS build
                ARG VERSION
                RUN echo "built by busybox for ${VERSION}" > /srv/run.txt
                FROM build AS final
                """);
        Files.writeString(project.resolve("cutter.yaml"), """
                project: app
                registries:
                  r: { url: "%s" }
                images:
                  - id: copy
                    platforms: [linux/arm64]
                    dockerfile: context/Dockerfile.copy
                    context: context
                    builder: buildah
                    args: { BASE: "%s", GREETING: "hi-{version}" }
                    labels: { org.opencontainers.image.version: "{version}" }
                    push: r/acme/copy
                    tags: [ "{version}" ]
                  - id: run
                    platforms: [linux/amd64]
                    dockerfile: Dockerfile.run
                    target: final
                    args: { BASE: "%s", VERSION: "{version}" }
                    push: r/acme/run
                    tags: [ "{version}" ]
                """.formatted(registry, base, base));
        return project;
    }

    private static String digest(String reference) throws Exception {
        RegistryClient client = new RegistryClient(HttpClient.newHttpClient(), Credentials.none(), Set.of());
        int colon = reference.lastIndexOf(':');
        byte[] index = client.getManifest(Repository.parse(reference.substring(0, colon)), reference.substring(colon + 1))
                .orElseThrow().bytes();
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(index)) + ";";
    }

    /** The image of {@code arch} copied by skopeo into a layout and unpacked by umoci: its root directory. */
    static Path unpack(String reference, String arch, Path dir) throws Exception {
        Files.createDirectories(dir);
        RegistryClientTest.skopeo("copy", "--src-tls-verify=false", "--override-arch", arch, "docker://" + reference,
                "oci:" + dir.resolve("layout") + ":x");
        run("umoci", "unpack", "--image", dir.resolve("layout") + ":x", dir.resolve("bundle").toString());
        return dir.resolve("bundle/rootfs");
    }

    static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command) + "\n" + out).isZero();
    }
}
