package dev.cutter.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cutter.process.Command;
import dev.cutter.process.ProcessRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code docker buildx build} as {@link DockerBuildx} runs it, against a <b>fake</b> {@code docker}
 * executable: this machine has no Docker engine, so the real one cannot be run here. The fake is
 * a shell script written from the documented command line of {@code docker buildx build}
 * (docs.docker.com, "docker buildx build" and "OCI exporter"): it records the arguments it is
 * given and {@code SOURCE_DATE_EPOCH}, prints progress lines as BuildKit's plain output does, and
 * writes the OCI layout the exporter writes at {@code dest=} (an {@code index.json} entry named by
 * {@code name=}); asked to, it fails with many lines of output instead. The test checks the exact
 * arguments and the output contract: every line goes to the job's log, a failure carries the last
 * lines, and the layout is where the caller reads it.
 */
class DockerBuildxTest {
    private static final String FAKE_DOCKER = """
            #!/bin/sh
            # FAKE docker (a test double; no Docker engine here): records, prints, writes or fails
            here=$(dirname "$0")
            printf '%s\\n' "$@" > "$here/args"
            printf '%s' "$SOURCE_DATE_EPOCH" > "$here/epoch"
            if [ -e "$here/fail" ]; then
              for i in $(seq 1 20); do echo "#$i step $i"; done
              echo "ERROR: failed to solve: process \\"/bin/sh -c false\\" did not complete successfully: exit code: 1"
              exit 1
            fi
            echo "#1 [internal] load build definition from Dockerfile"
            echo "#9 exporting to oci image format"
            for a in "$@"; do
              case "$a" in type=oci,*) dest="${a##*dest=}"; name="${a##*name=}"; name="${name%%,*}" ;; esac
            done
            mkdir -p "$dest/blobs/sha256"
            printf '{"imageLayoutVersion":"1.0.0"}' > "$dest/oci-layout"
            printf '{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.index.v1+json","digest":"sha256:%s","size":2,"annotations":{"org.opencontainers.image.ref.name":"%s"}}]}' \\
              "$(printf '{}' | sha256sum | cut -d' ' -f1)" "$name" > "$dest/index.json"
            printf '{}' > "$dest/blobs/sha256/$(printf '{}' | sha256sum | cut -d' ' -f1)"
            """;

    @TempDir
    Path tmp;

    /** Programs as on this machine, except {@code docker}, which is the fake. */
    private ProcessRunner withFakeDocker() throws Exception {
        Path fake = Files.writeString(Files.createDirectories(tmp.resolve("bin")).resolve("docker"), FAKE_DOCKER);
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwxr-xr-x"));
        return command -> {
            List<String> argv = new ArrayList<>(command.argv());
            if (argv.getFirst().equals("docker")) {
                argv.set(0, fake.toString());
            }
            return ProcessRunner.local().run(new Command(argv, command.dir(), command.env(), command.clearEnv(), command.stdin(),
                    command.mergeErr(), command.timeout()));
        };
    }

    private ImageBuilder.Request request() throws Exception {
        Path context = Files.createDirectories(tmp.resolve("ctx"));
        return new ImageBuilder.Request(context.resolve("Dockerfile"), context, Optional.of("final"),
                Map.of("VERSION", "2.0.0", "BASE", "127.0.0.1:5000/base:1"), Map.of("org.opencontainers.image.version", "2.0.0"),
                "linux/arm64", 1767323045L, tmp.resolve("work"), tmp.resolve("work/oci"), List.of());
    }

    @Test
    void runsBuildxWithTheExactArgumentsAndTheSourceDateAndItsLayoutIsWhereTheCallerReadsIt() throws Exception {
        List<String> log = new ArrayList<>();
        ImageBuilder.Request request = request();

        new DockerBuildx(withFakeDocker(), Duration.ofMinutes(1)).build(request, log::add);

        assertThat(Files.readAllLines(tmp.resolve("bin/args"))).containsExactly("buildx", "build", "--platform", "linux/arm64",
                "--provenance=false", "--sbom=false", "-f", request.dockerfile().toString(), "--target", "final",
                "--build-arg", "BASE=127.0.0.1:5000/base:1", "--build-arg", "VERSION=2.0.0",
                "--label", "org.opencontainers.image.version=2.0.0",
                "--output", "type=oci,tar=false,rewrite-timestamp=true,name=built,dest=" + request.output(),
                request.context().toString());
        assertThat(tmp.resolve("bin/epoch")).hasContent("1767323045");
        assertThat(log).containsExactly("#1 [internal] load build definition from Dockerfile", "#9 exporting to oci image format");
        assertThat(dev.cutter.oci.OciLayout.open(request.output()).resolve(ImageBuilder.TAG)).as("the image under the tag the caller reads")
                .isPresent();
    }

    @Test
    void aFailedBuildFailsWithItsLastLinesAndEveryLineGoesToTheLog() throws Exception {
        ProcessRunner runner = withFakeDocker();
        Files.writeString(tmp.resolve("bin/fail"), "");
        List<String> log = new ArrayList<>();

        assertThatThrownBy(() -> new DockerBuildx(runner, Duration.ofMinutes(1)).build(request(), log::add))
                .isInstanceOf(ImageBuilder.Failed.class)
                .hasMessageStartingWith("docker buildx build failed (exit 1):")
                .hasMessageContaining("#20 step 20").hasMessageContaining("ERROR: failed to solve")
                .hasMessageNotContaining("#6 step 6\n");
        assertThat(log).hasSize(21);
    }
}
