package dev.cutter.release.forge;

import static dev.cutter.release.Fixtures.T0;
import static dev.cutter.release.Fixtures.asset;
import static dev.cutter.release.Fixtures.draft;
import static dev.cutter.release.Fixtures.km;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cutter.release.ExistsPolicy;
import dev.cutter.release.InvalidReleaseException;
import dev.cutter.release.PublishResult.Outcome;
import dev.cutter.release.ReleaseDraft;
import dev.cutter.release.ReleaseException;
import dev.cutter.release.ReleaseStore;
import dev.cutter.testing.FakeForge;
import dev.cutter.testing.FakeForge.Fault;
import dev.cutter.testing.FakeGitHub;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The GitHub store against {@link FakeGitHub}, a local fake of GitHub's release API. */
class GitHubStoreTest extends ForgeStoreContract {
    FakeGitHub github;

    @Override
    FakeForge startFake() {
        github = new FakeGitHub("acme/app");
        return github;
    }

    @Override
    String storeText() {
        return "github:acme/app";
    }

    @Override
    Map<String, String> environment(String token) {
        Map<String, String> env = new HashMap<>(Map.of("GITHUB_API_URL", github.url(), "HOME", "/root"));
        if (token != null) {
            env.put("GITHUB_TOKEN", token);
        }
        return env;
    }

    @Override
    String tokenVariable() {
        return "GITHUB_TOKEN";
    }

    @Override
    String writeAccess() {
        return "contents: write";
    }

    @Override
    Optional<String> uploaded(FakeForge.Request request) {
        return request.method().equals("POST") && request.path().startsWith("/uploads/")
                ? Optional.of(request.query().replaceFirst("^name=", "").replaceFirst("&.*", "")) : Optional.empty();
    }

    @Override
    Optional<String> targetOf(String tag) {
        return github.published(tag).map(r -> r.target);
    }

    @Override
    Optional<List<String>> published(String tag) {
        return github.published(tag).map(r -> r.assets.stream().filter(a -> a.state.equals("uploaded")).map(a -> a.name).toList());
    }

    @Override
    void publishByHand(String tag) {
        github.publishByHand(tag, tag, "Made on the web", Map.of("notes.txt", "hello".getBytes()));
    }

    @Override
    void faultUploads(Fault fault, int skip, int times) {
        github.fault("POST", "/uploads/.*", fault, skip, times);
    }

    /** The writes as "METHOD what", in order. */
    List<String> writes() {
        List<String> out = new ArrayList<>();
        for (FakeForge.Request r : github.writes()) {
            String what = r.path().startsWith("/uploads/") ? "upload " + uploaded(r).orElseThrow()
                    : r.path().matches(".*/releases/assets/\\d+") ? "asset"
                    : r.path().endsWith("/releases") ? "create" : "release";
            out.add(r.method() + " " + what);
        }
        return out;
    }

    @Test
    void publishesAsADraftThenUploadsThenListsThenPublishesInOneCall() {
        ReleaseDraft draft = km(sources, "v0.9-beta", "one");

        store().publish(draft, ExistsPolicy.FAIL);

        assertThat(writes()).containsExactly("POST create", "POST upload runenv-python.tar.gz", "POST upload kontain.tar.gz",
                "POST upload SHA256SUMS", "PATCH release");
        List<FakeForge.Request> all = github.requests();
        int lastUpload = 0;
        int listing = -1;
        int publish = -1;
        for (int i = 0; i < all.size(); i++) {
            FakeForge.Request r = all.get(i);
            if (r.path().startsWith("/uploads/")) {
                lastUpload = i;
            } else if (r.method().equals("GET") && r.path().endsWith("/assets") && i > lastUpload) {
                listing = i;
            } else if (r.method().equals("PATCH")) {
                publish = i;
            }
        }
        assertThat(listing).as("the draft's assets are listed after the last upload").isGreaterThan(lastUpload);
        assertThat(publish).as("and published after that").isGreaterThan(listing);
        assertThat(all.get(0).header("authorization")).isEqualTo("Bearer " + TOKEN);
        assertThat(all).allSatisfy(r -> assertThat(r.header("x-github-api-version")).isEqualTo("2022-11-28"));
        assertThat(github.requests().stream().filter(r -> r.path().startsWith("/uploads/")))
                .allSatisfy(r -> assertThat(r.header("content-type")).isNotBlank());
        FakeGitHub.Release release = github.published("v0.9-beta").orElseThrow();
        assertThat(release.draft).isFalse();
        assertThat(release.body).startsWith("KM v0.9-beta\n\n\n<!-- cutter-release\n{\n  \"project\": \"km\",");
        assertThat(release.assets).allSatisfy(a -> assertThat(a.digest).startsWith("sha256:"));
    }

