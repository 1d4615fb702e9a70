package dev.cutter.release.forge;

import static dev.cutter.release.Fixtures.km;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cutter.release.ExistsPolicy;
import dev.cutter.release.InvalidReleaseException;
import dev.cutter.release.ReleaseStore;
import dev.cutter.release.StoreUnreachableException;
import dev.cutter.testing.FakeForge;
import dev.cutter.testing.FakeGitHub;
import dev.cutter.testing.FakeGitLab;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Opening forge stores from their text and the environment: API URLs, tokens and their headers. */
class ForgeStoresTest {
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @TempDir
    Path temp;

    static URI base(ReleaseStore store) {
        return store instanceof GitLabStore gitlab ? gitlab.api.base() : ((DraftingStore) store).api.base();
    }

    ReleaseStore open(String store, Optional<String> token, Map<String, String> environment) {
        return ForgeStores.open(store, token, environment, http).orElseThrow();
    }

    @Test
    void aRemoteNamesTheStoresRepositoryByItsPathWhateverItsFormAndHost() {
        for (String url : List.of("git@github.com:kontainapp/km-releases.git", "https://github.com/kontainapp/km-releases",
                "https://x-access-token:t@github.com/KontainApp/km-releases.git/", "ssh://git@github.example.com:2222/kontainapp/km-releases.git",
                "/srv/git/kontainapp/km-releases.git", "file:///srv/git/kontainapp/km-releases")) {
            assertThat(ForgeStores.sameRepository("github:kontainapp/km-releases", url)).as(url).isTrue();
        }
        for (String url : List.of("git@github.com:kontainapp/km.git", "https://github.com/kontainapp/km", "/srv/km-releases.git",
                "https://github.com/other/kontainapp-km-releases", "https://github.com")) {
            assertThat(ForgeStores.sameRepository("github:kontainapp/km-releases", url)).as(url).isFalse();
        }
        assertThat(ForgeStores.sameRepository("gitlab:acme/tools/app", "git@gitlab.com:acme/tools/app.git")).isTrue();
        assertThat(ForgeStores.sameRepository("gitlab:acme/tools/app", "git@gitlab.com:acme/app.git")).isFalse();
        assertThat(ForgeStores.sameRepository("gitea:git.example.com:3000/acme/app", "https://git.example.com:3000/acme/app.git")).isTrue();
        assertThat(ForgeStores.sameRepository("gitea:git.example.com/acme/app", "https://git.example.com/acme/other.git")).isFalse();
    }

    @Test
    void aStoreThatIsNoForgeIsNotOpened() {
        assertThat(ForgeStores.open("dir:dist/releases", Optional.empty(), Map.of(), http)).isEmpty();
        assertThat(ForgeStores.isForge("dir:dist/releases")).isFalse();
        assertThat(ForgeStores.isForge("gitea:code.example/acme/app")).isTrue();
    }

    @Test
    void eachForgeHasItsDefaultApiAndTheCiVariablesOverrideIt() {
        assertThat(base(open("github:acme/app", Optional.empty(), Map.of()))).hasToString("https://api.github.com");
        assertThat(base(open("github:acme/app", Optional.empty(), Map.of("GITHUB_API_URL", "https://ghe.example/api/v3/"))))
                .hasToString("https://ghe.example/api/v3");
        assertThat(base(open("gitlab:acme/tools/app", Optional.empty(), Map.of()))).hasToString("https://gitlab.com/api/v4");
        assertThat(base(open("gitlab:acme/app", Optional.empty(), Map.of("CI_API_V4_URL", "https://gitlab.example/api/v4"))))
                .hasToString("https://gitlab.example/api/v4");
        assertThat(base(open("gitea:code.example/acme/app", Optional.empty(), Map.of()))).hasToString("https://code.example/api/v1");
        assertThat(base(open("gitea:localhost:3000/acme/app", Optional.empty(), Map.of()))).hasToString("http://localhost:3000/api/v1");
        assertThat(open("gitea:code.example/acme/app", Optional.empty(), Map.of()).describe()).isEqualTo("gitea:code.example/acme/app");
        assertThat(open("gitlab:acme/tools/app", Optional.empty(), Map.of()).describe()).isEqualTo("gitlab:acme/tools/app");
    }

