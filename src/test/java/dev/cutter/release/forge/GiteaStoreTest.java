package dev.cutter.release.forge;

import static dev.cutter.release.Fixtures.km;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cutter.release.ExistsPolicy;
import dev.cutter.release.ReleaseDraft;
import dev.cutter.release.ReleaseStore;
import dev.cutter.testing.FakeForge;
import dev.cutter.testing.FakeForge.Fault;
import dev.cutter.testing.FakeGitea;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The Gitea store against {@link FakeGitea}, a local fake of Gitea's release API. */
class GiteaStoreTest extends ForgeStoreContract {
    FakeGitea gitea;

    @Override
    FakeForge startFake() {
        gitea = new FakeGitea("acme/app");
        return gitea;
    }

    @Override
    String storeText() {
        return "gitea:" + gitea.address() + "/acme/app";
    }

    @Override
    Map<String, String> environment(String token) {
        Map<String, String> env = new HashMap<>();
        if (token != null) {
            env.put("GITEA_TOKEN", token);
        }
        return env;
    }

    @Override
    String tokenVariable() {
        return "GITEA_TOKEN";
    }

    @Override
    String writeAccess() {
        return "the write:repository scope";
    }

    @Override
    Optional<String> uploaded(FakeForge.Request request) {
        return request.method().equals("POST") && request.path().matches(".*/releases/\\d+/assets")
                ? Optional.of(request.query().replaceFirst("^name=", "")) : Optional.empty();
    }

    @Override
    Optional<String> targetOf(String tag) {
        return gitea.published(tag).map(r -> r.target);
    }

    /** Gitea checks the target only when the draft is published, and answers that with 500 (see {@link FakeGitea}). */
    @Override
    Optional<String> unknownTargetSays() {
        return Optional.empty();
    }

    @Override
    Optional<List<String>> published(String tag) {
        return gitea.published(tag).map(r -> r.assets.stream().map(FakeGitea.Attachment::name).toList());
    }

    @Override
    void publishByHand(String tag) {
        gitea.publishByHand(tag, tag, "Made on the web");
    }

    @Override
    void faultUploads(Fault fault, int skip, int times) {
        gitea.fault("POST", ".*/releases/\\d+/assets", fault, skip, times);
    }

    @Test
    void aDraftIsNoReleaseYet() {
        gitea.draftByHand("3.6.0", "3.6.0", "soon");

        assertThat(store(environment(TOKEN)).hasRelease("3.6.0")).isFalse();
        gitea.publishByHand("3.6.0", "3.6.0", "out");
        assertThat(store(environment(TOKEN)).hasRelease("3.6.0")).isTrue();
    }

    @Test
    void talksToTheHostsApiWithItsTokenHeaderAndUploadsAsMultipart() {
        ReleaseDraft draft = km(sources, "v0.9-beta", "one");

        store().publish(draft, ExistsPolicy.FAIL);

        assertThat(gitea.requests()).allSatisfy(r -> {
            assertThat(r.path()).startsWith("/api/v1/repos/acme/app/releases");
            assertThat(r.header("authorization")).isEqualTo("token " + TOKEN);
        });
        assertThat(gitea.writes().stream().map(r -> r.method() + " " + r.path().replaceAll("/\\d+", "/N")).toList()).containsExactly(
                "POST /api/v1/repos/acme/app/releases", "POST /api/v1/repos/acme/app/releases/N/assets",
                "POST /api/v1/repos/acme/app/releases/N/assets", "POST /api/v1/repos/acme/app/releases/N/assets",
                "PATCH /api/v1/repos/acme/app/releases/N");
        assertThat(gitea.writes().get(1).header("content-type")).startsWith("multipart/form-data; boundary=");
    }

    @Test
    void aDraftMadeByHandForTheTagIsExplained() {
        gitea.draftByHand("v0.9-beta", "v0.9-beta", "started on the web");

        assertThatThrownBy(() -> store().publish(km(sources, "v0.9-beta", "one"), ExistsPolicy.FAIL))
                .hasMessageContaining("could not create the draft of release v0.9-beta")
                .hasMessageContaining("answered 409 (release tag already exist [tag_name: v0.9-beta])")
                .hasMessageContaining("it already exists on the forge");
    }

    @Test
    void aReplacementIsADraftUnderAProvisionalTagSinceGiteaKeepsOneReleasePerTag() {
        ReleaseStore store = store();
        store.publish(km(sources, "v0.1-test", "one"), ExistsPolicy.REPLACE);
        gitea.forgetRequests();

        store.publish(km(sources, "v0.1-test", "two"), ExistsPolicy.REPLACE);

        assertThat(gitea.writes().get(0).method()).isEqualTo("POST");
        assertThat(gitea.writes().stream().map(FakeForge.Request::method).toList())
                .containsExactly("POST", "POST", "POST", "POST", "DELETE", "PATCH");
        assertThat(gitea.releases()).singleElement().satisfies(r -> {
            assertThat(r.tag).isEqualTo("v0.1-test");
            assertThat(r.draft).isFalse();
        });
    }
}