    @Test
    void worksWithImmutableReleasesAndRefusesToReplaceOneBeforeWritingAnything() {
        github.immutableReleases(true);
        ReleaseStore store = store();
        store.publish(km(sources, "v0.1-test", "one"), ExistsPolicy.REPLACE);
        assertThat(github.published("v0.1-test").orElseThrow().immutable).isTrue();
        github.forgetRequests();

        assertThatThrownBy(() -> store.publish(km(sources, "v0.1-test", "two"), ExistsPolicy.REPLACE))
                .isExactlyInstanceOf(ReleaseException.class)
                .hasMessageContaining("is an immutable GitHub release")
                .hasMessageContaining("Nothing was changed");
        assertThat(github.writes()).isEmpty();
        assertThat(store.publish(km(sources, "v0.1-test", "one"), ExistsPolicy.REPLACE).outcome()).isEqualTo(Outcome.UNCHANGED);
    }

    @Test
    void aReplacementIsBuiltAsADraftUnderAProvisionalTagThenTheOldGoesThenTheNewIsPublished() {
        ReleaseStore store = store();
        store.publish(km(sources, "v0.1-test", "one"), ExistsPolicy.REPLACE);
        long old = github.published("v0.1-test").orElseThrow().id;
        github.forgetRequests();

        store.publish(km(sources, "v0.1-test", "two"), ExistsPolicy.REPLACE);

        assertThat(writes()).containsExactly("POST create", "POST upload runenv-python.tar.gz", "POST upload kontain.tar.gz",
                "POST upload SHA256SUMS", "DELETE release", "PATCH release");
        assertThat(github.writes().get(4).path()).endsWith("/releases/" + old);
        assertThat(github.releases()).hasSize(1);
        assertThat(github.releases().get(0).tag).isEqualTo("v0.1-test");
    }

    @Test
    void aReplacementKilledAfterTheOldReleaseWentIsFinishedByTheNextRun() throws IOException {
        ReleaseStore store = store();
        store.publish(km(sources, "v0.1-test", "one"), ExistsPolicy.REPLACE);
        github.fault("PATCH", ".*/releases/\\d+", Fault.ERROR_500, 0, QUICK.attempts());
        ReleaseDraft second = km(sources, "v0.1-test", "two");

        assertThatThrownBy(() -> store.publish(second, ExistsPolicy.REPLACE)).hasMessageContaining("publish the draft");
        assertThat(published("v0.1-test")).as("the window: the old release went, the new one is not out").isEmpty();

        github.clearFaults();
        github.forgetRequests();
        assertThat(store.publish(second, ExistsPolicy.REPLACE).outcome()).isEqualTo(Outcome.CREATED);
        assertThat(writes()).containsExactly("PATCH release");
        assertThat(store.find("v0.1-test")).contains(second.info());
        assertThat(read(store, "v0.1-test", "kontain.tar.gz")).isEqualTo("km two");
    }

