package dev.cutter.run.jobs;

import java.net.http.HttpClient;
import java.util.Map;

/**
 * What the handlers of one run share: the environment (secrets, credentials, API URLs), one HTTP
 * client, the run's registry clients (whose tokens the jobs share), the locks on tags in the
 * run's ledger and the run's options.
 *
 * @param forceFloating move floating tags even backwards ({@code --force-floating})
 * @param ledger the run's ledger, for checks that compare what was published with what a run recorded
 */
public record JobServices(Map<String, String> environment, HttpClient http, Registries registries, TagLocks locks,
        boolean forceFloating, dev.cutter.ledger.Ledger ledger) {
    public JobServices {
        environment = Map.copyOf(environment);
    }

    /** The services of a run in {@code environment}, recorded in {@code ledger}. */
    public static JobServices of(Map<String, String> environment, dev.cutter.ledger.Ledger ledger, boolean forceFloating) {
        HttpClient http = dev.cutter.oci.RegistryClient.http();
        return new JobServices(environment, http, new Registries(http, environment), new TagLocks(ledger), forceFloating,
                ledger);
    }

    /** The services; of the environment, only its size (it holds the run's secrets). */
    @Override
    public String toString() {
        return "JobServices[environment=<" + environment.size() + " variables>, registries=" + registries + ", forceFloating="
                + forceFloating + ", ledger=" + ledger + "]";
    }
}
