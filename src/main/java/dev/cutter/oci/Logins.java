package dev.cutter.oci;

import dev.cutter.process.ProcessRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The logins a user made with {@code docker login}, {@code podman login} or {@code skopeo login},
 * found in the files those tools read, in the order containers/image (podman's and skopeo's
 * library) reads them, Docker's last:
 *
 * <ol>
 *   <li>{@code $REGISTRY_AUTH_FILE} when set (podman and skopeo then read it alone; Cutter reads
 *       Docker's file after it, as Docker would), else {@code $XDG_RUNTIME_DIR/containers/auth.json}
 *       ({@code /run/containers/UID/auth.json} without {@code XDG_RUNTIME_DIR}), then
 *       {@code $XDG_CONFIG_HOME/containers/auth.json} ({@code ~/.config/containers/auth.json});
 *   <li>Docker's {@code $DOCKER_CONFIG/config.json}, else {@code ~/.docker/config.json};
 *   <li>Docker's old {@code ~/.dockercfg} (read, never written), as podman and skopeo still read it.
 * </ol>
 *
 * In a containers file a {@code credHelpers} entry for the registry is asked first (with the
 * registry's name, {@code docker.io} for Docker Hub, as podman asks), then {@code auths}, keys
 * naming the repository or a namespace above it first; a file without the login passes on to
 * the next. In Docker's file, Docker's rule: a helper named for the registry
 * ({@code credHelpers}, else {@code credsStore}) decides alone, asked with Docker's server URL
 * ({@code https://index.docker.io/v1/} for Docker Hub); else {@code auths}. Each file is read
 * once, when first needed; each helper is asked once per registry.
 */
public final class Logins implements Credentials {
    /** Where one login file is and whose it is. */
    record Source(Path path, LoginFile.Format format) {}

    /** A login and where it was found, for messages. */
    public record Found(Credentials.Login login, String where) {
        @Override
        public String toString() {
            return "Found[" + where + "]";
        }
    }

    private final List<Source> sources;
    private final Map<String, String> environment;
    private final ProcessRunner processes;
    private final Map<Path, Optional<LoginFile>> files = new ConcurrentHashMap<>();
    private final Map<String, Optional<Found>> found = new ConcurrentHashMap<>();
    /** What each helper answered for each server URL: a helper is asked once per registry, not per repository. */
    private final Map<String, Optional<Credentials.Login>> answers = new ConcurrentHashMap<>();

    Logins(List<Source> sources, Map<String, String> environment, ProcessRunner processes) {
        this.sources = List.copyOf(sources);
        this.environment = Map.copyOf(environment);
        this.processes = processes;
    }

    /** The logins of the user {@code environment} describes ({@code HOME}, {@code DOCKER_CONFIG}, …). */
    public static Logins of(Map<String, String> environment) {
        return of(environment, uid());
    }

    static Logins of(Map<String, String> environment, Optional<Integer> uid) {
        String home = nonEmpty(environment.get("HOME")).orElse(System.getProperty("user.home"));
        List<Source> sources = new ArrayList<>();
        Optional<String> authFile = nonEmpty(environment.get("REGISTRY_AUTH_FILE"));
        if (authFile.isPresent()) {
            sources.add(new Source(Path.of(authFile.get()), LoginFile.Format.CONTAINERS));
        } else {
            Optional<String> runtime = nonEmpty(environment.get("XDG_RUNTIME_DIR"));
            if (runtime.isPresent()) {
                sources.add(new Source(Path.of(runtime.get(), "containers", "auth.json"), LoginFile.Format.CONTAINERS));
            } else {
                uid.ifPresent(id -> sources.add(new Source(Path.of("/run/containers", id.toString(), "auth.json"),
                        LoginFile.Format.CONTAINERS)));
            }
            Path config = nonEmpty(environment.get("XDG_CONFIG_HOME")).map(Path::of).orElse(Path.of(home, ".config"));
            sources.add(new Source(config.resolve("containers").resolve("auth.json"), LoginFile.Format.CONTAINERS));
        }
        sources.add(new Source(dockerConfig(environment, home), LoginFile.Format.DOCKER));
        sources.add(new Source(Path.of(home, ".dockercfg"), LoginFile.Format.LEGACY));
        return new Logins(sources, environment, ProcessRunner.local());
    }

    private static Path dockerConfig(Map<String, String> environment, String home) {
        return nonEmpty(environment.get("DOCKER_CONFIG")).map(dir -> Path.of(dir, "config.json"))
                .orElse(Path.of(home, ".docker", "config.json"));
    }

    /** This process's user id, as {@code /run/containers/UID} wants it; empty where the system does not tell. */
    private static Optional<Integer> uid() {
        try {
            return Optional.of((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException | ClassCastException e) {
            return Optional.empty();
        }
    }

    private static Optional<String> nonEmpty(String value) {
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value);
    }

    /** Docker's {@code config.json}, where logins are written. */
    private Source docker() {
        return sources.stream().filter(s -> s.format() == LoginFile.Format.DOCKER).findFirst().orElseThrow();
    }

    /** The files read, in order. */
    public List<Path> files() {
        return sources.stream().map(Source::path).toList();
    }

    /** Docker's {@code config.json}: where {@code cutter login} writes. */
    public Path dockerConfig() {
        return docker().path();
    }

    /**
     * Reads every login file there is, so a malformed one is named before anything happens.
     *
     * @throws LoginFileException naming the file, line, column and what is wrong
     */
    public void check() {
        sources.forEach(this::file);
    }

    @Override
    public Optional<Credentials.Login> find(Repository repository) {
        return locate(RegistryHost.of(repository.host()), repository.path()).map(Found::login);
    }

    /** The login for {@code repository} of {@code host} (empty: the registry itself), and where it is kept. */
    public Optional<Found> locate(RegistryHost host, String repository) {
        return found.computeIfAbsent(host.name() + "/" + repository, k -> search(host, repository));
    }

    private Optional<Found> search(RegistryHost host, String repository) {
        for (Source source : sources) {
            Optional<LoginFile> read = file(source);
            if (read.isEmpty()) {
                continue;
            }
            LoginFile file = read.get();
            Optional<LoginFile.Helper> helper = file.helperFor(host);
            if (helper.isPresent()) {
                CredentialHelper program = helper(helper.get());
                String serverUrl = source.format().dockerKeys() ? host.dockerKey() : host.name();
                Optional<Credentials.Login> login = answers.computeIfAbsent(program.program() + " " + serverUrl,
                        k -> program.get(serverUrl));
                if (login.isPresent() || source.format() == LoginFile.Format.DOCKER) {
                    return login.map(l -> new Found(l, program.program() + " (" + helper.get().origin() + ")"));
                }
                continue; // podman: a helper without the login passes on to the next file
            }
            Optional<Credentials.Login> login = file.loginFor(host, repository);
            if (login.isPresent()) {
                return Optional.of(new Found(login.get(), source.path().toString()));
            }
        }
        return Optional.empty();
    }

    private Optional<LoginFile> file(Source source) {
        return files.computeIfAbsent(source.path(), p -> LoginFile.read(p, source.format()));
    }

    private CredentialHelper helper(LoginFile.Helper helper) {
        return new CredentialHelper(helper.name(), helper.origin(), environment, processes);
    }

    /** Where a login was saved: Docker's file, or the helper that keeps it. */
    public record Saved(String where) {}

    /**
     * Keeps {@code login} for {@code host} as {@code docker login} does: through the helper
     * Docker's config names for it ({@code credHelpers}, else {@code credsStore}), with the empty
     * entry Docker leaves in {@code auths}, else in {@code auths} itself. The rest of the file is
     * kept as it is.
     *
     * @param username who logged in (kept beside an identity token, as Docker keeps it)
     */
    public Saved save(RegistryHost host, String username, Credentials.Login login) throws IOException {
        Source docker = docker();
        LoginFile file = LoginFile.read(docker.path(), docker.format()).orElseGet(() -> LoginFile.empty(docker.path(), docker.format()));
        Optional<LoginFile.Helper> helper = file.helperFor(host);
        if (helper.isPresent()) {
            CredentialHelper program = helper(helper.get());
            program.store(host.dockerKey(), login);
            file.withLogin(host, username, Optional.empty()).write();
            forget();
            return new Saved(program.program() + " (" + helper.get().origin() + ")");
        }
        file.withLogin(host, username, Optional.of(login)).write();
        forget();
        return new Saved(docker.path().toString());
    }

    /**
     * Removes {@code host}'s login from Docker's config as {@code docker logout} does: from the
     * helper that keeps it, and every {@code auths} key naming the registry. False when there was
     * none.
     */
    public boolean remove(RegistryHost host) throws IOException {
        Source docker = docker();
        Optional<LoginFile> read = LoginFile.read(docker.path(), docker.format());
        if (read.isEmpty()) {
            return false;
        }
        LoginFile file = read.get();
        boolean removed = false;
        Optional<LoginFile.Helper> helper = file.helperFor(host);
        if (helper.isPresent()) {
            removed = helper(helper.get()).erase(host.dockerKey());
        }
        if (file.mentions(host)) {
            file.withoutLogin(host).write();
            removed = true;
        }
        forget();
        return removed;
    }

    /** Reads the files again at the next look-up: they were written. */
    private void forget() {
        files.clear();
        found.clear();
        answers.clear();
    }
}
