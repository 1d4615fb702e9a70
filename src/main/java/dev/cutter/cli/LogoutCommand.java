package dev.cutter.cli;

import dev.cutter.oci.Logins;
import dev.cutter.oci.RegistryException;
import dev.cutter.oci.RegistryHost;
import dev.cutter.plan.PlanException;
import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code cutter logout REGISTRY}: the login {@code cutter login} or {@code docker login} kept, removed as {@code docker logout} removes it. */
@Command(name = "logout",
        description = "Log out of a registry: its login is removed from Docker's config.json and the credential helper that keeps it.")
final class LogoutCommand implements Callable<Integer> {
    @Parameters(paramLabel = "REGISTRY", description = "The registry: ghcr.io, docker.io (Docker Hub), HOST:PORT.")
    String registry;

    @Mixin
    Wiring wiring;

    @Override
    public Integer call() {
        RegistryHost host;
        try {
            host = RegistryHost.of(registry);
        } catch (IllegalArgumentException e) {
            throw new PlanException(e.getMessage());
        }
        Logins logins = Logins.of(wiring.services().environment());
        boolean removed;
        try {
            removed = logins.remove(host);
        } catch (RegistryException e) { // the credential helper could not erase it
            wiring.err().println("cutter: " + e.getMessage());
            return ExitCode.JOB_FAILED;
        } catch (IOException e) {
            wiring.err().println("cutter: the login to " + host + " could not be removed from " + logins.dockerConfig() + ": " + e.getMessage());
            return ExitCode.JOB_FAILED;
        }
        wiring.out().println(removed ? "logged out of " + host + " (" + logins.dockerConfig() + ")"
                : "not logged in to " + host + " in " + logins.dockerConfig());
        logins.locate(host, "").ifPresent(left -> wiring.out().println("a login for " + host + " remains in " + left.where()
                + "; `podman logout " + host + "` removes one kept by podman or skopeo"));
        return ExitCode.OK;
    }
}
