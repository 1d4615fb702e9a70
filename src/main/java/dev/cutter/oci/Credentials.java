package dev.cutter.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.cutter.process.Command;
import dev.cutter.process.ProcessRunner;
import dev.cutter.process.Result;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where registry credentials come from, as Docker and skopeo find them: credentials given in the
 * spec (secret references resolved by the caller) first, then {@code config.json}'s
 * {@code credHelpers}/{@code credsStore} (a {@code docker-credential-NAME get} call) and
 * {@code auths}. None found means anonymous access.
 */
public interface Credentials {
    record UsernamePassword(String username, String password) {
        @Override
        public String toString() {
            return "UsernamePassword[" + username + ", ***]";
        }
    }

    Optional<UsernamePassword> forHost(String host);

    static Credentials none() {
        return host -> Optional.empty();
    }

    /** Given credentials for some hosts, then the Docker config for the rest. */
    static Credentials of(Map<String, UsernamePassword> given, Credentials fallback) {
        return host -> given.containsKey(host) ? Optional.of(given.get(host)) : fallback.forHost(host);
    }

    /** {@code $DOCKER_CONFIG/config.json}, else {@code ~/.docker/config.json}. */
    static Credentials dockerConfig(Map<String, String> environment) {
        String dir = environment.get("DOCKER_CONFIG");
        Path file = dir != null ? Path.of(dir, "config.json")
                : Path.of(environment.getOrDefault("HOME", System.getProperty("user.home")), ".docker", "config.json");
        return new DockerConfig(file);
    }

    /** Reads Docker's config.json; a missing file means no credentials. */
    final class DockerConfig implements Credentials {
        private static final ObjectMapper JSON = JsonMapper.builder().build();
        private final Path file;

        DockerConfig(Path file) {
            this.file = file;
        }

        @Override
        public Optional<UsernamePassword> forHost(String host) {
            if (!Files.isRegularFile(file)) {
                return Optional.empty();
            }
            JsonNode config;
            try {
                config = JSON.readTree(file.toFile());
            } catch (IOException e) {
                throw new RegistryException(file.toString(), 0, file + " is not valid JSON: " + e.getMessage()
                        + "; fix it or point DOCKER_CONFIG elsewhere", false, null);
            }
            String helper = config.path("credHelpers").path(host).asText(config.path("credsStore").asText(""));
            if (!helper.isEmpty()) {
                Optional<UsernamePassword> fromHelper = helper(helper, host);
                if (fromHelper.isPresent()) {
                    return fromHelper;
                }
            }
            for (String key : new String[] {host, "https://" + host, "http://" + host, "https://" + host + "/v1/"}) {
                JsonNode auth = config.path("auths").path(key);
                if (auth.hasNonNull("auth")) {
                    String decoded = new String(Base64.getDecoder().decode(auth.get("auth").asText()), StandardCharsets.UTF_8);
                    int colon = decoded.indexOf(':');
                    if (colon > 0) {
                        return Optional.of(new UsernamePassword(decoded.substring(0, colon), decoded.substring(colon + 1)));
                    }
                }
            }
            return Optional.empty();
        }

        private static Optional<UsernamePassword> helper(String name, String host) {
            if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
                return Optional.empty(); // a helper is a program on PATH, never a path: docker-credential-NAME
            }
            try {
                Result result = ProcessRunner.local().run(Command.of(List.of("docker-credential-" + name, "get"),
                        Duration.ofSeconds(30)).input(host));
                if (!result.ok()) {
                    return Optional.empty(); // "credentials not found" exits non-zero
                }
                JsonNode json = JSON.readTree(result.out());
                return Optional.of(new UsernamePassword(json.path("Username").asText(), json.path("Secret").asText()));
            } catch (ProcessRunner.TimedOut e) {
                return Optional.empty();
            } catch (IOException e) {
                throw new RegistryException(host, 0, "the credential helper docker-credential-" + name
                        + " could not be run: " + e.getMessage() + "; install it or remove it from config.json", false, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
    }
}
