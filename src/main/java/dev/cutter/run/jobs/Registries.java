package dev.cutter.run.jobs;

import dev.cutter.oci.Credentials;
import dev.cutter.oci.Logins;
import dev.cutter.oci.ImageTarget;
import dev.cutter.oci.LayoutTarget;
import dev.cutter.oci.RateLimits;
import dev.cutter.oci.RegistryClient;
import dev.cutter.oci.RegistryTarget;
import dev.cutter.oci.Repository;
import dev.cutter.plan.Action;
import dev.cutter.run.JobContext;
import dev.cutter.run.Secrets;
import java.net.http.HttpClient;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The registry clients of one run, one per set of credentials, shared by its jobs: the tokens a
 * push obtained serve the replicas and checks after it instead of each job authenticating anew.
 * They count their requests against one set of {@link RateLimits}: a registry's budget (declared
 * with {@code ratelimit:}, or learnt from its headers) is shared by every job of the run.
 */
public final class Registries {
    private final HttpClient http;
    private final Map<String, String> environment;
    private final RegistryClient.Options options;
    private final Map<Key, RegistryClient> clients = new ConcurrentHashMap<>();
    private final RateLimits rateLimits = new RateLimits();

    /** Which credentials a client speaks with; never printed (it holds a resolved password). */
    private record Key(String host, String auth, Optional<Credentials.UsernamePassword> given) {
        @Override
        public String toString() {
            return "Key[" + host + ", " + auth + "]";
        }
    }

    /** {@code CUTTER_REGISTRY_TIMEOUT} from {@code environment} bounds every registry answer. */
    public Registries(HttpClient http, Map<String, String> environment) {
        this.http = http;
        this.environment = environment;
        this.options = RegistryClient.Options.defaults()
                .withTimeout(RegistryClient.timeoutFrom(environment.get("CUTTER_REGISTRY_TIMEOUT")));
    }

    /** The request budgets of the run's registries. */
    public RateLimits rateLimits() {
        return rateLimits;
    }

    /** The client of the user's logins alone (docker, podman, skopeo): base images, and checks of repositories the spec gives no access for. */
    public RegistryClient dockerConfig() {
        return clients.computeIfAbsent(new Key("", "docker-config", Optional.empty()),
                k -> new RegistryClient(http, Logins.of(environment), options).paced(rateLimits));
    }

    /**
     * A client for {@code repo} as the spec says to reach its registry: the spec's credentials
     * (secret references, resolved now), else Docker's config, or none for {@code auth: none};
     * plain HTTP where allowed; the chunk size it asks for.
     */
    public RegistryClient client(JobContext context, Repository repo, Action.Access access) {
        return client(context.secrets(), repo, access);
    }

    /** As {@link #client(JobContext, Repository, Action.Access)}, outside a job: secrets resolved by {@code secrets}. */
    public RegistryClient client(Secrets secrets, Repository repo, Action.Access access) {
        Optional<Credentials.UsernamePassword> given = given(access, secrets);
        access.ratelimit().ifPresent(budget -> rateLimits.declare(repo.host(), RateLimits.Budget.parse(budget)));
        Key key = access.auth().equals("none") ? new Key("", "none", Optional.empty())
                : given.isPresent() ? new Key(repo.host(), "given", given) : new Key("", "docker-config", Optional.empty());
        RegistryClient shared = key.auth().equals("docker-config") ? dockerConfig()
                : clients.computeIfAbsent(key, k -> new RegistryClient(http, credentials(repo.host(), access, given, environment), options)
                        .paced(rateLimits));
        return shared.with(options.withInsecure(access.insecure() ? Set.of(repo.host()) : Set.of()).withChunkSize(access.chunk()));
    }

    /** Where {@code repository} is: a layout in the project ({@code oci:DIR}) or a registry repository. */
    public ImageTarget target(JobContext context, String repository, Optional<Action.Access> access) {
        return target(context.projectDir(), context.secrets(), repository, access);
    }

    /** As {@link #target(JobContext, String, Optional)}, outside a job: layouts in {@code projectDir}, secrets resolved by {@code secrets}. */
    public ImageTarget target(java.nio.file.Path projectDir, Secrets secrets, String repository, Optional<Action.Access> access) {
        if (repository.startsWith("oci:")) {
            return new LayoutTarget(projectDir.resolve(repository.substring("oci:".length())));
        }
        Repository repo = Repository.parse(repository);
        return new RegistryTarget(access.map(a -> client(secrets, repo, a)).orElseGet(this::dockerConfig), repo);
    }

    /** The credentials {@code access} gives for {@code host}, else Docker's config; none for {@code auth: none}. */
    public static Credentials credentials(String host, Action.Access access, Secrets secrets, Map<String, String> environment) {
        return credentials(host, access, given(access, secrets), environment);
    }

    private static Credentials credentials(String host, Action.Access access, Optional<Credentials.UsernamePassword> given,
            Map<String, String> environment) {
        if (access.auth().equals("none")) {
            return Credentials.none();
        }
        Map<String, Credentials.UsernamePassword> byHost = new LinkedHashMap<>();
        given.ifPresent(up -> byHost.put(host, up));
        return Credentials.of(byHost, Logins.of(environment));
    }

    private static Optional<Credentials.UsernamePassword> given(Action.Access access, Secrets secrets) {
        return access.username().isPresent() && access.password().isPresent()
                ? Optional.of(new Credentials.UsernamePassword(secrets.resolve(access.username().get()),
                        secrets.resolve(access.password().get())))
                : Optional.empty();
    }
}
