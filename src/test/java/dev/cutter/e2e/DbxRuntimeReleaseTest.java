package dev.cutter.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutter.testing.LocalRegistry;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dbx-runtime process (shared/seeds/001): a matrix from a generated data file, many tags per image, one registry. */
@Tag("e2e")
class DbxRuntimeReleaseTest {
    @TempDir
    Path tmp;

    @Test
    void everyRuntimeImageAndBaseImageLandsUnderItsTagsAndOnlyTheNewestLtsIsPythonLatest() throws Exception {
        try (LocalRegistry ghcr = LocalRegistry.start()) {
            Path project = Projects.copy("dbx-runtime", tmp.resolve("dbx"));

            CutterProcess.Result release = CutterProcess.inProcess(project, Map.of("SOURCE_DATE_EPOCH", "1767323045"),
                    "release", "--version", "1.0.0", "--var", "GHCR=" + ghcr.address());

            assertThat(release.exit()).as(release.out() + release.err()).isZero();
            Map<String, String> tags = ServerlessInitReleaseTest.tags(ghcr.address() + "/twsl/dbx-runtime");
            assertThat(tags).containsKeys("python-17.3-lts-ubuntu2404-py312", "python-17.3-lts-ml", "python-16.4-lts-py312",
                    "python-15.4-lts-ubuntu2204-py311", "gpu-17.3-lts-ubuntu2404-py312", "python-latest", "minimal", "minimal-gpu",
                    "gpu", "python-py312", "standard-gpu-py312", "minimal-latest", "gpu-latest", "standard-latest");
            assertThat(tags.get("python-latest")).isEqualTo(tags.get("python-17.3-lts-ubuntu2404-py312"))
                    .isNotEqualTo(tags.get("python-16.4-lts-ubuntu2404-py312"));
            assertThat(release.out()).contains("point where they should");
        }
    }

    @Test
    void aPullRequestBuildMakesEveryImageAndPushesClaimsAndRecordsNothing() throws Exception {
        try (LocalRegistry ghcr = LocalRegistry.start()) {
            Path project = Projects.copy("dbx-runtime", tmp.resolve("dbx"));
            Map<String, String> env = Map.of("SOURCE_DATE_EPOCH", "1767323045");

            CutterProcess.Result build = CutterProcess.inProcess(project, env, "release", "--build-only", "--version", "1.0.0",
                    "--var", "GHCR=" + ghcr.address());

            assertThat(build.exit()).as(build.out() + build.err()).isZero();
            assertThat(build.out()).contains("built dbx-runtime 1.0.0").contains("nothing was pushed, published or claimed")
                    .contains("done      index/runtime/").doesNotContain("push/").doesNotContain("validate/");
            assertThat(ServerlessInitReleaseTest.tags(ghcr.address() + "/twsl/dbx-runtime")).isEmpty();
            CutterProcess.Result runs = CutterProcess.inProcess(project, env, "runs", "list");
            assertThat(runs.out()).doesNotContain("1.0.0");

            CutterProcess.Result release = CutterProcess.inProcess(project, env, "release", "--version", "1.0.0",
                    "--var", "GHCR=" + ghcr.address());
            assertThat(release.exit()).as("the build claimed nothing: " + release.out() + release.err()).isZero();
        }
    }
}
