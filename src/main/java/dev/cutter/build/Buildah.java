package dev.cutter.build;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cutter.process.Command;
import dev.cutter.process.ProcessRunner;
import dev.cutter.process.Result;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * {@code buildah}, without a daemon: as root with {@code --isolation chroot} and the {@code vfs}
 * storage driver, its storage in the request's own work directory so that builds share no state
 * (and leave none behind once the caller removes it). The image is built with every timestamp at
 * the source date ({@code --timestamp}), then pushed into the output OCI layout. The bases are
 * pulled as the request's {@link ImageBuilder.Pull}s say: a {@code registries.conf} of the build's
 * own marks the plain-HTTP registries, and an auth file of its own holds the credentials a push to
 * those registries would use (the spec's, else the user's logins, wherever they were found).
 */
public record Buildah(ProcessRunner runner, Duration timeout) implements ImageBuilder {
    private static final String IMAGE = "localhost/cutter-build:" + TAG;
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    @Override
    public String name() {
        return "buildah";
    }

    @Override
    public void build(Request request, Log log) throws IOException, InterruptedException {
        Path work = request.work();
        Files.createDirectories(work);
        Path conf = work.resolve("registries.conf");
        Files.writeString(conf, registriesConf(request.pulls()));
        Optional<Path> authFile = authFile(request.pulls(), work);
        List<String> storage = List.of("buildah", "--root", work.resolve("storage").toString(), "--runroot",
                work.resolve("run").toString(), "--storage-driver", "vfs");
        List<String> build = new ArrayList<>(storage);
        build.addAll(List.of("build", "--isolation", "chroot", "--platform", request.platform(), "--format", "oci",
                "--timestamp", Long.toString(request.sourceDateEpoch()), "--layers=false", "-f", request.dockerfile().toString()));
        authFile.ifPresent(f -> build.addAll(List.of("--authfile", f.toString())));
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

    /**
     * The build's {@code containers-registries.conf}: no unqualified-name search (a base is named
     * in full, as Cutter names it), and plain HTTP for exactly the registries marked insecure.
     */
    static String registriesConf(List<ImageBuilder.Pull> pulls) {
        Toml toml = new Toml().put("unqualified-search-registries", List.of());
        List<String> insecure = new ArrayList<>();
        for (ImageBuilder.Pull pull : pulls) {
            if (pull.insecure() && !insecure.contains(pull.location())) {
                insecure.add(pull.location());
                toml.arrayTable("registry").put("location", pull.location()).put("insecure", true);
            }
        }
        return toml.toString();
    }

    /**
     * The build's auth file ({@code containers-auth.json}), when a base's registry has credentials
     * (the spec's, or the user's logins): {@code auths.LOCATION.auth} the base64 of
     * {@code user:password}, or {@code identitytoken}, written by a JSON
     * serializer into a file only its owner may read (0600, made so before a byte is written) in
     * the build's work directory, which is removed after the build. It takes the place of podman's
     * primary auth file; buildah still falls back to Docker's {@code config.json}.
     */
    static Optional<Path> authFile(List<ImageBuilder.Pull> pulls, Path work) throws IOException {
        ObjectNode auths = JSON.createObjectNode();
        for (ImageBuilder.Pull pull : pulls) {
            pull.login().ifPresent(login -> {
                ObjectNode entry = auths.putObject(pull.location());
                if (login.identityToken().isPresent()) {
                    entry.put("identitytoken", login.identityToken().get());
                } else {
                    entry.put("auth", Base64.getEncoder().encodeToString((login.username() + ":" + login.password())
                            .getBytes(StandardCharsets.UTF_8)));
                }
            });
        }
        if (auths.isEmpty()) {
            return Optional.empty();
        }
        Path file = work.resolve("auth.json");
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        ObjectNode document = JSON.createObjectNode();
        document.set("auths", auths);
        Files.write(file, JSON.writeValueAsBytes(document));
        return Optional.of(file);
    }

    private void run(List<String> argv, Map<String, String> env, Log log, String what) throws IOException, InterruptedException {
        Result result = runner.run(Command.of(argv, timeout).with(env).mergingErr());
        result.out().lines().forEach(log::line);
        if (!result.ok()) {
            throw new Failed(what + " failed (exit " + result.exit() + "):\n" + Failed.tail(result.out(), 15));
        }
    }
}
