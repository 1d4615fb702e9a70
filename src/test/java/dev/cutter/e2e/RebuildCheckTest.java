package dev.cutter.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutter.testing.LocalRegistry;
import dev.cutter.testing.Tools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cutter rebuild --check}: a release of a committed project (an image made from files,
 * an archive, their SBOMs) rebuilds identical from its commit in a clean clone, and so does the
 * KM example (builds, tarballs, a signed SHA256SUMS, runenv images); a release made while a file
 * differed from the commit fails the check (exit 1), naming the archive entry and the image file
 * that differ.
 */
@Tag("e2e")
class RebuildCheckTest {
    @TempDir
    Path tmp;

    @Test
    void aReleaseRebuildsIdenticalFromItsCommitAndAChangedInputIsNamed() throws Exception {
        try (LocalRegistry registry = LocalRegistry.start()) {
            Path project = Files.createDirectories(tmp.resolve("app"));
            Files.writeString(project.resolve("hello.txt"), "hello\n");
            Files.writeString(project.resolve(".gitignore"), "dist/\n.cutter/\n");
            Files.createDirectories(project.resolve("keys"));
            Files.copy(Path.of("examples/km/keys/release-key.asc"), project.resolve("keys/release-key.asc"));
            Files.writeString(project.resolve("cutter.yaml"), """
                    project: app
                    registries:
                      r: { url: "%s" }
                    images:
                      - id: app
                        platforms: [linux/amd64, linux/arm64]
                        from: scratch
                        files: { /srv/hello.txt: hello.txt }
                        push: r/acme/app
                        tags: [ "{version}" ]
                    archives:
                      - id: hello
                        name: "hello-{version}.tar.gz"
                        format: tar.gz
                        files: [ { src: hello.txt } ]
                    attestations:
                      key: "${file:keys/release-key.asc}"
                    """.formatted(registry.address()));
            git(project, "init", "--quiet");
            git(project, "add", ".");
            git(project, "-c", "user.name=Release", "-c", "user.email=release@example.com", "commit", "--quiet", "-m", "app");
            String sha = git(project, "rev-parse", "HEAD").strip();
            Map<String, String> env = Map.of("SOURCE_DATE_EPOCH", "1767323045");

            CutterProcess.Result release = CutterProcess.inProcess(project, env, "release", "--version", "1.0.0", "--sha", sha);
            assertThat(release.exit()).as(release.out() + release.err()).isZero();
            CutterProcess.Result same = CutterProcess.inProcess(project, env, "rebuild", "--check", "1.0.0");
            assertThat(same.exit()).as(same.out() + same.err()).isZero();
            assertThat(same.out()).contains("rebuilt app 1.0.0 from commit " + sha).contains("outputs identical")
                    .contains("same    archive/hello hello-1.0.0.tar.gz").contains("same    index/app index")
                    .doesNotContain("differs");

            // released from a working tree whose hello.txt is not the commit's
            Files.writeString(project.resolve("hello.txt"), "hello, changed\n");
            CutterProcess.Result changed = CutterProcess.inProcess(project, env, "release", "--version", "1.0.1", "--sha", sha);
            assertThat(changed.exit()).as(changed.out() + changed.err()).isZero();
            CutterProcess.Result differs = CutterProcess.inProcess(project, env, "rebuild", "--check", "1.0.1");
            assertThat(differs.exit()).as(differs.out() + differs.err()).isEqualTo(1);
            assertThat(differs.out()).contains("differs archive/hello hello-1.0.1.tar.gz")
                    .containsPattern("hello\\.txt: sha256:[0-9a-f]{64} released, sha256:[0-9a-f]{64} rebuilt")
                    .contains("differs image/app/linux-amd64 linux/amd64")
                    .containsPattern("srv/hello\\.txt: sha256:[0-9a-f]{64} released, sha256:[0-9a-f]{64} rebuilt")
                    .contains("outputs differ");

            CutterProcess.Result json = CutterProcess.inProcess(project, env, "rebuild", "--check", "1.0.1", "--json");
            assertThat(json.exit()).isEqualTo(1);
            var body = com.fasterxml.jackson.databind.json.JsonMapper.builder().build().readTree(json.out());
            assertThat(body.path("identical").asBoolean(true)).isFalse();
            assertThat(body.path("differences").findValuesAsText("job")).contains("archive/hello", "image/app/linux-amd64");

            CutterProcess.Result unknown = CutterProcess.inProcess(project, env, "rebuild", "--check", "9.9.9");
            assertThat(unknown.exit()).as(unknown.out() + unknown.err()).isEqualTo(2);
            assertThat(unknown.err()).contains("no succeeded release of app 9.9.9");
        }
    }

    @Test
    void theKmExampleRebuildsIdenticalFromItsCommit() throws Exception {
        Path km = Projects.copy("km", tmp.resolve("km"));
        Map<String, String> env = Map.of("SOURCE_DATE_EPOCH", "1767323045");
        CutterProcess.Result release = CutterProcess.inProcess(km, env, "release", "--tag", "v0.9-beta");
        assertThat(release.exit()).as(release.out() + release.err()).isZero();

        CutterProcess.Result rebuilt = CutterProcess.inProcess(km, env, "rebuild", "--check", "0.9-beta");

        assertThat(rebuilt.exit()).as(rebuilt.out() + rebuilt.err()).isZero();
        assertThat(rebuilt.out()).contains("same    archive/kontain kontain.tar.gz").contains("same    index/runenv/python index")
                .contains("same    sign/checksums-signature").contains("outputs identical").doesNotContain("differs");
    }

    private static String git(Path dir, String... args) throws Exception {
        List<String> argv = new ArrayList<>(List.of(Tools.require("git", "git").toString()));
        argv.addAll(List.of(args));
        Process p = new ProcessBuilder(argv).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(out).isZero();
        return out;
    }
}
