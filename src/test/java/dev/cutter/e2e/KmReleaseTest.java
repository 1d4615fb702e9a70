package dev.cutter.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutter.testing.Tools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The KM process (shared/seeds/002) end to end: tarballs with an install order, a signed
 * SHA256SUMS, runenv images in an OCI layout, a directory release store where the rolling test
 * tag replaces and any other tag must not exist yet, and the validation that installs it.
 */
@Tag("e2e")
class KmReleaseTest {
    static final Map<String, String> ENV = Map.of("SOURCE_DATE_EPOCH", "1767323045");

    @TempDir
    Path tmp;

    /** Every file under the release store, with its bytes' digest and its modification time. */
    static Map<String, String> tree(Path root) throws Exception {
        Map<String, String> out = new TreeMap<>();
        try (var walk = Files.walk(root)) {
            for (Path p : walk.toList()) {
                String key = root.relativize(p).toString();
                if (Files.isSymbolicLink(p)) {
                    out.put(key, "-> " + Files.readSymbolicLink(p));
                } else if (Files.isRegularFile(p)) {
                    out.put(key, dev.cutter.content.Digest.sha256(p) + " " + Files.getLastModifiedTime(p).toMillis());
                }
            }
        }
        return out;
    }

    @Test
    void aBetaReleasePublishesEverythingOnceAndReleasingItAgainChangesNothing() throws Exception {
        Path km = Projects.copy("km", tmp.resolve("km"));

        CutterProcess.Result first = CutterProcess.inProcess(km, ENV, "release", "--tag", "v0.9-beta");
        assertThat(first.exit()).as(first.out() + first.err()).isZero();
        Path release = km.resolve("dist/km-releases/v0.9-beta");
        assertThat(release.resolve("kontain.tar.gz")).exists();
        assertThat(release.resolve("SHA256SUMS.asc")).exists();
        assertThat(Files.readString(release.resolve("release.json")))
                .containsPattern("\"name\": \"kontain.tar.gz\",[^}]*\"installOrder\": 1")
                .containsPattern("\"name\": \"runenv-python.tar.gz\",[^}]*\"installOrder\": 2");
        assertThat(first.out()).contains("done      validate/install");
        Map<String, String> before = tree(km.resolve("dist"));

        CutterProcess.Result second = CutterProcess.inProcess(km, ENV, "release", "--tag", "v0.9-beta");

        assertThat(second.exit()).isZero();
        assertThat(second.out()).contains("already released by run").contains("nothing to do");
        assertThat(tree(km.resolve("dist"))).isEqualTo(before);
    }

    @Test
    void theRunenvImagesAreInALayoutSkopeoReadsTaggedLatestAndByCommitWithTheirAlias() throws Exception {
        Tools.require("skopeo", "skopeo");
        Path km = Projects.copy("km", tmp.resolve("km"));
        assertThat(CutterProcess.inProcess(km, ENV, "release", "--tag", "v0.9-beta").exit()).isZero();
        String sha = new String(new ProcessBuilder("git", "rev-parse", "HEAD").directory(km.toFile()).start().getInputStream()
                .readAllBytes()).trim();

        String latest = skopeo(km, "inspect", "--raw", "oci:dist/oci/kontainapp/runenv-python:latest");
        String bySha = skopeo(km, "inspect", "--raw", "oci:dist/oci/kontainapp/runenv-python:" + sha);
        String alias = skopeo(km, "inspect", "--raw", "oci:dist/oci/kontainapp/runenv-python-3.7:latest");
        String config = skopeo(km, "inspect", "--config", "oci:dist/oci/kontainapp/runenv-node:latest");

        assertThat(latest).isEqualTo(bySha).isEqualTo(alias).contains("\"architecture\":\"amd64\"");
        assertThat(config).contains("/opt/kontain/runenv");
    }

    static String skopeo(Path dir, String... args) throws Exception {
        java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of("skopeo"));
        command.addAll(java.util.List.of(args));
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

    @Test
    void theRollingTestTagReplacesItsReleaseWhileAnyOtherTagRefusesToChange() throws Exception {
        Path km = Projects.copy("km", tmp.resolve("km"));
        assertThat(CutterProcess.inProcess(km, ENV, "release", "--tag", "v0.1-test").exit()).isZero();
        assertThat(CutterProcess.inProcess(km, ENV, "release", "--tag", "v0.9-beta").exit()).isZero();
        String testSums = Files.readString(km.resolve("dist/km-releases/v0.1-test/SHA256SUMS"));
        Map<String, String> beta = tree(km.resolve("dist/km-releases/v0.9-beta").toRealPath());
        // a new commit with another build: what a developer pushes next
        Files.writeString(km.resolve("scripts/make-release.sh"), Files.readString(km.resolve("scripts/make-release.sh"))
                .replace("runenv-%s", "runenv-%s v2"));
        Projects.git(km, "commit", "-qam", "v2 of the payloads");

        CutterProcess.Result rolling = CutterProcess.inProcess(km, ENV, "release", "--tag", "v0.1-test");
        CutterProcess.Result fixed = CutterProcess.inProcess(km, ENV, "release", "--tag", "v0.9-beta");

        assertThat(rolling.exit()).as(rolling.out() + rolling.err()).isZero();
        assertThat(Files.readString(km.resolve("dist/km-releases/v0.1-test/SHA256SUMS"))).isNotEqualTo(testSums);
        assertThat(fixed.exit()).as(fixed.out()).isEqualTo(3);
        assertThat(fixed.out()).contains("was already released by run").contains("immutable");
        assertThat(tree(km.resolve("dist/km-releases/v0.9-beta").toRealPath())).isEqualTo(beta);
    }

    @Test
    void withoutItsLedgerAnExistingReleaseWithOtherContentIsStillRefusedByTheStore() throws Exception {
        Path km = Projects.copy("km", tmp.resolve("km"));
        assertThat(CutterProcess.inProcess(km, ENV, "release", "--tag", "v0.9-beta").exit()).isZero();
        Map<String, String> beta = tree(km.resolve("dist/km-releases"));
        Files.writeString(km.resolve("scripts/make-release.sh"), Files.readString(km.resolve("scripts/make-release.sh"))
                .replace("runenv-%s", "runenv-%s v2"));
        deleteTree(km.resolve(".cutter"));

        CutterProcess.Result again = CutterProcess.inProcess(km, ENV, "release", "--tag", "v0.9-beta", "--no-fail-fast");

        assertThat(again.exit()).as(again.out()).isEqualTo(3);
        // the barrier reads every target once all is made and refuses the whole release, naming each conflict
        assertThat(again.out()).contains("FAILED    barrier/publication").contains("nothing was published anywhere")
                .contains("release v0.9-beta exists in").contains("other assets").contains("a released version never changes")
                .doesNotContain("push/runenv/python (");
        assertThat(tree(km.resolve("dist/km-releases"))).isEqualTo(beta);
    }

    static void deleteTree(Path root) throws Exception {
        try (var walk = Files.walk(root)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
