package dev.cutter.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.cutter.testing.FakeCredentialHelper;
import dev.cutter.testing.LocalRegistry;
import dev.cutter.testing.TokenServer;
import dev.cutter.testing.Tools;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One login shared by Cutter, Docker and skopeo: {@code cutter login} (a process, the password on
 * its standard input) checks the login against a real registry and keeps it in Docker's
 * config.json; a release pushes with it; skopeo reads the same file; {@code cutter logout} takes
 * it away again. A malformed config.json stops a release and a copy before they start (exit 2).
 */
@Tag("e2e")
class LoginEndToEndTest {
    static final String SHA = "0123456789abcdef0123456789abcdef01234567";

    @TempDir
    Path tmp;

    /** An environment where only this test's files are logins: HOME, Docker's and podman's directories in {@code tmp}. */
    Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("HOME", tmp.resolve("home").toString());
        env.put("DOCKER_CONFIG", tmp.resolve("docker").toString());
        env.put("XDG_RUNTIME_DIR", tmp.resolve("run").toString());
        env.put("XDG_CONFIG_HOME", tmp.resolve("home/.config").toString());
        return env;
    }

    Path config() {
        return tmp.resolve("docker/config.json");
    }

    Path project(String registry) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("p" + System.nanoTime()));
        Files.writeString(dir.resolve("hello.txt"), "hello\n");
        Files.writeString(dir.resolve("cutter.yaml"), """
                project: app
                registries:
                  private: { url: "%s" }
                images:
                  - id: app
                    platforms: [linux/amd64]
                    files: { /hello.txt: hello.txt }
                    push: private/acme/app
                    tags: [ "{version}" ]
                """.formatted(registry));
        return dir;
    }

    /** {@code cutter ARGS} in this JVM, {@code stdin} as its standard input. */
    CutterProcess.Result cutter(Map<String, String> env, String stdin, String... args) {
        return CutterProcess.inProcessWithInput(tmp, env, stdin, args);
    }

    /** {@code cutter ARGS} as a process of its own, {@code stdin} piped into it as {@code echo "$TOKEN" | cutter login …} does. */
    CutterProcess.Result piped(Map<String, String> env, String stdin, String... args) throws Exception {
        Path out = tmp.resolve("out.txt");
        Path err = tmp.resolve("err.txt");
        // the boundary under test: a real process's standard input, which the command line hands to login
        Process p = CutterProcess.builder(tmp, env, args).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
        return new CutterProcess.Result(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    static String skopeo(Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Tools.require("skopeo", "skopeo").toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

    JsonNode written() throws Exception {
        return JsonMapper.builder().build().readTree(config().toFile());
    }

    @Test
    void cutterLoginKeepsALoginThatAReleasePushesWithAndSkopeoReadsAndLogoutTakesItAway() throws Exception {
        try (LocalRegistry registry = LocalRegistry.withBasicAuth("releaser", "s3cret-pass-42")) {
            Map<String, String> env = env();
            Files.createDirectories(config().getParent());
            Files.writeString(config(), "{\"auths\": {}, \"psFormat\": \"table {{.ID}}\"}");

            CutterProcess.Result wrong = cutter(env, "not-it\n", "login", registry.address(), "-u", "releaser", "--password-stdin");
            assertThat(wrong.exit()).as(wrong.err()).isEqualTo(4);
            assertThat(wrong.err()).contains("login to " + registry.address() + " failed").contains("refused the login of releaser")
                    .doesNotContain("not-it");
            assertThat(written().path("auths").isEmpty()).as("nothing kept").isTrue();

            CutterProcess.Result login = piped(env, "s3cret-pass-42\n", "login", registry.address(), "-u", "releaser", "--password-stdin");
            assertThat(login.exit()).as(login.err()).isZero();
            assertThat(login.out()).contains("logged in to " + registry.address() + " as releaser").contains(config().toString());
            assertThat(written().path("auths").path(registry.address()).path("auth").asText())
                    .isEqualTo(Base64.getEncoder().encodeToString("releaser:s3cret-pass-42".getBytes(StandardCharsets.UTF_8)));
            assertThat(written().path("psFormat").asText()).isEqualTo("table {{.ID}}");
            assertThat(Files.getPosixFilePermissions(config())).isEqualTo(PosixFilePermissions.fromString("rw-------"));

            CutterProcess.Result release = CutterProcess.inProcess(project(registry.address()), env, "release", "--version", "1.0.0",
                    "--sha", SHA);
            assertThat(release.exit()).as(release.out() + release.err()).isZero();
            assertThat(skopeo(env, "inspect", "--authfile", config().toString(), "--tls-verify=false", "--raw",
                    "docker://" + registry.address() + "/acme/app:1.0.0")).contains("\"manifests\"");

            CutterProcess.Result logout = cutter(env, "", "logout", registry.address());
            assertThat(logout.exit()).as(logout.err()).isZero();
            assertThat(logout.out()).contains("logged out of " + registry.address());
            assertThat(written().path("auths").has(registry.address())).isFalse();
            CutterProcess.Result refused = CutterProcess.inProcess(project(registry.address()), env, "release", "--version", "1.0.1",
                    "--sha", SHA);
            assertThat(refused.exit()).as(refused.out()).isEqualTo(4);
            assertThat(refused.out()).contains(registry.address() + " wants credentials");
        }
    }

    @Test
    void aTokenServiceThatGivesAnIdentityTokenAtLoginHasItKeptInsteadOfThePasswordAndSkopeoUsesItToo() throws Exception {
        try (TokenServer tokens = TokenServer.start(tmp.resolve("token")).refreshTokens().user("releaser", "rel-pass-2")
                        .allow("releaser", "acme/*", "pull", "push");
                LocalRegistry registry = LocalRegistry.withTokenAuth(tokens)) {
            Map<String, String> env = env();

            CutterProcess.Result login = cutter(env, "rel-pass-2", "login", "http://" + registry.address() + "/v2/", "-u", "releaser",
                    "--password-stdin");
            assertThat(login.exit()).as(login.err()).isZero();
            assertThat(login.out()).contains("an identity token kept, not the password");
            JsonNode entry = written().path("auths").path(registry.address());
            assertThat(entry.path("identitytoken").asText()).isEqualTo(tokens.refreshTokenFor("releaser"));
            assertThat(Files.readString(config())).doesNotContain("rel-pass-2");
            tokens.forget();

            CutterProcess.Result release = CutterProcess.inProcess(project(registry.address()), env, "release", "--version", "1.0.0",
                    "--sha", SHA);
            assertThat(release.exit()).as(release.out() + release.err()).isZero();
            assertThat(tokens.requests()).isNotEmpty().allSatisfy(r -> {
                assertThat(r.grant()).isEqualTo("refresh_token");
                assertThat(r.user()).contains("releaser");
            });
            tokens.forget();
            assertThat(skopeo(env, "inspect", "--authfile", config().toString(), "--tls-verify=false", "--raw",
                    "docker://" + registry.address() + "/acme/app:1.0.0")).contains("\"manifests\"");
            assertThat(tokens.requests()).as("skopeo exchanged the same identity token").anySatisfy(r -> {
                assertThat(r.grant()).isEqualTo("refresh_token");
                assertThat(r.user()).contains("releaser");
            });
        }
    }

    @Test
    void aLoginGoesThroughTheCredsStoreDockersConfigNamesAndAReleaseFindsItThere() throws Exception {
        try (LocalRegistry registry = LocalRegistry.withBasicAuth("releaser", "s3cret-pass-42")) {
            FakeCredentialHelper helper = FakeCredentialHelper.install(tmp.resolve("bin"), "fake");
            Map<String, String> env = helper.onPath(env());
            Files.createDirectories(config().getParent());
            Files.writeString(config(), "{\"credsStore\": \"fake\"}");

            CutterProcess.Result login = cutter(env, "s3cret-pass-42\n", "login", registry.address(), "-u", "releaser", "--password-stdin");
            assertThat(login.exit()).as(login.err()).isZero();
            assertThat(login.out()).contains("docker-credential-fake (credsStore in " + config() + ")");
            assertThat(helper.stored(registry.address())).hasValueSatisfying(json -> assertThat(json).contains("\"Secret\":\"s3cret-pass-42\""));
            assertThat(Files.readString(config())).doesNotContain("s3cret-pass-42");

            CutterProcess.Result release = CutterProcess.inProcess(project(registry.address()), env, "release", "--version", "1.0.0",
                    "--sha", SHA);
            assertThat(release.exit()).as(release.out() + release.err()).isZero();
            assertThat(helper.calls()).contains("get " + registry.address());
        }
    }

    @Test
    void aMalformedConfigJsonStopsAReleaseAndACopyBeforeTheyStartNamingTheFileLineAndColumn() throws Exception {
        try (LocalRegistry registry = LocalRegistry.start()) {
            Map<String, String> env = env();
            Files.createDirectories(config().getParent());
            Files.writeString(config(), "{\n  \"auths\": {\n    \"ghcr.io\": {\"auth\": 42}\n  }\n}\n");

            CutterProcess.Result release = CutterProcess.inProcess(project(registry.address()), env, "release", "--version", "1.0.0",
                    "--sha", SHA);
            assertThat(release.exit()).as(release.out() + release.err()).isEqualTo(2);
            assertThat(release.err()).contains(config() + ":3:25: auths[\"ghcr.io\"].auth: must be a string, not a number")
                    .doesNotContain("internal error");
            assertThat(release.out()).doesNotContain("released");

            CutterProcess.Result copy = CutterProcess.inProcess(tmp, env, "copy", "oci:" + tmp.resolve("none") + ":1", registry.address() + "/a/b:1");
            assertThat(copy.exit()).as(copy.err()).isEqualTo(2);
            assertThat(copy.err()).contains(config() + ":3:25:");

            CutterProcess.Result login = cutter(env, "pw", "login", registry.address(), "-u", "someone", "--password-stdin");
            assertThat(login.exit()).as("not overwritten: " + login.err()).isEqualTo(2);
            assertThat(Files.readString(config())).contains("\"auth\": 42");

            CutterProcess.Result noStdin = cutter(env, "pw", "login", registry.address(), "-u", "someone");
            assertThat(noStdin.exit()).isEqualTo(2);
            assertThat(noStdin.err()).contains("--password-stdin");
        }
    }
}
