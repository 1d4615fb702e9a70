package dev.cutter.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every secret a release needs resolves before its first job runs, or the release does not start (exit 2). */
@Tag("e2e")
class SecretsPreflightTest {
    @TempDir
    Path tmp;

    Path project() throws Exception {
        Path project = Files.createDirectories(tmp.resolve("app"));
        Files.writeString(project.resolve("cutter.yaml"), """
                project: app
                builds:
                  - id: bin
                    run: echo built > built.txt
                    outputs: [ built.txt ]
                archives:
                  - id: bundle
                    files: [ built.txt ]
                checksums: true
                signs:
                  - id: sums
                    key: "${env:RELEASE_KEY}"
                    passphrase: "${file:keys/passphrase}"
                releases:
                  - id: store
                    store: "dir:dist/releases"
                notify:
                  - webhook: "${env:HOOK_URL}"
                """);
        return project;
    }

    @Test
    void aMissingSecretStopsTheReleaseBeforeAnyBuildNamingEachOne() throws Exception {
        Path project = project();

        CutterProcess.Result release = CutterProcess.inProcess(project, Map.of(), "release", "--version", "1.0.0",
                "--sha", "0123456789abcdef0123456789abcdef01234567");

        assertThat(release.exit()).as(release.out() + release.err()).isEqualTo(2);
        assertThat(release.out() + release.err()).contains("sign/sums: the secret ${env:RELEASE_KEY} is not set")
                .contains("sign/sums: the secret ${file:keys/passphrase} names a file that does not exist")
                .doesNotContain("HOOK_URL"); // a notification is best effort: its own failure never stops a release
        assertThat(project.resolve("built.txt")).as("no build ran").doesNotExist();
    }
}
