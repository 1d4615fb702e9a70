package dev.cutter.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A release without notes gets the changes since the previous release of its line, grouped as conventional commits. */
@Tag("e2e")
class ReleaseNotesTest {
    @TempDir
    Path dir;

    @Test
    void theNotesListTheChangesSinceThePreviousStableTag() throws Exception {
        Files.writeString(dir.resolve("cutter.yaml"), """
                project: demo
                version: { tag: "v{version}" }
                builds:
                  - id: app
                    run: mkdir -p out && echo app > out/app
                    outputs: [ out/app ]
                archives:
                  - { id: app, name: "app-{version}.tar.gz", files: [ { src: out/app } ] }
                releases:
                  - { id: store, store: "dir:dist/releases" }
                """);
        Files.writeString(dir.resolve(".gitignore"), "dist/\n.cutter/\nout/\n");
        Projects.git(dir, "init", "-q", "-b", "main");
        Projects.git(dir, "add", "-A");
        Projects.git(dir, "commit", "-q", "-m", "feat: the first app");
        Projects.git(dir, "tag", "-a", "-m", "1.0.0", "v1.0.0");
        commit("feat(cli): a --json flag (#12)");
        commit("fix: crash on empty input\n\nFixes #45");
        Projects.git(dir, "tag", "-a", "-m", "rc", "v1.1.0-rc.1");
        commit("feat!: drop the v1 API\n\nBREAKING CHANGE: clients must use /v2");
        commit("ci: cache the build");
        Projects.git(dir, "tag", "-a", "-m", "1.1.0", "v1.1.0");

        CutterProcess.Result release = CutterProcess.inProcess(dir, Map.of("SOURCE_DATE_EPOCH", "1767323045"), "release", "--tag", "v1.1.0");

        assertThat(release.exit()).as(release.out() + release.err()).isZero();
        String notes = Files.readString(dir.resolve("dist/releases/1.1.0/NOTES.md"));
        assertThat(notes).startsWith("Changes since v1.0.0.").as("since the last stable release, not the candidate")
                .contains("### ⚠ BREAKING CHANGES", "clients must use /v2", "### Features", "**cli:** a --json flag (#12)",
                        "### Bug Fixes", "crash on empty input").doesNotContain("the first app");
    }

    private void commit(String message) throws Exception {
        Projects.git(dir, "commit", "-q", "--allow-empty", "-m", message);
    }
}
