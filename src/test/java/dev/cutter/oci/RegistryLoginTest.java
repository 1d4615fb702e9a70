package dev.cutter.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cutter.testing.LocalRegistry;
import dev.cutter.testing.TokenServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Logins against the real distribution registry: a login checked as {@code docker login} checks
 * it (htpasswd Basic auth, or token auth through the {@link TokenServer}), and an identity token
 * from config.json exchanged at the token service for access tokens with the OAuth2 refresh-token
 * grant, which the registry then verifies like any other token.
 */
@Tag("e2e")
class RegistryLoginTest {
    @TempDir
    Path tmp;

    static RegistryClient client(Credentials credentials) {
        return new RegistryClient(RegistryClient.http(), credentials, Set.of());
    }

    Logins loginsWith(String json) throws Exception {
        Path config = Files.createDirectories(tmp.resolve("docker")).resolve("config.json");
        Files.writeString(config, json);
        return Logins.of(Map.of("HOME", tmp.resolve("home").toString(), "DOCKER_CONFIG", config.getParent().toString()), Optional.empty());
    }

    Sample.Built sample(OciLayout layout) throws Exception {
        Sample.Built image = Sample.build(tmp.resolve("src"), layout.blobs(), FileTime.fromMillis(1_000_000_000_000L), "rw-r--r--");
        layout.tag("1.0.0", image.index());
        return image;
    }

    @Test
    void anIdentityTokenFromConfigJsonIsExchangedForAccessTokensWithTheRefreshTokenGrant() throws Exception {
        try (TokenServer tokens = TokenServer.start(tmp.resolve("token")).user("acr-user", "unused-password")
                        .allow("acr-user", "acme/*", "pull", "push");
                LocalRegistry registry = LocalRegistry.withTokenAuth(tokens)) {
            String refresh = tokens.refreshTokenFor("acr-user");
            RegistryClient client = client(loginsWith("{\"auths\": {\"" + registry.address() + "\": {\"auth\": \""
                    + LoginsTest.auth("00000000-0000-0000-0000-000000000000:") + "\", \"identitytoken\": \"" + refresh + "\"}}}"));
            OciLayout layout = OciLayout.open(tmp.resolve("build"));
            Sample.Built image = sample(layout);
            var repo = Repository.parse(registry.address() + "/acme/app");

            Pusher.pushIndex(client, repo, layout, image.index().digest(), Optional.empty());
            Pusher.tag(client, repo, layout, image.index().digest(), "1.0.0");

            assertThat(client.headManifest(repo, "1.0.0")).map(RegistryClient.ManifestHead::digest).contains(image.index().digest());
            assertThat(tokens.requests()).isNotEmpty().allSatisfy(r -> {
                assertThat(r.grant()).isEqualTo("refresh_token");
                assertThat(r.clientId()).isEqualTo("cutter");
                assertThat(r.user()).contains("acr-user");
                assertThat(r.service()).isEqualTo(TokenServer.SERVICE);
            });
            assertThat(tokens.requests()).anySatisfy(r -> assertThat(r.granted()).containsExactly("repository:acme/app:pull,push"));
        }
    }

    @Test
    void aRevokedIdentityTokenIsRefusedNamingTheTokenServiceAndTheWayToLogInAgain() throws Exception {
        try (TokenServer tokens = TokenServer.start(tmp.resolve("token")).user("acr-user", "pw").allow("acr-user", "acme/*", "pull");
                LocalRegistry registry = LocalRegistry.withTokenAuth(tokens)) {
            String refresh = tokens.refreshTokenFor("acr-user");
            tokens.revokeRefreshTokens();
            RegistryClient client = client(loginsWith("{\"auths\": {\"" + registry.address() + "\": {\"identitytoken\": \"" + refresh + "\"}}}"));

            assertThatThrownBy(() -> client.tags(Repository.parse(registry.address() + "/acme/app")))
                    .isInstanceOfSatisfying(RegistryException.class, e -> {
                        assertThat(e.unauthorized()).isTrue();
                        assertThat(e.getMessage()).contains("exchange the identity token for " + registry.address())
                                .contains(tokens.realm()).contains("answered 400 (invalid_grant: unknown or revoked refresh token)")
                                .contains("log in again").doesNotContain(refresh);
                    });
        }
    }

    @Test
    void anIdentityTokenMeetsABasicRegistryWithAClearRefusal() throws Exception {
        try (LocalRegistry registry = LocalRegistry.withBasicAuth("releaser", "s3cret-pass-42")) {
            RegistryClient client = client(loginsWith("{\"auths\": {\"" + registry.address() + "\": {\"identitytoken\": \"rt-1\"}}}"));

            assertThatThrownBy(() -> client.tags(Repository.parse(registry.address() + "/acme/app")))
                    .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.getMessage())
                            .contains("asks for a username and password (Basic), but its login is an identity token"));
        }
    }

    @Test
    void aLoginIsCheckedAgainstABasicAuthRegistry() throws Exception {
        try (LocalRegistry registry = LocalRegistry.withBasicAuth("releaser", "s3cret-pass-42")) {
            RegistryClient client = client(Credentials.none());

            assertThat(client.login(registry.address(), new Credentials.UsernamePassword("releaser", "s3cret-pass-42"))).isEmpty();
            assertThatThrownBy(() -> client.login(registry.address(), new Credentials.UsernamePassword("releaser", "wrong")))
                    .isInstanceOfSatisfying(RegistryException.class, e -> {
                        assertThat(e.unauthorized()).isTrue();
                        assertThat(e.getMessage()).contains(registry.address() + " refused the login of releaser").doesNotContain("wrong");
                    });
        }
    }

    @Test
    void aLoginIsCheckedThroughTheTokenServiceAndAnIdentityTokenItGivesIsReturned() throws Exception {
        try (TokenServer tokens = TokenServer.start(tmp.resolve("token")).user("releaser", "rel-pass-2").allow("releaser", "acme/*", "pull");
                LocalRegistry registry = LocalRegistry.withTokenAuth(tokens)) {
            RegistryClient client = client(Credentials.none());

            assertThat(client.login(registry.address(), new Credentials.UsernamePassword("releaser", "rel-pass-2"))).isEmpty();
            assertThat(tokens.requests()).singleElement().satisfies(r -> {
                assertThat(r.grant()).isEqualTo("basic");
                assertThat(r.clientId()).isEqualTo("cutter");
                assertThat(r.scopes()).isEmpty();
            });
            assertThatThrownBy(() -> client.login(registry.address(), new Credentials.UsernamePassword("releaser", "wrong")))
                    .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.unauthorized()).isTrue());

            tokens.refreshTokens();
            Optional<Credentials.IdentityToken> identity = client.login(registry.address(),
                    new Credentials.UsernamePassword("releaser", "rel-pass-2"));
            assertThat(identity).contains(new Credentials.IdentityToken(tokens.refreshTokenFor("releaser")));
        }
    }

    @Test
    void aRegistryThatAsksForNoCredentialsTakesAnyLogin() throws Exception {
        try (LocalRegistry registry = LocalRegistry.start()) {
            assertThat(client(Credentials.none()).login(registry.address(), new Credentials.UsernamePassword("anyone", "x"))).isEmpty();
        }
    }
}
