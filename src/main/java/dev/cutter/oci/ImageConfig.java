package dev.cutter.oci;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How a container of the image runs, and when the image was made. {@code created} is a fixed
 * time (e.g. the release commit's), never "now": it is part of the config's digest.
 */
public record ImageConfig(List<String> entrypoint, List<String> cmd, Map<String, String> env,
                          Optional<String> workdir, Optional<String> user, Map<String, String> labels,
                          Instant created) {

    public ImageConfig {
        entrypoint = List.copyOf(entrypoint);
        cmd = List.copyOf(cmd);
        env = Descriptor.sorted(env);
        labels = Descriptor.sorted(labels);
        Objects.requireNonNull(workdir, "workdir");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(created, "created");
        for (String name : env.keySet()) {
            if (name.isEmpty() || name.contains("=")) {
                throw new IllegalArgumentException("environment variable name '" + name + "' must be non-empty and contain no '='");
            }
        }
        workdir.ifPresent(dir -> {
            if (!dir.startsWith("/")) {
                throw new IllegalArgumentException("working directory '" + dir + "' must be absolute, e.g. /app");
            }
        });
    }

    /** Nothing set but the creation time. */
    public static ImageConfig created(Instant created) {
        return new ImageConfig(List.of(), List.of(), Map.of(), Optional.empty(), Optional.empty(), Map.of(), created);
    }

    public ImageConfig withEntrypoint(List<String> entrypoint) {
        return new ImageConfig(entrypoint, cmd, env, workdir, user, labels, created);
    }

    public ImageConfig withCmd(List<String> cmd) {
        return new ImageConfig(entrypoint, cmd, env, workdir, user, labels, created);
    }

    public ImageConfig withEnv(Map<String, String> env) {
        return new ImageConfig(entrypoint, cmd, env, workdir, user, labels, created);
    }

    public ImageConfig withWorkdir(String workdir) {
        return new ImageConfig(entrypoint, cmd, env, Optional.of(workdir), user, labels, created);
    }

    public ImageConfig withUser(String user) {
        return new ImageConfig(entrypoint, cmd, env, workdir, Optional.of(user), labels, created);
    }

    public ImageConfig withLabels(Map<String, String> labels) {
        return new ImageConfig(entrypoint, cmd, env, workdir, user, labels, created);
    }
}
