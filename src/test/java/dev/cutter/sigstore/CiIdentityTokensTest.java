package dev.cutter.sigstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.cutter.http.Backoff;
import dev.cutter.http.Sender;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The identity token as GitHub Actions gives it, from a FAKE of the runner's OIDC token endpoint
 * (GitHub cannot be reached from the test machines), written from GitHub's documentation
 * ("Configuring OpenID Connect in cloud providers", "About security hardening with OpenID
 * Connect"): {@code GET $ACTIONS_ID_TOKEN_REQUEST_URL&audience=AUD} with
 * {@code Authorization: bearer $ACTIONS_ID_TOKEN_REQUEST_TOKEN} answers {@code {"count":…,"value": JWT}};
 * another bearer is answered 401.
 */
class CiIdentityTokensTest {
    static final String BEARER = "runtime-token";
    HttpServer server;
    final List<String> queries = new CopyOnWriteArrayList<>();
    String url;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/_apis/oidctoken", exchange -> {
            queries.add(exchange.getRequestURI().getRawQuery());
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            boolean ok = ("bearer " + BEARER).equalsIgnoreCase(auth);
            String audience = exchange.getRequestURI().getRawQuery().replaceAll(".*audience=([^&]*).*", "$1");
            byte[] body = (ok ? "{\"count\":1,\"value\":\"jwt-for-" + audience + "\"}"
                    : "{\"message\":\"Bad credentials\"}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(ok ? 200 : 401, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        url = "http://127.0.0.1:" + server.getAddress().getPort() + "/_apis/oidctoken?api-version=2.0";
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    Sender sender() {
        return new Sender(HttpClient.newHttpClient(), new Backoff(2, Duration.ofMillis(1), Duration.ofMillis(1), Duration.ofSeconds(1)),
                d -> {}, Clock.systemUTC());
    }

    @Test
    void inGitHubActionsTheTokenIsAskedForTheAudienceSigstore() throws Exception {
        var tokens = new CiIdentityTokens(Map.of("ACTIONS_ID_TOKEN_REQUEST_URL", url, "ACTIONS_ID_TOKEN_REQUEST_TOKEN", BEARER),
                Optional.empty(), sender());

        assertThat(tokens.token()).isEqualTo("jwt-for-sigstore");
        assertThat(queries).containsExactly("api-version=2.0&audience=sigstore");
    }

    @Test
    void sigstoreIdTokenIsPreferredToTheEndpoint() throws Exception {
        var tokens = new CiIdentityTokens(Map.of("SIGSTORE_ID_TOKEN", "given", "ACTIONS_ID_TOKEN_REQUEST_URL", url,
                "ACTIONS_ID_TOKEN_REQUEST_TOKEN", BEARER), Optional.empty(), sender());

        assertThat(tokens.token()).isEqualTo("given");
        assertThat(queries).isEmpty();
    }

    @Test
    void aRefusedRequestSaysWhichPermissionTheWorkflowNeedsAndNeverShowsTheBearer() {
        var tokens = new CiIdentityTokens(Map.of("ACTIONS_ID_TOKEN_REQUEST_URL", url, "ACTIONS_ID_TOKEN_REQUEST_TOKEN", "stale"),
                Optional.empty(), sender());

        assertThatThrownBy(tokens::token).isInstanceOfSatisfying(KeylessException.class, e -> {
            assertThat(e.retryable()).isFalse();
            assertThat(e.getMessage()).contains("answered 401 (Bad credentials)").contains("permissions: id-token: write")
                    .doesNotContain("stale");
        });
    }
}