    @ParameterizedTest
    @ValueSource(strings = {"github:acme", "github:acme/app/extra", "github:acme/..", "github:/app", "github:acme/a b",
            "gitlab:app", "gitlab:acme//app", "gitea:/acme/app", "gitea:code.example/acme", "gitea:code example/acme/app"})
    void refusesStoresThatAreNotAForgesForm(String store) {
        assertThatThrownBy(() -> ForgeStores.open(store, Optional.empty(), Map.of(), http))
                .isInstanceOf(InvalidReleaseException.class).hasMessageContaining("\"" + store + "\" is not a")
                .hasMessageContaining("e.g.");
    }

    @Test
    void anApiUrlThatIsNoUrlIsRefusedNamingTheVariable() {
        assertThatThrownBy(() -> open("github:acme/app", Optional.empty(), Map.of("GITHUB_API_URL", "api.github.com")))
                .isInstanceOf(InvalidReleaseException.class).hasMessageStartingWith("GITHUB_API_URL=api.github.com is not an http(s) URL");
    }

    @Test
    void aTokenGivenForTheReleaseWinsOverTheEnvironmentAndABlankOneCountsAsNone() {
        try (FakeGitHub github = new FakeGitHub("acme/app")) {
            github.token("given-token", FakeForge.Access.WRITE);
            Map<String, String> env = Map.of("GITHUB_API_URL", github.url(), "GITHUB_TOKEN", "from-the-environment");

            open("github:acme/app", Optional.of("given-token"), env).list();

            assertThat(github.requests()).singleElement().satisfies(r -> assertThat(r.header("authorization")).isEqualTo("Bearer given-token"));
            github.forgetRequests();
            assertThatThrownBy(() -> open("github:acme/app", Optional.of("given-but-wrong"), env).list())
                    .isInstanceOf(StoreUnreachableException.class)
                    .hasMessageContaining("the token given for the release was refused (wrong, expired or revoked): give the release"
                            + " a valid token with contents: write")
                    .hasMessageNotContaining("given-but-wrong");
            ReleaseStore blank = open("github:acme/app", Optional.empty(), Map.of("GITHUB_API_URL", github.url(), "GITHUB_TOKEN", " "));
            assertThatThrownBy(() -> blank.publish(km(temp, "v1", "one"), ExistsPolicy.FAIL))
                    .isInstanceOf(StoreUnreachableException.class).hasMessageContaining("without a token: set GITHUB_TOKEN");
        }
    }

    @Test
    void gitLabPrefersAPersonalTokenToTheJobToken() {
        try (FakeGitLab gitlab = new FakeGitLab("acme/app")) {
            gitlab.token("personal", FakeForge.Access.WRITE).token("job", FakeForge.Access.WRITE);

            open("gitlab:acme/app", Optional.empty(), Map.of("CI_API_V4_URL", gitlab.api(), "GITLAB_TOKEN", "personal",
                    "CI_JOB_TOKEN", "job")).list();

            assertThat(gitlab.requests()).singleElement().satisfies(r -> {
                assertThat(r.header("private-token")).isEqualTo("personal");
                assertThat(r.header("job-token")).isNull();
            });
        }
    }

    @Test
    void aClientThatFollowsRedirectsIsCopiedIntoOneThatDoesNot() {
        HttpClient following = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(Duration.ofSeconds(7)).build();
        HttpClient never = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

        HttpClient copy = ForgeStores.withoutRedirects(following);

        assertThat(copy.followRedirects()).isEqualTo(HttpClient.Redirect.NEVER);
        assertThat(copy.connectTimeout()).contains(Duration.ofSeconds(7));
        assertThat(ForgeStores.withoutRedirects(never)).isSameAs(never);
    }
}
