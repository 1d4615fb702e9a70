package dev.cutter.cli;

import dev.cutter.oci.Credentials;
import dev.cutter.oci.Logins;
import dev.cutter.oci.RegistryClient;
import dev.cutter.oci.RegistryException;
import dev.cutter.oci.RegistryHost;
import dev.cutter.plan.PlanException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code cutter login REGISTRY -u USER --password-stdin}: the login checked against the registry,
 * then kept as {@code docker login} keeps it, so docker, podman, skopeo and Cutter share it.
 */
@Command(footer = {"%nExamples:", "  echo \"$TOKEN\" | cutter login ghcr.io -u ci-bot --password-stdin"},
        name = "login",
        description = "Log in to a registry: the password is checked against it, then kept in Docker's config.json (or by the"
                + " credential helper it names), where docker, podman, skopeo and Cutter find it.")
final class LoginCommand implements Callable<Integer> {
    @Parameters(paramLabel = "REGISTRY", description = "The registry: ghcr.io, docker.io (Docker Hub), HOST:PORT; a URL is taken for its host.")
    String registry;

    @Option(names = {"-u", "--username"}, required = true, paramLabel = "USER", description = "Who logs in.")
    String username;

    @Option(names = "--password-stdin", description = "Read the password or access token from standard input (one trailing newline dropped).")
    boolean passwordStdin;

    @Option(names = "--insecure", description = "Speak plain HTTP to the registry (loopback always is).")
    boolean insecure;

    @Mixin
    Wiring wiring;

    @Override
    public Integer call() throws IOException {
        RegistryHost host;
        try {
            host = RegistryHost.of(registry);
        } catch (IllegalArgumentException e) {
            throw new PlanException(e.getMessage());
        }
        if (!passwordStdin) {
            throw new PlanException("give the password on standard input with --password-stdin (e.g. printf '%s' \"$TOKEN\" | cutter login "
                    + host + " -u " + username + " --password-stdin), so it stays out of the shell's history and the process list");
        }
        if (username.isBlank() || username.contains(":")) {
            throw new PlanException("-u: '" + username + "' is not a username (it is empty or holds a colon)");
        }
        String password = password(wiring.in().readNBytes(1 << 16));
        if (password.isEmpty()) {
            throw new PlanException("--password-stdin: standard input held no password");
        }
        var services = wiring.services();
        RegistryClient client = new RegistryClient(RegistryClient.http(), Credentials.none(), RegistryClient.Options.defaults()
                .withInsecure(insecure ? Set.of(host.apiHost()) : Set.of())
                .withTimeout(RegistryClient.timeoutFrom(services.environment().get("CUTTER_REGISTRY_TIMEOUT"))));
        Credentials.UsernamePassword given = new Credentials.UsernamePassword(username, password);
        Optional<Credentials.IdentityToken> identity;
        try {
            identity = client.login(host.apiHost(), given);
        } catch (RegistryException e) {
            wiring.err().println("cutter: login to " + host + " failed: " + e.getMessage());
            return e.unreachable() ? ExitCode.UNREACHABLE : ExitCode.JOB_FAILED;
        }
        Logins.Saved saved;
        try {
            saved = Logins.of(services.environment()).save(host, username, identity.<Credentials.Login>map(t -> t).orElse(given));
        } catch (RegistryException e) { // the credential helper could not keep it
            wiring.err().println("cutter: " + e.getMessage());
            return ExitCode.JOB_FAILED;
        } catch (IOException e) {
            wiring.err().println("cutter: the login to " + host + " was accepted but could not be kept: " + e.getMessage());
            return ExitCode.JOB_FAILED;
        }
        wiring.out().println("logged in to " + host + " as " + username + (identity.isPresent() ? " (an identity token kept, not the password)" : "")
                + "; the login is kept in " + saved.where());
        return ExitCode.OK;
    }

    /** What {@code --password-stdin} read, less one trailing newline, as Docker takes it. */
    static String password(byte[] read) {
        String text = new String(read, StandardCharsets.UTF_8);
        if (text.endsWith("\n")) {
            text = text.substring(0, text.length() - 1);
        }
        if (text.endsWith("\r")) {
            text = text.substring(0, text.length() - 1);
        }
        return text;
    }
}
