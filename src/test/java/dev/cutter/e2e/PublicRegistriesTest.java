package dev.cutter.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.cutter.testing.FakeCredentialHelper;
import dev.cutter.testing.HostileRegistry;
import dev.cutter.testing.LocalRegistry;
import dev.cutter.testing.TokenServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How each public registry is logged in to and refuses, reproduced on the real distribution
 * registry behind token authentication ({@link TokenServer}, the token service each of them runs)
 * and, where the public registry answers otherwise than distribution, a labelled fake in front
 * ({@link HostileRegistry}'s GHCR trick; Docker Hub's limit is {@code RateLimitPreflightTest}'s):
 * GHCR's anonymous pull tokens and its 403 DENIED to a token without write:packages, Artifact
 * Registry's {@code oauth2accesstoken} login, Quay's robot accounts ({@code org+robot}), ECR's
 * credential helper answering the username {@code AWS}. Each refusal is exit 4 saying what to do.
 */
@Tag("e2e")
class PublicRegistriesTest {
    static final String SHA = "0123456789abcdef0123456789abcdef01234567";

    @TempDir
    Path tmp;

    /** Only this test's logins: HOME, Docker's and podman's directories in {@code tmp}. */
    Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("HOME", tmp.resolve("home").toString());
        env.put("DOCKER_CONFIG", tmp.resolve("docker").toString());
        env.put("XDG_RUNTIME_DIR", tmp.resolve("run").toString());
        env.put("XDG_CONFIG_HOME", tmp.resolve("home/.config").toString());
        return env;
    }

    Path project(String registry, String access) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("p" + System.nanoTime()));
        Files.writeString(dir.resolve("hello.txt"), "hello\n");
        Files.writeString(dir.resolve("cutter.yaml"), """
                project: app
                registries:
                  r: { url: "%s"%s }
                images:
                  - id: app
                    platforms: [linux/amd64]
                    files: { /hello.txt: hello.txt }
                    push: r/acme/app
                    tags: [ "{version}" ]
                """.formatted(registry, access));
        return dir;
    }

    /** {@code cutter ARGS} in this JVM, {@code stdin} as its standard input. */
    CutterProcess.Result cutter(Map<String, String> env, String stdin, String... args) {
        return CutterProcess.inProcessWithInput(tmp, env, stdin, args);
    }

    String keptAuth(String registry) throws Exception {
        return new String(Base64.getDecoder().decode(JsonMapper.builder().build().readTree(tmp.resolve("docker/config.json").toFile())
                .path("auths").path(registry).path("auth").asText()), StandardCharsets.UTF_8);
    }

    @Test
    void ghcrPullsAnonymouslyAndRefusesAPushWithoutWritePackagesSayingHowToGetIt() throws Exception {
        try (TokenServer tokens = TokenServer.start(tmp.resolve("token")).allow(null, "acme/*", "pull")
                .user("octocat", "ghp_writer").allow("octocat", "acme/*", "pull", "push")
                .user("reader", "ghp_reader");
                LocalRegistry registry = LocalRegistry.withTokenAuth(tokens);
                HostileRegistry ghcr = HostileRegistry.start(registry.address(), HostileRegistry.Trick.GHCR_DENIED_WRITE)) {
            String withPassword = ", auth: basic, username: \"${env:GHCR_USER}\", password: \"${env:GHCR_TOKEN}\"";
            Map<String, String> writer = new HashMap<>(env());
            writer.putAll(Map.of("GHCR_USER", "octocat", "GHCR_TOKEN", "ghp_writer"));
            CutterProcess.Result pushed = CutterProcess.inProcess(project(ghcr.address(), withPassword), writer, "release",
                    "--version", "1.0.0", "--sha", SHA);
            assertThat(pushed.exit()).as(pushed.out() + pushed.err()).isZero();

            CutterProcess.Result pulled = CutterProcess.inProcess(tmp, env(), "inspect", ghcr.address() + "/acme/app:1.0.0");
            assertThat(pulled.exit()).as("a public package is pulled with an anonymous token: " + pulled.err()).isZero();
            assertThat(tokens.requests()).anySatisfy(r -> {
                assertThat(r.grant()).isEqualTo("anonymous");
                assertThat(r.granted()).contains("repository:acme/app:pull");
            });

            Map<String, String> reader = new HashMap<>(env());
            reader.putAll(Map.of("GHCR_USER", "reader", "GHCR_TOKEN", "ghp_reader"));
            Path project = project(ghcr.address(), withPassword);
            CutterProcess.Result refused = CutterProcess.inProcess(project, reader, "release", "--version", "1.0.1", "--sha", SHA);

            assertThat(refused.exit()).as(refused.out() + refused.err()).isEqualTo(4);
            assertThat(refused.out() + refused.err()).contains(ghcr.address() + "/acme/app").contains("DENIED")
                    .contains("permission_denied: write_package").contains("write:packages").contains("packages: write")
                    .doesNotContain("ghp_reader").doesNotContain("Exception");
            assertThat(ghcr.played()).isPositive();
        }
    }

    @Test
    void artifactRegistryTakesAnAccessTokenAsThePasswordOfOauth2accesstoken() throws Exception {
        try (TokenServer tokens = TokenServer.start(tmp.resolve("token")).user("oauth2accesstoken", "ya29.a0-access-token")
                .allow("oauth2accesstoken", "acme/*", "pull", "push");
                LocalRegistry gar = LocalRegistry.withTokenAuth(tokens)) {
            CutterProcess.Result login = cutter(env(), "ya29.a0-access-token\n", "login", gar.address(), "-u", "oauth2accesstoken",
                    "--password-stdin");
            assertThat(login.exit()).as(login.err()).isZero();
            assertThat(keptAuth(gar.address())).isEqualTo("oauth2accesstoken:ya29.a0-access-token");

            CutterProcess.Result release = CutterProcess.inProcess(project(gar.address(), ""), env(), "release", "--version", "1.0.0",
                    "--sha", SHA);

            assertThat(release.exit()).as(release.out() + release.err()).isZero();
            assertThat(tokens.requests()).anySatisfy(r -> {
                assertThat(r.user()).isEqualTo(Optional.of("oauth2accesstoken"));
                assertThat(r.granted()).contains("repository:acme/app:pull,push");
            });
        }
    }

    @Test
    void quayRobotAccountsLogInWithThePlusInTheirName() throws Exception {
        try (TokenServer tokens = TokenServer.start(tmp.resolve("token")).user("acme+deployer", "ROBOTTOKEN0123")
                .allow("acme+deployer", "acme/*", "pull", "push");
                LocalRegistry quay = LocalRegistry.withTokenAuth(tokens)) {
            CutterProcess.Result wrong = cutter(env(), "not-the-token\n", "login", quay.address(), "-u", "acme+deployer",
                    "--password-stdin");
            assertThat(wrong.exit()).as(wrong.err()).isEqualTo(4);
            assertThat(wrong.err()).contains("acme+deployer").doesNotContain("not-the-token").doesNotContain("Exception");

            CutterProcess.Result login = cutter(env(), "ROBOTTOKEN0123\n", "login", quay.address(), "-u", "acme+deployer",
                    "--password-stdin");
            assertThat(login.exit()).as(login.err()).isZero();
            assertThat(keptAuth(quay.address())).isEqualTo("acme+deployer:ROBOTTOKEN0123");

            CutterProcess.Result release = CutterProcess.inProcess(project(quay.address(), ""), env(), "release", "--version", "1.0.0",
                    "--sha", SHA);

            assertThat(release.exit()).as(release.out() + release.err()).isZero();
            assertThat(tokens.requests()).anySatisfy(r -> assertThat(r.user()).isEqualTo(Optional.of("acme+deployer")));
        }
    }

    @Test
    void ecrsCredentialHelperGivesTheUsernameAwsAndATokenThatPushes() throws Exception {
        try (TokenServer tokens = TokenServer.start(tmp.resolve("token")).user("AWS", "eyJwYXlsb2FkIjoiZWNyIn0")
                .allow("AWS", "acme/*", "pull", "push");
                LocalRegistry ecr = LocalRegistry.withTokenAuth(tokens)) {
            FakeCredentialHelper helper = FakeCredentialHelper.install(tmp.resolve("bin"), "ecr-login")
                    .holds(ecr.address(), "AWS", "eyJwYXlsb2FkIjoiZWNyIn0");
            Map<String, String> env = helper.onPath(env());
            Files.createDirectories(tmp.resolve("docker"));
            Files.writeString(tmp.resolve("docker/config.json"), "{\"credHelpers\": {\"" + ecr.address() + "\": \"ecr-login\"}}");

            CutterProcess.Result release = CutterProcess.inProcess(project(ecr.address(), ""), env, "release", "--version", "1.0.0",
                    "--sha", SHA);

            assertThat(release.exit()).as(release.out() + release.err()).isZero();
            assertThat(helper.calls()).contains("get " + ecr.address());
            assertThat(tokens.requests()).anySatisfy(r -> assertThat(r.user()).isEqualTo(Optional.of("AWS")));

            helper.failWith("error getting credentials - err: exit status 255, out: `Unable to locate credentials`");
            CutterProcess.Result broken = CutterProcess.inProcess(project(ecr.address(), ""), env, "release", "--version", "1.0.1",
                    "--sha", SHA);
            assertThat(broken.exit()).as(broken.out() + broken.err()).isEqualTo(4);
            assertThat(broken.out() + broken.err()).contains("docker-credential-ecr-login").contains("Unable to locate credentials")
                    .doesNotContain("Exception");
        }
    }
}