    @Test
    void aDraftLeftWithOtherContentIsPutRightAssetByAsset() throws IOException {
        ReleaseStore store = store();
        ReleaseDraft first = km(sources, "v0.9-beta", "one");
        faultUploads(Fault.ERROR_500, 1, QUICK.attempts());
        assertThatThrownBy(() -> store.publish(first, ExistsPolicy.FAIL)).isInstanceOf(ReleaseException.class);
        github.clearFaults();
        github.forgetRequests();
        ReleaseDraft rebuilt = km(sources, "v0.9-beta", "two");

        assertThat(store.publish(rebuilt, ExistsPolicy.FAIL).outcome()).isEqualTo(Outcome.CREATED);

        assertThat(writes()).containsExactly("DELETE asset", "PATCH release", "POST upload runenv-python.tar.gz",
                "POST upload kontain.tar.gz", "POST upload SHA256SUMS", "PATCH release");
        assertThat(read(store, "v0.9-beta", "runenv-python.tar.gz")).isEqualTo("python two");
        assertThat(github.releases()).hasSize(1);
    }

    @Test
    void anAssetLeftHalfUploadedIsDeletedAndSentAgain() {
        ReleaseStore store = store();
        ReleaseDraft draft = km(sources, "v0.9-beta", "one");
        faultUploads(Fault.DROP_BEFORE, 1, QUICK.attempts());
        assertThatThrownBy(() -> store.publish(draft, ExistsPolicy.FAIL)).isInstanceOf(ReleaseException.class);
        github.clearFaults();

        assertThat(store.publish(draft, ExistsPolicy.FAIL).outcome()).isEqualTo(Outcome.CREATED);
        assertThat(store.find("v0.9-beta")).contains(draft.info());
    }

    @Test
    void aDraftAskedForIsLeftVerifiedUnchangedWhenAskedAgainAndPublishedWhenAskedTo() {
        ReleaseStore store = store();
        ReleaseDraft one = km(sources, "v0.9-beta", "one");
        ReleaseDraft asDraft = new ReleaseDraft(one.name(), one.project(), one.version(), one.channel(), one.tag(), one.commit(),
                one.created(), one.assets(), one.notes(), false, true);

        assertThat(store.publish(asDraft, ExistsPolicy.FAIL).outcome()).isEqualTo(Outcome.CREATED);
        assertThat(published("v0.9-beta")).isEmpty();
        assertThat(github.releases()).singleElement().satisfies(r -> assertThat(r.draft).isTrue());
        assertThat(store.find("v0.9-beta")).as("a whole draft is what the store holds for the tag").contains(one.info());
        github.forgetRequests();
        assertThat(store.publish(asDraft, ExistsPolicy.FAIL).outcome()).isEqualTo(Outcome.UNCHANGED);
        assertThat(github.writes()).isEmpty();

        assertThat(store.publish(one, ExistsPolicy.FAIL).outcome()).isEqualTo(Outcome.CREATED);
        assertThat(writes()).containsExactly("PATCH release");
        assertThat(published("v0.9-beta")).isPresent();
    }

    @Test
    void latestMovesOnlyForwardToAStableVersion() {
        ReleaseStore store = store();
        store.publish(draft("v1.7.8", T0, "", List.of(asset(sources, "app.tar.gz", "1.7.8", null))), ExistsPolicy.FAIL);
        store.publish(draft("v1.6.9", T0.plusSeconds(1), "", List.of(asset(sources, "app.tar.gz", "1.6.9", null))), ExistsPolicy.FAIL);
        store.publish(new ReleaseDraft("v1.8.0-rc.1", "km", "1.8.0-rc.1", "rc", "v1.8.0-rc.1", Optional.empty(), T0.plusSeconds(2),
                List.of(asset(sources, "app.tar.gz", "rc", null)), "", true, false), ExistsPolicy.FAIL);
        store.publish(draft("v1.7.9", T0.plusSeconds(3), "", List.of(asset(sources, "app.tar.gz", "1.7.9", null))), ExistsPolicy.FAIL);

        assertThat(github.published("v1.7.8").orElseThrow().makeLatest).isEqualTo("true");
        assertThat(github.published("v1.6.9").orElseThrow().makeLatest).isEqualTo("false");
        assertThat(github.published("v1.8.0-rc.1").orElseThrow().makeLatest).isEqualTo("false");
        assertThat(github.published("v1.7.9").orElseThrow().makeLatest).isEqualTo("true");
    }

