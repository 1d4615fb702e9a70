package dev.cutter.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutter.oci.RegistryClientTest;
import dev.cutter.testing.LocalRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nothing is published anywhere when one target refuses: after the builds and before the first
 * publication, a barrier reads every target of the plan and refuses the whole release, naming each
 * conflict (exit 3), while the registries are exactly as they were.
 */
@Tag("e2e")
class BarrierTest {
    static final String SHA = "0123456789abcdef0123456789abcdef01234567";
    static final Map<String, String> ENV = Map.of("SOURCE_DATE_EPOCH", "1767323045");

    @TempDir
    Path tmp;

    Path project(String name, String greeting, String registries, String extra) throws Exception {
        Path project = Files.createDirectories(tmp.resolve(name));
        Files.writeString(project.resolve("hello.txt"), greeting + "\n");
        Files.writeString(project.resolve("cutter.yaml"), """
                project: app
                registries:
                %s
                images:
                  - id: app
                    platforms: [linux/amd64]
                    files: { /srv/hello.txt: hello.txt }
                    push: primary/acme/app
                    tags: [ "{version}", latest ]
                builds:
                  - id: slow          # the images are ready (and would be pushed) long before the release's files
                    run: sleep 2 && cp hello.txt bundle.txt
                    outputs: [ bundle.txt ]
                archives:
                  - id: bundle
                    files: [ bundle.txt ]
                releases:
                  - id: store
                    store: "dir:%s"
                %s""".formatted(registries, tmp.resolve("releases"), extra));
        return project;
    }

    /** Every file under {@code root} with its SHA-256, one per line. */
    static String tree(Path root) throws java.io.IOException {
        try (var files = Files.walk(root)) {
            StringBuilder out = new StringBuilder();
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                out.append(root.relativize(f)).append(' ').append(dev.cutter.content.Digest.sha256(Files.readAllBytes(f))).append('\n');
            }
            return out.toString();
        }
    }

    static String tags(LocalRegistry registry) {
        try {
            return RegistryClientTest.skopeo("list-tags", "--tls-verify=false", "docker://" + registry.address() + "/acme/app");
        } catch (AssertionError | Exception e) {
            return "no repository: " + e.getMessage();
        }
    }

    @Test
    void aReleaseThatAlreadyExistsWithOtherAssetsRefusesBeforeAnyImageIsPushed() throws Exception {
        try (LocalRegistry first = LocalRegistry.start(); LocalRegistry second = LocalRegistry.start()) {
            // an earlier machine released 1.0.0 into the store (its images went elsewhere)
            CutterProcess.Result earlier = CutterProcess.inProcess(project("earlier", "one", "  primary: { url: \"%s\" }"
                    .formatted(second.address()), ""), ENV, "release", "--version", "1.0.0", "--sha", SHA);
            assertThat(earlier.exit()).as(earlier.out() + earlier.err()).isZero();

            CutterProcess.Result release = CutterProcess.inProcess(project("fresh", "two", "  primary: { url: \"%s\" }"
                    .formatted(first.address()), ""), ENV, "release", "--version", "1.0.0", "--sha", SHA);

            assertThat(release.exit()).as(release.out() + release.err()).isEqualTo(3);
            assertThat(release.out() + release.err()).contains("barrier").contains("release 1.0.0 exists in");
            assertThat(tags(first)).as("nothing pushed").doesNotContain("1.0.0").doesNotContain("latest");
        }
    }

    @Test
    void aReplicaHoldingTheVersionAtAnotherDigestRefusesBeforeThePrimaryIsTouched() throws Exception {
        try (LocalRegistry primary = LocalRegistry.start(); LocalRegistry mirror = LocalRegistry.start()) {
            // someone pushed another 1.0.0 into the mirror
            CutterProcess.Result other = CutterProcess.inProcess(project("other", "other", "  primary: { url: \"%s\" }"
                    .formatted(mirror.address()), ""), ENV, "release", "--version", "1.0.0", "--sha", SHA,
                    "--only", "image=app");
            assertThat(other.exit()).as(other.out() + other.err()).isZero();
            String storeBefore = tree(tmp.resolve("releases"));
            String mirrorBefore = RegistryClientTest.skopeo("inspect", "--raw", "--tls-verify=false",
                    "docker://" + mirror.address() + "/acme/app:1.0.0");

            CutterProcess.Result release = CutterProcess.inProcess(project("app", "hello", "  primary: { url: \"%s\" }\n  mirror: { url: \"%s\" }"
                    .formatted(primary.address(), mirror.address()), """
                    replicate:
                      - image: app
                        to: [ mirror/acme/app ]
                    """), ENV, "release", "--version", "1.0.0", "--sha", SHA);

            assertThat(release.exit()).as(release.out() + release.err()).isEqualTo(3);
            assertThat(release.out() + release.err()).contains("barrier").contains(mirror.address() + "/acme/app").contains("1.0.0");
            assertThat(tags(primary)).as("nothing pushed to the primary").doesNotContain("1.0.0").doesNotContain("latest");
            assertThat(RegistryClientTest.skopeo("inspect", "--raw", "--tls-verify=false",
                    "docker://" + mirror.address() + "/acme/app:1.0.0")).isEqualTo(mirrorBefore);
            assertThat(tree(tmp.resolve("releases"))).as("the store as it was").isEqualTo(storeBefore);
        }
    }

    static final String PACKAGE_AND_REPOSITORY = """
            packages:
              - id: app
                formats: [deb]
                platforms: [linux/amd64]
                description: "the app"
                maintainer: "Acme <ops@acme.test>"
                files: { /usr/share/app/hello.txt: hello.txt }
            repositories:
              - id: apt
                type: apt
                packages: [app]
                dist: stable
                component: main
                publish: "dir:%s"
            """;

    /**
     * Without fail-fast (a team that wants every independent job tried), a repository refusing in
     * its own job left the images pushed: half-published. The barrier reads the repository first.
     */
    @Test
    void aRepositoryHoldingThePackageVersionWithOtherBytesRefusesBeforeAnyImageIsPushed() throws Exception {
        Path apt = tmp.resolve("apt").toAbsolutePath();
        // an earlier machine published app 1.0.0 into the apt repository, with other content
        Path earlier = Files.createDirectories(tmp.resolve("earlier"));
        Files.writeString(earlier.resolve("hello.txt"), "one\n");
        Files.writeString(earlier.resolve("cutter.yaml"), "project: app\n" + PACKAGE_AND_REPOSITORY.formatted(apt));
        CutterProcess.Result first = CutterProcess.inProcess(earlier, ENV, "release", "--version", "1.0.0", "--sha", SHA);
        assertThat(first.exit()).as(first.out() + first.err()).isZero();
        String repositoryBefore = tree(apt);

        try (LocalRegistry registry = LocalRegistry.start()) {
            CutterProcess.Result release = CutterProcess.inProcess(project("fresh", "two", "  primary: { url: \"%s\" }"
                    .formatted(registry.address()), PACKAGE_AND_REPOSITORY.formatted(apt)), ENV, "release", "--version", "1.0.0",
                    "--sha", SHA, "--no-fail-fast");

            assertThat(release.exit()).as(release.out() + release.err()).isEqualTo(3);
            assertThat(release.out() + release.err()).contains("barrier").contains("dir:" + apt);
            assertThat(tags(registry)).as("nothing pushed").doesNotContain("1.0.0").doesNotContain("latest");
            assertThat(tree(apt)).as("the repository as it was").isEqualTo(repositoryBefore);
            assertThat(tmp.resolve("releases")).as("no release made").doesNotExist();
        }
    }
}
