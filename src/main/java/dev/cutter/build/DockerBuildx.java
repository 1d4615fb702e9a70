package dev.cutter.build;

import dev.cutter.process.Command;
import dev.cutter.process.ProcessRunner;
import dev.cutter.process.Result;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code docker buildx build}, through the Docker engine that answers {@code docker info}: the
 * image written as an OCI layout directory ({@code --output type=oci,tar=false}), with
 * {@code SOURCE_DATE_EPOCH} set and {@code rewrite-timestamp} so BuildKit (0.13 and later) sets
 * the layers' file times too. Insecure registries are the engine's own configuration.
 */
public record DockerBuildx(ProcessRunner runner, Duration timeout) implements ImageBuilder {
    @Override
    public String name() {
        return "docker";
    }

    @Override
    public void build(Request request, Log log) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(List.of("docker", "buildx", "build", "--platform", request.platform(), "--provenance=false",
                "--sbom=false", "-f", request.dockerfile().toString()));
        request.target().ifPresent(t -> argv.addAll(List.of("--target", t)));
        new TreeMap<>(request.args()).forEach((k, v) -> argv.addAll(List.of("--build-arg", k + "=" + v)));
        new TreeMap<>(request.labels()).forEach((k, v) -> argv.addAll(List.of("--label", k + "=" + v)));
        argv.addAll(List.of("--output", "type=oci,tar=false,rewrite-timestamp=true,name=" + TAG + ",dest=" + request.output(),
                request.context().toString()));
        Result result = runner.run(Command.of(argv, timeout)
                .with(Map.of("SOURCE_DATE_EPOCH", Long.toString(request.sourceDateEpoch()))).mergingErr());
        result.out().lines().forEach(log::line);
        if (!result.ok()) {
            throw new Failed("docker buildx build failed (exit " + result.exit() + "):\n" + Failed.tail(result.out(), 15));
        }
    }
}