    @Test
    void assetsAreDownloadedThroughTheRedirectToStorageWithoutTheToken() throws IOException {
        ReleaseStore store = store();
        store.publish(km(sources, "v0.9-beta", "one"), ExistsPolicy.FAIL);
        github.forgetRequests();

        assertThat(read(store, "v0.9-beta", "kontain.tar.gz")).isEqualTo("km one");

        FakeForge.Request api = github.requests().stream().filter(r -> r.path().matches(".*/releases/assets/\\d+")).findFirst().orElseThrow();
        FakeForge.Request storage = github.requests().stream().filter(r -> r.path().startsWith("/storage/")).findFirst().orElseThrow();
        assertThat(api.header("accept")).isEqualTo("application/octet-stream");
        assertThat(api.header("authorization")).isEqualTo("Bearer " + TOKEN);
        assertThat(storage.header("authorization")).isNull();
        assertThat(storage.status()).isEqualTo(200);
    }

    @Test
    void aRepositoryThatIsNotThereIsNamed() {
        ReleaseStore missing = ForgeStores.open("github:acme/nothere", Optional.empty(), environment(TOKEN), store().describe().isEmpty()
                ? null : new dev.cutter.http.Sender(http, QUICK, waits::add, java.time.Clock.systemUTC())).orElseThrow();

        assertThatThrownBy(missing::list).isInstanceOf(ReleaseException.class)
                .hasMessageContaining("github:acme/nothere: could not list the releases: GET " + github.url()
                        + "/repos/acme/nothere/releases?per_page=100 answered 404 (Not Found)")
                .hasMessageContaining("the repository acme/nothere does not exist at " + github.url());
    }

    @Test
    void aReleasePublishedByHandMeanwhileIsExplainedAndLeftAlone() {
        github.before("PATCH", ".*/releases/\\d+", () -> github.publishByHand("v0.9-beta", "v0.9-beta", "by hand", Map.of()));

        assertThatThrownBy(() -> store().publish(km(sources, "v0.9-beta", "one"), ExistsPolicy.FAIL))
                .isExactlyInstanceOf(ReleaseException.class)
                .hasMessageContaining("could not publish the draft of release v0.9-beta")
                .hasMessageContaining("answered 422 (Validation Failed; Release.tag_name already_exists)")
                .hasMessageContaining("it already exists on the forge: another publication of this release may be running now");
        assertThat(github.published("v0.9-beta").orElseThrow().body).isEqualTo("by hand");
    }

    @Test
    void refusesAssetNamesGitHubWouldChangeAndNotesTooLongForIt() {
        ReleaseStore store = store();
        ReleaseDraft spaced = draft("v1", T0, "", List.of(asset(sources, "My App (1).tar.gz", "x", null)));
        ReleaseDraft wordy = draft("v1", T0, "x".repeat(GitHubStore.MAX_BODY), List.of(asset(sources, "app.tar.gz", "x", null)));

        assertThatThrownBy(() -> store.publish(spaced, ExistsPolicy.FAIL)).isInstanceOf(InvalidReleaseException.class)
                .hasMessageContaining("asset My App (1).tar.gz of release v1 has a name GitHub would change");
        assertThatThrownBy(() -> store.publish(wordy, ExistsPolicy.FAIL)).isInstanceOf(InvalidReleaseException.class)
                .hasMessageContaining("more than the 125000 GitHub keeps");
        assertThat(github.requests()).isEmpty();
    }
}
