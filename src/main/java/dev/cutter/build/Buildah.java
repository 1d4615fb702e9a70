package dev.cutter.build;

import dev.cutter.process.Command;
import dev.cutter.process.ProcessRunner;
import dev.cutter.process.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code buildah}, without a daemon: as root with {@code --isolation chroot} and the {@code vfs}
 * storage driver, its storage in the request's own work directory so that builds share no state
 * (and leave none behind once the caller removes it). The image is built with every timestamp at
 * the source date ({@code --timestamp}), then pushed into the output OCI layout.
 */
public final class Buildah implements ImageBuilder {
    private static final String IMAGE = "localhost/cutter-build:" + TAG;

    private final ProcessRunner runner;
    private final Duration timeout;

    public Buildah(ProcessRunner runner, Duration timeout) {
        this.runner = runner;
        this.timeout = timeout;
    }

    @Override
    public String name() {
        return "buildah";
    }

    @Override
    public void build(Request request, Log log) throws IOException, InterruptedException {
        Path work = request.work();
        Files.createDirectories(work);
        Path conf = work.resolve("registries.conf");
        StringBuilder registries = new StringBuilder("unqualified-search-registries = []\n");
        for (String host : request.insecure()) {
            registries.append("\n[[registry]]\nlocation = \"").append(host).append("\"\ninsecure = true\n");
        }
        Files.writeString(conf, registries);
        List<String> storage = List.of("buildah", "--root", work.resolve("storage").toString(), "--runroot",
                work.resolve("run").toString(), "--storage-driver", "vfs");
        List<String> build = new ArrayList<>(storage);
        build.addAll(List.of("build", "--isolation", "chroot", "--platform", request.platform(), "--format", "oci",
                "--timestamp", Long.toString(request.sourceDateEpoch()), "--layers=false", "-f", request.dockerfile().toString()));
        request.target().ifPresent(t -> build.addAll(List.of("--target", t)));
        new TreeMap<>(request.args()).forEach((k, v) -> build.addAll(List.of("--build-arg", k + "=" + v)));
        new TreeMap<>(request.labels()).forEach((k, v) -> build.addAll(List.of("--label", k + "=" + v)));
        build.addAll(List.of("-t", IMAGE, request.context().toString()));
        Map<String, String> env = Map.of("CONTAINERS_REGISTRIES_CONF", conf.toString(), "BUILDAH_ISOLATION", "chroot",
                "TMPDIR", Files.createDirectories(work.resolve("tmp")).toString());
        run(build, env, log, "buildah build");
        List<String> push = new ArrayList<>(storage);
        push.addAll(List.of("push", "--format", "oci", IMAGE, "oci:" + request.output() + ":" + TAG));
        run(push, env, log, "buildah push");
    }

    private void run(List<String> argv, Map<String, String> env, Log log, String what) throws IOException, InterruptedException {
        Result result = runner.run(Command.of(argv, timeout).with(env).mergingErr());
        result.out().lines().forEach(log::line);
        if (!result.ok()) {
            throw new Failed(what + " failed (exit " + result.exit() + "):\n" + Failed.tail(result.out(), 15));
        }
    }
}
