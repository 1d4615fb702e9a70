package dev.cutter.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutter.oci.OciLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A component pins the digest its project release published for an image (digest-of), read where it was published. */
@Tag("e2e")
class DigestPinTest {
    static final Map<String, String> ENV = Map.of("SOURCE_DATE_EPOCH", "1767323045");

    @TempDir
    Path tmp;

    @Test
    void theDeploymentIsPinnedToTheDigestTheReleasePublished() throws Exception {
        Path project = demo();

        CutterProcess.Result images = CutterProcess.inProcess(project, ENV, "release", "--version", "1.0.0");
        CutterProcess.Result deploy = CutterProcess.inProcess(project, ENV, "release", "--component", "deploy", "--version", "1.0.0");

        assertThat(images.exit()).as(images.out() + images.err()).isZero();
        assertThat(deploy.exit()).as(deploy.out() + deploy.err()).isZero();
        assertPinned(project);
    }

    @Test
    void aWholeReleasePublishesTheImageBeforeTheComponentPinsItsDigest() throws Exception {
        Path project = demo();

        CutterProcess.Result all = CutterProcess.inProcess(project, ENV, "release", "--all", "--version", "1.0.0");

        assertThat(all.exit()).as(all.out() + all.err()).isZero();
        assertPinned(project);
        String remote = tmp.resolve("remote.git").toString();
        assertThat(PeerPodsReleaseTest.git(tmp, "--git-dir", remote, "rev-parse", "v1.0.0^{commit}"))
                .isEqualTo(PeerPodsReleaseTest.git(tmp, "--git-dir", remote, "rev-parse", "deploy/v1.0.0^{commit}"));
    }

    private void assertPinned(Path project) throws Exception {
        String digest = OciLayout.open(project.resolve("dist/oci/demo/app")).resolve("1.0.0").orElseThrow().digest().toString();
        assertThat(PeerPodsReleaseTest.git(tmp, "--git-dir", tmp.resolve("remote.git").toString(), "show",
                "deploy/v1.0.0:deploy/kustomization.yaml")).contains("    digest: " + digest);
    }

    private Path demo() throws Exception {
        Path project = Files.createDirectories(tmp.resolve("demo"));
        Files.writeString(project.resolve("cutter.yaml"), """
                project: demo
                version: { tag: "v{version}" }
                registries: { local: { layout: dist/oci } }
                builds:
                  - id: app
                    run: mkdir -p dist && echo app > dist/app
                    outputs: [ dist/app ]
                images:
                  - id: app
                    platforms: [linux/amd64]
                    files: { /app: dist/app }
                    push: local/demo/app
                    tags: [ "{version}", "latest" ]
                components:
                  - id: deploy
                    tag: "deploy/v{version}"
                pins:
                  - id: app-digest
                    file: deploy/kustomization.yaml
                    kustomize-image: app
                    field: digest
                    digest-of: app
                    component: deploy
                """);
        Files.createDirectories(project.resolve("deploy"));
        Files.writeString(project.resolve("deploy/kustomization.yaml"), """
                images:
                  - name: app
                    newName: registry.example.com/demo/app
                """);
        Files.writeString(project.resolve(".gitignore"), "dist/\n.cutter/\n");
        Projects.git(project, "init", "-q", "-b", "main");
        Projects.git(project, "add", "-A");
        Projects.git(project, "commit", "-q", "-m", "init");
        PeerPodsReleaseTest.git(tmp, "init", "-q", "--bare", tmp.resolve("remote.git").toString());
        Projects.git(project, "remote", "add", "origin", tmp.resolve("remote.git").toUri().toString());
        Projects.git(project, "push", "-q", "origin", "main");

        return project;
    }
}
