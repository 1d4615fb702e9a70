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
 * {@code check: images} and {@code verify} expect exactly the tags the push's decisions published: a
 * floating tag a release rightly left alone (a prerelease, a lower version of its line) is not
 * "missing", and a floating tag this release should hold but another digest holds is a problem.
 */
@Tag("e2e")
class ChecksExpectDecisionsTest {
    static final String SHA = "0123456789abcdef0123456789abcdef01234567";
    static final Map<String, String> ENV = Map.of("SOURCE_DATE_EPOCH", "1767323045");

    @TempDir
    Path tmp;

    Path project(LocalRegistry registry, String greeting) throws Exception {
        Path project = Files.createDirectories(tmp.resolve("app-" + greeting));
        Files.writeString(project.resolve("hello.txt"), greeting + "\n");
        Files.writeString(project.resolve("cutter.yaml"), """
                project: app
                channels:
                  beta:   { match: "*-beta*" }
                  stable: { match: "*" }
                registries:
                  r: { url: "%s" }
                images:
                  - id: app
                    platforms: [linux/amd64]
                    files: { /srv/hello.txt: hello.txt }
                    push: r/acme/app
                    tags: [ "{version}", latest ]
                validate:
                  - id: images
                    check: images
                """.formatted(registry.address()));
        return project;
    }

    @Test
    void aPrereleaseOnAChannelWithFloatingTagsPassesItsChecksWithoutTheTagItLeftAlone() throws Exception {
        try (LocalRegistry registry = LocalRegistry.start()) {
            Path project = project(registry, "hello");

            CutterProcess.Result beta = CutterProcess.inProcess(project, ENV, "release", "--version", "1.0.0-beta.1", "--sha", SHA);

            assertThat(beta.exit()).as(beta.out() + beta.err()).isZero();
            assertThat(beta.out() + beta.err()).contains("latest stays");
        }
    }

    @Test
    void aLowerVersionOfTheLinePassesWithLatestStillAtTheHigherOne() throws Exception {
        try (LocalRegistry registry = LocalRegistry.start()) {
            CutterProcess.Result two = CutterProcess.inProcess(project(registry, "two"), ENV, "release", "--version", "2.0.0",
                    "--sha", SHA);
            assertThat(two.exit()).as(two.out() + two.err()).isZero();

            CutterProcess.Result patch = CutterProcess.inProcess(project(registry, "one"), ENV, "release", "--version", "1.5.0",
                    "--sha", SHA);

            assertThat(patch.exit()).as(patch.out() + patch.err()).isZero();
        }
    }

    @Test
    void aFloatingTagThisReleaseShouldHoldButAnotherDigestHoldsIsAProblem() throws Exception {
        try (LocalRegistry registry = LocalRegistry.start()) {
            Path project = project(registry, "hello");
            CutterProcess.Result release = CutterProcess.inProcess(project, ENV, "release", "--version", "1.0.0", "--sha", SHA);
            assertThat(release.exit()).as(release.out() + release.err()).isZero();
            CutterProcess.Result other = CutterProcess.inProcess(project(registry, "other"), ENV, "release", "--version", "0.9.0",
                    "--sha", SHA);
            assertThat(other.exit()).as(other.out() + other.err()).isZero();
            // someone moves latest back to 0.9.0 by hand
            RegistryClientTest.skopeo("copy", "--src-tls-verify=false", "--dest-tls-verify=false", "--all",
                    "docker://" + registry.address() + "/acme/app:0.9.0", "docker://" + registry.address() + "/acme/app:latest");

            CutterProcess.Result verify = CutterProcess.inProcess(project, ENV, "verify", "--version", "1.0.0", "--sha", SHA);

            assertThat(verify.exit()).as(verify.out() + verify.err()).isEqualTo(1);
            assertThat(verify.out() + verify.err()).contains("acme/app:latest points at").contains("1.0.0 is the highest");
        }
    }
}
