package dev.cutter.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutter.testing.LocalRegistry;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dbx-runtime process (shared/seeds/001): a matrix and Dockerfiles from a generator run before
 * planning, images built with buildah on a base made offline, many tags per image, one registry.
 */
@Tag("e2e")
class DbxRuntimeReleaseTest {
    @TempDir
    Path tmp;

    @Test
    void everyRuntimeImageAndBaseImageLandsUnderItsTagsAndOnlyTheNewestLtsIsPythonLatest() throws Exception {
        dev.cutter.testing.Tools.require("buildah", "buildah");
        dev.cutter.testing.Tools.require("umoci", "umoci");
        dev.cutter.testing.Tools.require("busybox", "busybox-static");
        try (LocalRegistry ghcr = LocalRegistry.start()) {
            Path project = Projects.copy("dbx-runtime", tmp.resolve("dbx"));
            Projects.releaseBases(project, "GHCR", ghcr.address());

            CutterProcess.Result release = CutterProcess.inProcess(project, Map.of("SOURCE_DATE_EPOCH", "1767323045"),
                    "release", "--version", "1.0.0", "--var", "GHCR=" + ghcr.address());

            assertThat(release.exit()).as(release.out() + release.err()).isZero();
            Map<String, String> tags = ServerlessInitReleaseTest.tags(ghcr.address() + "/twsl/dbx-runtime");
            assertThat(tags).containsKeys("python-17.3-lts-ubuntu2404-py312", "python-17.3-lts-ml", "python-16.4-lts-py312",
                    "python-15.4-lts-ubuntu2204-py311", "gpu-17.3-lts-ubuntu2404-py312", "python-latest", "minimal", "minimal-gpu",
                    "gpu", "python-py312", "standard-gpu-py312", "minimal-latest", "gpu-latest", "standard-latest");
            assertThat(tags.get("python-latest")).isEqualTo(tags.get("python-17.3-lts-ubuntu2404-py312"))
                    .isNotEqualTo(tags.get("python-16.4-lts-ubuntu2404-py312"));
            assertThat(tags).as("15.4 LTS has Python 3.11: its Python tag says so").doesNotContainKey("python-15.4-lts-py312");
            assertThat(tags.get("python-15.4-lts-py311")).isEqualTo(tags.get("python-15.4-lts-ubuntu2204-py311"));
            assertThat(release.out()).contains("point where they should");

            String reference = ghcr.address() + "/twsl/dbx-runtime:python-15.4-lts-py311";
            String config = dev.cutter.oci.RegistryClientTest.skopeo("inspect", "--tls-verify=false", "--config", "docker://" + reference);
            assertThat(config).as("the generated Dockerfile's labels and the spec's")
                    .contains("\"com.databricks.runtime\": \"15.4 LTS\"").contains("\"com.databricks.python\": \"3.11\"")
                    .contains("\"org.opencontainers.image.version\": \"15.4 LTS\"").contains("\"org.opencontainers.image.title\": \"dbx-base\"");
            Path root = DockerfileReleaseTest.unpack(reference, "amd64", tmp.resolve("unpacked"));
            assertThat(root.resolve("etc/dbx-runtime")).hasContent("runtime=15.4 LTS\nimage_type=python\nvariant=\npython=3.11");
            assertThat(root.resolve("bin/busybox")).as("the base's files").isExecutable();
            assertThat(root.resolve("etc/os-release")).content().contains("busybox stand-in");
            Path ml = DockerfileReleaseTest.unpack(ghcr.address() + "/twsl/dbx-runtime:python-17.3-lts-ml", "amd64", tmp.resolve("ml"));
            assertThat(ml.resolve("etc/dbx-runtime")).content().contains("variant=.ml");
            Path minimal = DockerfileReleaseTest.unpack(ghcr.address() + "/twsl/dbx-runtime:minimal", "amd64", tmp.resolve("minimal"));
            assertThat(minimal.resolve("etc/dbx-base")).content().contains("image_type=minimal");
        }
    }

    @Test
    void aPullRequestBuildMakesEveryImageAndPushesClaimsAndRecordsNothing() throws Exception {
        try (LocalRegistry ghcr = LocalRegistry.start()) {
            Path project = Projects.copy("dbx-runtime", tmp.resolve("dbx"));
            Projects.releaseBases(project, "GHCR", ghcr.address());
            Map<String, String> env = Map.of("SOURCE_DATE_EPOCH", "1767323045");

            CutterProcess.Result build = CutterProcess.inProcess(project, env, "release", "--build-only", "--version", "1.0.0",
                    "--var", "GHCR=" + ghcr.address());

            assertThat(build.exit()).as(build.out() + build.err()).isZero();
            assertThat(build.out()).contains("built dbx-runtime 1.0.0").contains("nothing was pushed, published or claimed")
                    .contains("done      index/runtime/").doesNotContain("push/").doesNotContain("validate/");
            assertThat(ServerlessInitReleaseTest.tags(ghcr.address() + "/twsl/dbx-runtime")).isEmpty();
            assertThat(project.resolve("data/build_summary.json")).as("the generator wrote the matrix").exists();
            CutterProcess.Result runs = CutterProcess.inProcess(project, env, "runs", "list");
            assertThat(runs.out()).doesNotContain("1.0.0");

            CutterProcess.Result release = CutterProcess.inProcess(project, env, "release", "--version", "1.0.0",
                    "--var", "GHCR=" + ghcr.address());
            assertThat(release.exit()).as("the build claimed nothing: " + release.out() + release.err()).isZero();
        }
    }
}
