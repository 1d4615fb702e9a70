package dev.cutter.build;

import dev.cutter.process.Command;
import dev.cutter.process.ProcessRunner;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;

/**
 * Which builder a {@code builder:} choice means on this machine: {@code docker} when a Docker
 * engine answers {@code docker buildx version} and {@code docker info}, {@code buildah} when it is
 * installed, {@code auto} the first of the two. Each is asked once.
 */
public final class Builders {
    /** What installs the builder the tests and examples use. */
    public static final String INSTALL_BUILDAH = "apt-get install buildah (or run scripts/setup)";

    private final ProcessRunner runner;
    private final Duration buildTimeout;
    private volatile Optional<Boolean> docker = Optional.empty();
    private volatile Optional<Boolean> buildah = Optional.empty();

    public Builders(ProcessRunner runner, Duration buildTimeout) {
        this.runner = runner;
        this.buildTimeout = buildTimeout;
    }

    /** The builder {@code choice} ({@code auto}, {@code buildah}, {@code docker}) is here, or why there is none. */
    public Choice choose(String choice) throws InterruptedException {
        return switch (choice) {
            case "buildah" -> buildah() ? new Choice(Optional.of(new Buildah(runner, buildTimeout)), "")
                    : new Choice(Optional.empty(), "builder: buildah, but buildah is not installed here; " + INSTALL_BUILDAH);
            case "docker" -> docker() ? new Choice(Optional.of(new DockerBuildx(runner, buildTimeout)), "")
                    : new Choice(Optional.empty(), "builder: docker, but no Docker engine with buildx answers here"
                            + " (docker buildx version; docker info); start one, or use builder: buildah");
            default -> docker() ? new Choice(Optional.of(new DockerBuildx(runner, buildTimeout)), "")
                    : buildah() ? new Choice(Optional.of(new Buildah(runner, buildTimeout)), "")
                    : new Choice(Optional.empty(), "no image builder here: neither a Docker engine with buildx answers nor is"
                            + " buildah installed; " + INSTALL_BUILDAH);
        };
    }

    /** A builder, or the reason none is available. */
    public record Choice(Optional<ImageBuilder> builder, String problem) {}

    private boolean docker() throws InterruptedException {
        if (docker.isEmpty()) {
            docker = Optional.of(answers("docker", "buildx", "version") && answers("docker", "info", "--format", "{{.ServerVersion}}"));
        }
        return docker.get();
    }

    private boolean buildah() throws InterruptedException {
        if (buildah.isEmpty()) {
            buildah = Optional.of(answers("buildah", "version"));
        }
        return buildah.get();
    }

    private boolean answers(String... argv) throws InterruptedException {
        try {
            return runner.run(Command.of(java.util.List.of(argv), Duration.ofSeconds(15)).mergingErr()).ok();
        } catch (IOException e) {
            return false; // not installed, or hung: not a builder here
        }
    }
}
