package dev.cutter.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.cutter.process.Command;
import dev.cutter.process.ProcessRunner;
import dev.cutter.process.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A Docker credential helper, {@code docker-credential-NAME} on the {@code PATH} of the
 * environment given, spoken to as Docker's helper protocol says: {@code get} and {@code erase}
 * read the server URL on standard input, {@code store} a JSON object
 * ({@code ServerURL, Username, Secret}); {@code get} answers such an object, where the username
 * {@code <token>} means the secret is an identity token. A helper that does not hold the login
 * says "credentials not found" (and exits non-zero): no login, not a failure. It runs in the
 * environment given (ecr-login reads AWS's variables there).
 *
 * @param name the NAME of {@code docker-credential-NAME}
 * @param origin where the helper was named, for messages ({@code credsStore in ~/.docker/config.json})
 */
record CredentialHelper(String name, String origin, Map<String, String> environment, ProcessRunner processes) {
    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    /** The username a helper answers with when the secret is an identity token. */
    static final String TOKEN_USERNAME = "<token>";

    /** What a helper's NAME may be: a program's name, never a path. */
    static final java.util.regex.Pattern NAME = java.util.regex.Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    CredentialHelper {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("'" + name + "' is not a credential helper's name");
        }
        environment = Map.copyOf(environment);
    }

    String program() {
        return "docker-credential-" + name;
    }

    /** The login the helper holds for {@code serverUrl}; empty when it holds none. */
    Optional<Credentials.Login> get(String serverUrl) {
        Result result = run("get", serverUrl);
        if (!result.ok()) {
            if (notFound(result)) {
                return Optional.empty();
            }
            throw failed("get", serverUrl, result);
        }
        JsonNode answer;
        try {
            answer = JSON.readTree(result.out());
        } catch (IOException e) {
            throw new RegistryException(program(), 0, program() + " get answered for " + serverUrl + " with something that is not JSON ("
                    + e.getMessage().lines().findFirst().orElse("") + "); it is named by " + origin, false, e);
        }
        String username = answer == null ? "" : answer.path("Username").asText("");
        String secret = answer == null ? "" : answer.path("Secret").asText("");
        if (secret.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(username.equals(TOKEN_USERNAME) ? new Credentials.IdentityToken(secret)
                : new Credentials.UsernamePassword(username, secret));
    }

    /** Keeps {@code login} for {@code serverUrl} in the helper. */
    void store(String serverUrl, Credentials.Login login) {
        var body = JSON.createObjectNode().put("ServerURL", serverUrl);
        switch (login) {
            case Credentials.UsernamePassword up -> body.put("Username", up.username()).put("Secret", up.password());
            case Credentials.IdentityToken token -> body.put("Username", TOKEN_USERNAME).put("Secret", token.token());
        }
        Result result = run("store", body.toString());
        if (!result.ok()) {
            throw failed("store", serverUrl, result);
        }
    }

    /** Removes the helper's login for {@code serverUrl}; false when it held none. */
    boolean erase(String serverUrl) {
        Result result = run("erase", serverUrl);
        if (result.ok()) {
            return true;
        }
        if (notFound(result)) {
            return false;
        }
        throw failed("erase", serverUrl, result);
    }

    private Result run(String action, String input) {
        Path program = onPath().orElseThrow(() -> new RegistryException(program(), 0, program() + " is not on PATH, but " + origin
                + " names it; install it, or take it out of that file", false, null));
        try {
            return processes.run(new Command(List.of(program.toString(), action), Optional.empty(), environment, true,
                    Optional.of(input), false, TIMEOUT));
        } catch (ProcessRunner.TimedOut e) {
            throw new RegistryException(program(), 0, program() + " " + action + " did not answer within " + TIMEOUT.toSeconds()
                    + " s (" + origin + " names it)", true, e);
        } catch (IOException e) {
            throw new RegistryException(program(), 0, program() + " could not be run: " + e.getMessage() + " (" + origin + " names it)",
                    false, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryException(program(), 0, "interrupted while " + program() + " ran", false, e);
        }
    }

    /** {@code docker-credential-NAME} in the first directory of the environment's PATH that has it, as a shell finds it. */
    private Optional<Path> onPath() {
        for (String dir : environment.getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin").split(":")) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, program());
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate.toAbsolutePath());
            }
        }
        return Optional.empty();
    }

    /** How every helper of docker-credential-helpers (and ecr-login, gcloud's, ACR's) says it holds no login. */
    private static boolean notFound(Result result) {
        return (result.out() + "\n" + result.err()).toLowerCase(java.util.Locale.ROOT).contains("credentials not found");
    }

    private RegistryException failed(String action, String serverUrl, Result result) {
        String said = (result.out().strip() + " " + result.err().strip()).strip();
        if (said.length() > 400) {
            said = said.substring(0, 400) + "…";
        }
        return new RegistryException(program(), 0, program() + " " + action + " failed for " + serverUrl + " (exit " + result.exit()
                + (said.isEmpty() ? "" : ": " + said) + "); it is named by " + origin, false, null);
    }

    /** The helper and whom it is asked for; of the environment, only its size. */
    @Override
    public String toString() {
        return "CredentialHelper[name=" + name + ", origin=" + origin + ", environment=<" + environment.size() + " variables>]";
    }
}
