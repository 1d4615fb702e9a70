package dev.cutter.run.jobs;

import java.net.http.HttpClient;
import java.util.Map;

/**
 * What the handlers of one run share: the environment (secrets, credentials, API URLs), one HTTP
 * client, the run's registry clients (whose tokens the jobs share) and the run's options.
 *
 * @param forceFloating move floating tags even backwards ({@code --force-floating})
 */
public record JobServices(Map<String, String> environment, HttpClient http, Registries registries, boolean forceFloating) {
    public JobServices {
        environment = Map.copyOf(environment);
    }

    /** The services of a run in {@code environment}. */
    public static JobServices of(Map<String, String> environment, boolean forceFloating) {
        HttpClient http = dev.cutter.oci.RegistryClient.http();
        return new JobServices(environment, http, new Registries(http, environment), forceFloating);
    }
}
