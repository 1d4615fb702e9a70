package dev.cutter.kinds.image;

import dev.cutter.oci.RegistryClient;
import dev.cutter.oci.RegistryException;
import dev.cutter.plan.Action;
import dev.cutter.run.JobFailure;
import dev.cutter.run.TargetProbe;
import dev.cutter.run.jobs.Registries;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * What a push or a replica asks its repository before the release starts: its tags, read with the
 * release's credentials (a repository not made yet answers too), then whether those credentials
 * may push there (an upload opened and cancelled). Layouts are local and not asked. Each request
 * has a short time-out and few retries: a registry that does not answer is told in seconds.
 */
final class RegistryProbe {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(2);
    private final HttpClient http;

    RegistryProbe(HttpClient http) {
        this.http = http;
    }

    Optional<TargetProbe.Question> push(Action.Push push, TargetProbe.Context context) {
        return question(push.repository(), push.access(), context);
    }

    Optional<TargetProbe.Question> replicate(Action.Replicate replica, TargetProbe.Context context) {
        return question(replica.repository(), replica.access(), context);
    }

    private Optional<TargetProbe.Question> question(String repository, Action.Access access, TargetProbe.Context context) {
        if (repository.startsWith("oci:")) {
            return Optional.empty();
        }
        return Optional.of(new TargetProbe.Question(repository, () -> {
            RegistryClient.Repository repo = RegistryClient.Repository.parse(repository);
            RegistryClient.Options options = RegistryClient.Options.defaults().withTimeout(TIMEOUT);
            try {
                RegistryClient client = new RegistryClient(http, Registries.credentials(repo.host(), access, context.secrets(),
                        context.environment()), access.insecure() ? options.withInsecure(Set.of(repo.host())) : options, MAX_BACKOFF);
                try {
                    client.tags(repo);
                } catch (RegistryException e) {
                    if (e.status() != 404) { // 404: a repository not made yet, which the registry answered
                        throw e;
                    }
                }
                client.mayPush(repo);
                return Optional.empty();
            } catch (RegistryException e) {
                return Optional.of(e.status() == 401 || e.status() == 403
                        ? "the credentials may not push there (" + e.getMessage() + ")" : e.getMessage());
            } catch (JobFailure e) {
                return Optional.of(e.getMessage()); // a credential that cannot be read
            }
        }));
    }
}
