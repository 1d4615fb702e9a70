package dev.cutter.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What the token service is sent, checked before anything is sent. */
class TokenServiceTest {
    static final Credentials.UsernamePassword LOGIN = new Credentials.UsernamePassword("releaser", "s3cret-pass-42");

    static TokenService.Challenge challenge(String realm) {
        return TokenService.Challenge.parse("Bearer realm=\"" + realm + "\",service=\"registry.example\"");
    }

    @Test
    void aLoginIsNeverSentToAPlainHttpTokenServiceOfARegistryReachedOverHttps() {
        // 198.51.100.7 is TEST-NET-2: were the request sent, it would time out rather than be refused like this
        TokenService tokens = new TokenService(HttpClient.newHttpClient(), Duration.ofSeconds(30));

        for (Credentials.Login login : List.<Credentials.Login>of(LOGIN, new Credentials.IdentityToken("rt-1"))) {
            assertThatThrownBy(() -> tokens.fetch("registry.example", challenge("http://198.51.100.7/token"),
                    List.of("repository:acme/app:pull"), Optional.of(login), false, false))
                    .isInstanceOfSatisfying(RegistryException.class, e -> {
                        assertThat(e.getMessage()).contains("registry.example named a token service in plain HTTP")
                                .contains("http://198.51.100.7/token").contains("must be HTTPS")
                                .doesNotContain("s3cret-pass-42").doesNotContain("rt-1");
                        assertThat(e.unauthorized()).isTrue();
                    });
        }
    }
}
