package dev.cutter.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.cutter.oci.Credentials.IdentityToken;
import dev.cutter.oci.Credentials.UsernamePassword;
import dev.cutter.testing.FakeCredentialHelper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Logins found as docker, podman and skopeo find them: each form of Docker's config.json, Docker
 * Hub's names, credential helpers (a real executable on PATH), podman's auth.json files and
 * their order, and login files written back as {@code docker login} writes them.
 */
class LoginsTest {
    @TempDir
    Path tmp;

    Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("HOME", tmp.resolve("home").toString());
        env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        return env;
    }

    /** The logins of {@code env}, without the per-user file under /run (which belongs to this machine's user). */
    static Logins logins(Map<String, String> env) {
        return Logins.of(env, Optional.empty());
    }

    static Optional<Credentials.Login> find(Logins logins, String repository) {
        return logins.find(Repository.parse(repository));
    }

    Path write(Path file, String json) throws Exception {
        Files.createDirectories(file.getParent());
        Files.writeString(file, json);
        return file;
    }

    Path dockerConfig(String json) throws Exception {
        return write(tmp.resolve("home/.docker/config.json"), json);
    }

    static String auth(String userColonPassword) {
        return Base64.getEncoder().encodeToString(userColonPassword.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void authHoldsBase64OfUserColonPasswordAndThePasswordMayHoldColons() throws Exception {
        dockerConfig("{\"auths\": {\"ghcr.io\": {\"auth\": \"" + auth("ci-bot:ghp_a:b") + "\"}}}");

        assertThat(find(logins(env()), "ghcr.io/acme/app")).contains(new UsernamePassword("ci-bot", "ghp_a:b"));
        assertThat(find(logins(env()), "quay.io/acme/app")).isEmpty();
    }

    @Test
    void usernameAndPasswordFieldsServeWhenThereIsNoAuth() throws Exception {
        dockerConfig("{\"auths\": {\"registry.example.com:5000\": {\"username\": \"robot\", \"password\": \"s3cret\"}}}");

        assertThat(find(logins(env()), "registry.example.com:5000/team/app")).contains(new UsernamePassword("robot", "s3cret"));
    }

    @Test
    void anIdentityTokenIsTheLoginEvenBesideAUsername() throws Exception {
        // what `docker login myacr.azurecr.io` leaves: the user with an empty password, and ACR's refresh token
        dockerConfig("{\"auths\": {\"myacr.azurecr.io\": {\"auth\": \"" + auth("00000000-0000-0000-0000-000000000000:")
                + "\", \"identitytoken\": \"eyJhbGciOi.refresh\"}}}");

        assertThat(find(logins(env()), "myacr.azurecr.io/app")).contains(new IdentityToken("eyJhbGciOi.refresh"));
    }

    @Test
    void keysAreReducedToTheirHostAsDockerReducesThemAndAnExactKeyWins() throws Exception {
        dockerConfig("{\"auths\": {"
                + "\"https://ghcr.io/v2/\": {\"auth\": \"" + auth("from-url:1") + "\"},"
                + "\"http://127.0.0.1:5000\": {\"auth\": \"" + auth("loopback:2") + "\"},"
                + "\"https://quay.io\": {\"auth\": \"" + auth("from-url:3") + "\"},"
                + "\"quay.io\": {\"auth\": \"" + auth("exact:4") + "\"},"
                + "\"empty.example.com\": {}}}");
        Logins logins = logins(env());

        assertThat(find(logins, "ghcr.io/acme/app")).contains(new UsernamePassword("from-url", "1"));
        assertThat(find(logins, "127.0.0.1:5000/acme/app")).contains(new UsernamePassword("loopback", "2"));
        assertThat(find(logins, "quay.io/acme/app")).contains(new UsernamePassword("exact", "4"));
        assertThat(find(logins, "empty.example.com/app")).as("the {} Docker leaves beside a helper's login").isEmpty();
    }

    @Test
    void dockerHubsFourNamesAllMeanDockerHub() throws Exception {
        for (String key : List.of("https://index.docker.io/v1/", "index.docker.io", "docker.io", "registry-1.docker.io")) {
            dockerConfig("{\"auths\": {\"" + key + "\": {\"auth\": \"" + auth("hubuser:" + key) + "\"}}}");
            Logins logins = logins(env());

            // short names (debian:bookworm) reach Docker Hub's API at registry-1.docker.io
            assertThat(find(logins, "registry-1.docker.io/library/debian")).as(key).contains(new UsernamePassword("hubuser", key));
            assertThat(find(logins, "docker.io/acme/app")).as(key).contains(new UsernamePassword("hubuser", key));
            assertThat(find(logins, "index.docker.io/acme/app")).as(key).contains(new UsernamePassword("hubuser", key));
        }
        dockerConfig("{\"auths\": {\"docker.io\": {\"auth\": \"" + auth("podman-style:1") + "\"}, \"https://index.docker.io/v1/\": {\"auth\": \""
                + auth("docker-style:2") + "\"}}}");
        assertThat(find(logins(env()), "registry-1.docker.io/library/debian")).as("Docker's own key first")
                .contains(new UsernamePassword("docker-style", "2"));
    }

    @Test
    void aNamespaceKeyServesItsRepositoriesOnlyAndTheMostSpecificWins() throws Exception {
        Map<String, String> env = env();
        env.put("REGISTRY_AUTH_FILE", write(tmp.resolve("auth.json"), "{\"auths\": {"
                + "\"quay.io/acme/app\": {\"auth\": \"" + auth("app-robot:1") + "\"},"
                + "\"quay.io/acme\": {\"auth\": \"" + auth("acme-robot:2") + "\"},"
                + "\"quay.io\": {\"auth\": \"" + auth("anyone:3") + "\"}}}").toString());
        Logins logins = logins(env);

        assertThat(find(logins, "quay.io/acme/app")).contains(new UsernamePassword("app-robot", "1"));
        assertThat(find(logins, "quay.io/acme/tool")).contains(new UsernamePassword("acme-robot", "2"));
        assertThat(find(logins, "quay.io/acmex/app")).contains(new UsernamePassword("anyone", "3"));
        assertThat(find(logins, "quay.io/other/app")).contains(new UsernamePassword("anyone", "3"));
    }

    @Test
    void credHelpersAreAskedWithTheServerUrlDockerPasses() throws Exception {
        FakeCredentialHelper helper = FakeCredentialHelper.install(tmp.resolve("bin"), "fake")
                .holds("ghcr.io", "octocat", "ghp_1").holds("https://index.docker.io/v1/", "hubuser", "dckr_pat_2");
        dockerConfig("{\"auths\": {\"ghcr.io\": {\"auth\": \"" + auth("stale:in-file") + "\"}},"
                + " \"credHelpers\": {\"ghcr.io\": \"fake\", \"https://index.docker.io/v1/\": \"fake\", \"quay.io\": \"fake\"}}");
        Logins logins = logins(helper.onPath(env()));

        assertThat(find(logins, "ghcr.io/acme/app")).as("the helper decides, not auths").contains(new UsernamePassword("octocat", "ghp_1"));
        assertThat(find(logins, "registry-1.docker.io/library/debian")).contains(new UsernamePassword("hubuser", "dckr_pat_2"));
        assertThat(find(logins, "quay.io/acme/app")).as("credentials not found: anonymous").isEmpty();
        assertThat(find(logins, "ghcr.io/acme/other")).as("asked once per registry").isPresent();
        assertThat(helper.calls()).containsExactly("get ghcr.io", "get https://index.docker.io/v1/", "get quay.io");
    }

    @Test
    void credsStoreKeepsEveryOtherRegistrysLoginAndDecidesAlone() throws Exception {
        FakeCredentialHelper store = FakeCredentialHelper.install(tmp.resolve("bin"), "desktop")
                .holds("127.0.0.1:5000", "local", "pw").holds("myacr.azurecr.io", "<token>", "acr-refresh-token");
        FakeCredentialHelper pass = FakeCredentialHelper.install(tmp.resolve("bin"), "pass").holds("ghcr.io", "octocat", "ghp_1");
        dockerConfig("{\"auths\": {\"quay.io\": {\"auth\": \"" + auth("in-file:only") + "\"}},"
                + " \"credsStore\": \"desktop\", \"credHelpers\": {\"ghcr.io\": \"pass\"}}");
        Logins logins = logins(store.onPath(env()));

        assertThat(find(logins, "127.0.0.1:5000/app")).contains(new UsernamePassword("local", "pw"));
        assertThat(find(logins, "myacr.azurecr.io/app")).as("<token>: the secret is an identity token")
                .contains(new IdentityToken("acr-refresh-token"));
        assertThat(find(logins, "ghcr.io/app")).as("credHelpers before credsStore").contains(new UsernamePassword("octocat", "ghp_1"));
        assertThat(find(logins, "quay.io/app")).as("with a credsStore Docker reads no auth from the file").isEmpty();
        assertThat(store.calls()).containsExactly("get 127.0.0.1:5000", "get myacr.azurecr.io", "get quay.io");
        assertThat(pass.calls()).containsExactly("get ghcr.io");
    }

    @Test
    void aHelperThatFailsOrIsMissingIsNamedWithTheFileThatNamesIt() throws Exception {
        FakeCredentialHelper helper = FakeCredentialHelper.install(tmp.resolve("bin"), "pass");
        helper.failWith("gpg: decryption failed: No secret key");
        Path config = dockerConfig("{\"credHelpers\": {\"ghcr.io\": \"pass\", \"quay.io\": \"ecr-login\"}}");
        Logins logins = logins(helper.onPath(env()));

        assertThatThrownBy(() -> find(logins, "ghcr.io/acme/app")).isInstanceOfSatisfying(RegistryException.class, e -> {
            assertThat(e.getMessage()).contains("docker-credential-pass get failed for ghcr.io (exit 1: gpg: decryption failed: No secret key)")
                    .contains("credHelpers[\"ghcr.io\"] in " + config);
            assertThat(e.unreachable()).isTrue();
        });
        assertThatThrownBy(() -> find(logins, "quay.io/acme/app")).isInstanceOfSatisfying(RegistryException.class, e ->
                assertThat(e.getMessage()).isEqualTo("docker-credential-ecr-login is not on PATH, but credHelpers[\"quay.io\"] in " + config
                        + " names it; install it, or take it out of that file"));
    }

    @Test
    void podmansFilesAreReadFirstInContainersImagesOrderThenDockers() throws Exception {
        Map<String, String> env = env();
        env.put("XDG_RUNTIME_DIR", tmp.resolve("run").toString());
        env.put("XDG_CONFIG_HOME", tmp.resolve("config").toString());
        env.put("DOCKER_CONFIG", tmp.resolve("docker").toString());
        write(tmp.resolve("run/containers/auth.json"), "{\"auths\": {\"a.example\": {\"auth\": \"" + auth("runtime:1") + "\"}}}");
        write(tmp.resolve("config/containers/auth.json"), "{\"auths\": {\"a.example\": {\"auth\": \"" + auth("config:2") + "\"},"
                + " \"b.example\": {\"auth\": \"" + auth("config:3") + "\"}}}");
        write(tmp.resolve("docker/config.json"), "{\"auths\": {\"a.example\": {\"auth\": \"" + auth("docker:4") + "\"},"
                + " \"b.example\": {\"auth\": \"" + auth("docker:5") + "\"}, \"c.example\": {\"auth\": \"" + auth("docker:6") + "\"}}}");
        write(tmp.resolve("home/.docker/config.json"), "{\"auths\": {\"d.example\": {\"auth\": \"" + auth("home:7") + "\"}}}");
        Logins logins = logins(env);

        assertThat(logins.files()).containsExactly(tmp.resolve("run/containers/auth.json"), tmp.resolve("config/containers/auth.json"),
                tmp.resolve("docker/config.json"), tmp.resolve("home/.dockercfg"));
        assertThat(find(logins, "a.example/app")).contains(new UsernamePassword("runtime", "1"));
        assertThat(find(logins, "b.example/app")).contains(new UsernamePassword("config", "3"));
        assertThat(find(logins, "c.example/app")).contains(new UsernamePassword("docker", "6"));
        assertThat(find(logins, "d.example/app")).as("DOCKER_CONFIG replaces ~/.docker").isEmpty();
    }

    @Test
    void registryAuthFileReplacesPodmansDefaultFilesButDockersFileIsStillRead() throws Exception {
        Map<String, String> env = env();
        env.put("REGISTRY_AUTH_FILE", tmp.resolve("ci-auth.json").toString());
        env.put("XDG_RUNTIME_DIR", tmp.resolve("run").toString());
        write(tmp.resolve("ci-auth.json"), "{\"auths\": {\"a.example\": {\"auth\": \"" + auth("ci:1") + "\"}}}");
        write(tmp.resolve("run/containers/auth.json"), "{\"auths\": {\"a.example\": {\"auth\": \"" + auth("runtime:2") + "\"},"
                + " \"b.example\": {\"auth\": \"" + auth("runtime:3") + "\"}}}");
        dockerConfig("{\"auths\": {\"a.example\": {\"auth\": \"" + auth("docker:4") + "\"}, \"c.example\": {\"auth\": \"" + auth("docker:5") + "\"}}}");
        Logins logins = logins(env);

        assertThat(logins.files()).containsExactly(tmp.resolve("ci-auth.json"), tmp.resolve("home/.docker/config.json"),
                tmp.resolve("home/.dockercfg"));
        assertThat(find(logins, "a.example/app")).contains(new UsernamePassword("ci", "1"));
        assertThat(find(logins, "b.example/app")).isEmpty();
        assertThat(find(logins, "c.example/app")).contains(new UsernamePassword("docker", "5"));
    }

    @Test
    void withoutXdgRuntimeDirPodmansFileIsTheUsersUnderRun() {
        Map<String, String> env = env();
        env.put("DOCKER_CONFIG", "/etc/ci/docker");

        assertThat(Logins.of(env, Optional.of(1234)).files()).containsExactly(Path.of("/run/containers/1234/auth.json"),
                tmp.resolve("home/.config/containers/auth.json"), Path.of("/etc/ci/docker/config.json"), tmp.resolve("home/.dockercfg"));
    }

    @Test
    void dockersOldDockercfgIsReadLastWithDockersKeysAndNeverWritten() throws Exception {
        Path legacy = write(tmp.resolve("home/.dockercfg"), "{\"https://index.docker.io/v1/\": {\"auth\": \"" + auth("old:hub")
                + "\", \"email\": \"ops@example.com\"}, \"quay.io\": {\"auth\": \"" + auth("old:quay") + "\"}}");
        dockerConfig("{\"auths\": {\"quay.io\": {\"auth\": \"" + auth("new:quay") + "\"}}}");
        Logins logins = logins(env());

        assertThat(find(logins, "registry-1.docker.io/library/debian")).contains(new UsernamePassword("old", "hub"));
        assertThat(find(logins, "quay.io/app")).as("config.json comes first").contains(new UsernamePassword("new", "quay"));
        logins.save(RegistryHost.of("ghcr.io"), "me", new UsernamePassword("me", "pat"));
        assertThat(Files.readString(legacy)).doesNotContain("ghcr.io");
        assertThat(Files.readString(tmp.resolve("home/.docker/config.json"))).contains("ghcr.io");

        write(legacy, "{\n  \"quay.io\": {\"auth\": 42}\n}\n");
        assertThatThrownBy(() -> logins(env()).check()).isInstanceOfSatisfying(LoginFileException.class, e ->
                assertThat(e.getMessage()).startsWith(legacy + ":2:23: [\"quay.io\"].auth: must be a string"));
    }

    @Test
    void podmansCredHelpersAreAskedWithTheRegistrysNameAndAHelperWithoutTheLoginPassesOn() throws Exception {
        FakeCredentialHelper helper = FakeCredentialHelper.install(tmp.resolve("bin"), "secretservice").holds("docker.io", "hubuser", "pat");
        Map<String, String> env = helper.onPath(env());
        env.put("XDG_RUNTIME_DIR", tmp.resolve("run").toString());
        write(tmp.resolve("run/containers/auth.json"), "{\"credHelpers\": {\"docker.io\": \"secretservice\", \"quay.io\": \"secretservice\"}}");
        dockerConfig("{\"auths\": {\"quay.io\": {\"auth\": \"" + auth("docker:1") + "\"}}}");
        Logins logins = logins(env);

        assertThat(find(logins, "registry-1.docker.io/library/debian")).contains(new UsernamePassword("hubuser", "pat"));
        assertThat(find(logins, "quay.io/app")).contains(new UsernamePassword("docker", "1"));
        assertThat(helper.calls()).containsExactly("get docker.io", "get quay.io");
    }

    @Test
    void malformedJsonIsNamedWithItsFileLineAndColumn() throws Exception {
        Path config = dockerConfig("{\n  \"auths\": {\n    \"ghcr.io\": {\"auth\": \"abc\"}\n  ,\n}");

        assertThatThrownBy(() -> logins(env()).check()).isInstanceOfSatisfying(LoginFileException.class, e ->
                assertThat(e.getMessage()).startsWith(config + ":5:1:").contains("not valid JSON"));
    }

    @Test
    void anEntryThatIsNotWhatDockerWritesIsNamedWithItsFieldLineAndColumn() throws Exception {
        Path config = dockerConfig("{\n  \"auths\": {\n    \"ghcr.io\": {\"auth\": \"not base64!\"}\n  }\n}\n");
        assertThatThrownBy(() -> logins(env()).check()).isInstanceOfSatisfying(LoginFileException.class, e ->
                assertThat(e.getMessage()).startsWith(config + ":3:25: auths[\"ghcr.io\"].auth: is not base64"));

        dockerConfig("{\"auths\": {\"ghcr.io\": {\"auth\": \"" + auth("no-colon") + "\"}}}");
        assertThatThrownBy(() -> logins(env()).check()).hasMessageContaining(config + ":1:32: auths[\"ghcr.io\"].auth: is base64 of something"
                + " without a colon");

        dockerConfig("{\"auths\": [\"ghcr.io\"]}");
        assertThatThrownBy(() -> logins(env()).check()).hasMessage(config + ":1:11: auths: must be an object of registries, not a list");

        dockerConfig("{\"credsStore\": \"../../bin/sh\"}");
        assertThatThrownBy(() -> logins(env()).check()).hasMessageStartingWith(config + ":1:16: credsStore: '../../bin/sh' is not a"
                + " credential helper's name");

        Path authFile = write(tmp.resolve("auth.json"), "[]");
        Map<String, String> env = env();
        env.put("REGISTRY_AUTH_FILE", authFile.toString());
        assertThatThrownBy(() -> logins(env).check()).hasMessageStartingWith(authFile + ":1:1: a login file is one JSON object");
    }

    @Test
    void aLoginIsWrittenInDockersFormatKeepingEveryOtherKeyOwnerOnly() throws Exception {
        Path config = dockerConfig("""
                {
                  "auths": {
                    "other.example": {"auth": "%s", "email": "me@example.com"},
                    "docker.io": {"auth": "%s"}
                  },
                  "psFormat": "table {{.ID}}",
                  "proxies": {"default": {"httpProxy": "http://proxy:3128"}}
                }
                """.formatted(auth("other:1"), auth("old:hub")));
        Logins logins = logins(env());

        Logins.Saved saved = logins.save(RegistryHost.of("index.docker.io"), "hubuser", new UsernamePassword("hubuser", "dckr_pat"));

        assertThat(saved.where()).isEqualTo(config.toString());
        JsonNode written = JsonMapper.builder().build().readTree(config.toFile());
        assertThat(written.path("psFormat").asText()).isEqualTo("table {{.ID}}");
        assertThat(written.path("proxies").path("default").path("httpProxy").asText()).isEqualTo("http://proxy:3128");
        assertThat(written.path("auths").path("other.example").path("email").asText()).isEqualTo("me@example.com");
        assertThat(written.path("auths").has("docker.io")).as("the stale alias is gone").isFalse();
        assertThat(written.path("auths").path("https://index.docker.io/v1/").path("auth").asText()).isEqualTo(auth("hubuser:dckr_pat"));
        assertThat(Files.getPosixFilePermissions(config)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.readString(config)).contains("\n\t\"auths\"");
        assertThat(find(logins, "registry-1.docker.io/acme/app")).contains(new UsernamePassword("hubuser", "dckr_pat"));
        try (var siblings = Files.list(config.getParent())) {
            assertThat(siblings).containsExactly(config); // written beside, then renamed: no temporary file left
        }

        assertThat(logins.remove(RegistryHost.of("docker.io"))).isTrue();
        assertThat(logins.remove(RegistryHost.of("docker.io"))).isFalse();
        JsonNode after = JsonMapper.builder().build().readTree(config.toFile());
        assertThat(after.path("auths").has("https://index.docker.io/v1/")).isFalse();
        assertThat(after.path("auths").has("other.example")).isTrue();
        assertThat(find(logins, "registry-1.docker.io/acme/app")).isEmpty();
    }

    @Test
    void aNewLoginFileAndItsDirectoryAreMadeOwnerOnlyAndAnIdentityTokenIsKeptWithItsUser() throws Exception {
        Map<String, String> env = env();
        env.put("DOCKER_CONFIG", tmp.resolve("fresh/docker").toString());
        Logins logins = logins(env);

        logins.save(RegistryHost.of("myacr.azurecr.io"), "00000000-0000-0000-0000-000000000000", new IdentityToken("refresh-1"));

        Path config = tmp.resolve("fresh/docker/config.json");
        assertThat(Files.getPosixFilePermissions(config.getParent())).isEqualTo(PosixFilePermissions.fromString("rwx------"));
        JsonNode entry = JsonMapper.builder().build().readTree(config.toFile()).path("auths").path("myacr.azurecr.io");
        assertThat(entry.path("auth").asText()).isEqualTo(auth("00000000-0000-0000-0000-000000000000:"));
        assertThat(entry.path("identitytoken").asText()).isEqualTo("refresh-1");
        assertThat(find(logins, "myacr.azurecr.io/app")).contains(new IdentityToken("refresh-1"));
    }

    @Test
    void aLoginGoesToTheCredsStoreWithDockersServerUrlAndLogoutErasesIt() throws Exception {
        FakeCredentialHelper helper = FakeCredentialHelper.install(tmp.resolve("bin"), "desktop");
        Path config = dockerConfig("{\"credsStore\": \"desktop\", \"currentContext\": \"colima\"}");
        Logins logins = logins(helper.onPath(env()));

        Logins.Saved saved = logins.save(RegistryHost.of("docker.io"), "hubuser", new UsernamePassword("hubuser", "dckr_pat"));

        assertThat(saved.where()).isEqualTo("docker-credential-desktop (credsStore in " + config + ")");
        assertThat(helper.stored("https://index.docker.io/v1/"))
                .contains("{\"ServerURL\":\"https://index.docker.io/v1/\",\"Username\":\"hubuser\",\"Secret\":\"dckr_pat\"}");
        JsonNode written = JsonMapper.builder().build().readTree(config.toFile());
        assertThat(written.path("auths").path("https://index.docker.io/v1/").isEmpty()).as("the {} Docker leaves").isTrue();
        assertThat(written.path("currentContext").asText()).isEqualTo("colima");
        assertThat(Files.readString(config)).doesNotContain("dckr_pat");
        assertThat(find(logins, "registry-1.docker.io/library/debian")).contains(new UsernamePassword("hubuser", "dckr_pat"));

        assertThat(logins.remove(RegistryHost.of("https://index.docker.io/v1/"))).isTrue();

        assertThat(helper.stored("https://index.docker.io/v1/")).isEmpty();
        assertThat(helper.calls()).contains("erase https://index.docker.io/v1/");
        assertThat(JsonMapper.builder().build().readTree(config.toFile()).path("auths").has("https://index.docker.io/v1/")).isFalse();
        assertThat(find(logins, "registry-1.docker.io/library/debian")).isEmpty();
    }
}
