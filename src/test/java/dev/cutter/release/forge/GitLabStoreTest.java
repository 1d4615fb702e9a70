package dev.cutter.release.forge;

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
import dev.cutter.testing.FakeGitLab;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The GitLab store against {@link FakeGitLab}, a local fake of GitLab's Releases API and generic packages. */
class GitLabStoreTest extends ForgeStoreContract {
    FakeGitLab gitlab;

    @Override
    FakeForge startFake() {
        gitlab = new FakeGitLab("acme/tools/app");
        return gitlab;
    }

    @Override
    String storeText() {
        return "gitlab:acme/tools/app";
    }

    @Override
    Map<String, String> environment(String token) {
        Map<String, String> env = new HashMap<>(Map.of("CI_API_V4_URL", gitlab.api()));
        if (token != null) {
            env.put("GITLAB_TOKEN", token);
        }
        return env;
    }

    @Override
    String tokenVariable() {
        return "GITLAB_TOKEN";
    }

    @Override
    String writeAccess() {
        return "the api scope";
    }

    @Override
    Optional<String> uploaded(FakeForge.Request request) {
        return request.method().equals("PUT") && request.path().contains("/packages/generic/")
                ? Optional.of(request.path().substring(request.path().lastIndexOf('/') + 1)) : Optional.empty();
    }

    @Override
    Optional<String> targetOf(String tag) {
        return gitlab.release(tag).map(r -> r.ref);
    }

    @Override
    Optional<List<String>> published(String tag) {
        return gitlab.release(tag).map(r -> r.links.stream().map(FakeGitLab.Link::name).toList());
    }

    @Override
    void publishByHand(String tag) {
        gitlab.publishByHand(tag, tag, "Made on the web");
    }

    @Override
    void faultUploads(Fault fault, int skip, int times) {
        gitlab.fault("PUT", ".*/packages/generic/.*", fault, skip, times);
    }

    @Test
    void uploadsEveryFileFirstThenCreatesTheReleaseWithAllItsLinksInOneCall() throws IOException {
        ReleaseDraft draft = km(sources, "v0.9-beta", "one");

        store().publish(draft, ExistsPolicy.FAIL);

        List<FakeForge.Request> writes = gitlab.writes();
        assertThat(writes.stream().map(r -> r.method() + " " + (r.path().contains("/packages/generic/")
                ? r.path().substring(r.path().lastIndexOf('/') + 1) : r.path())).toList()).containsExactly(
                "PUT runenv-python.tar.gz", "PUT kontain.tar.gz", "PUT SHA256SUMS", "POST /api/v4/projects/acme/tools/app/releases");
        assertThat(gitlab.requests()).allSatisfy(r -> assertThat(r.header("private-token")).isEqualTo(TOKEN));
        FakeGitLab.Release release = gitlab.release("v0.9-beta").orElseThrow();
        assertThat(release.links).extracting(FakeGitLab.Link::name)
                .containsExactly("runenv-python.tar.gz", "kontain.tar.gz", "SHA256SUMS");
        assertThat(release.links).allSatisfy(l -> {
            assertThat(l.url()).startsWith(gitlab.api() + "/projects/acme%2Ftools%2Fapp/packages/generic/km/v0.9-beta-");
            assertThat(l.directAssetPath()).isEqualTo("/" + l.name());
        });
        assertThat(gitlab.packages()).singleElement().satisfies(p -> {
            assertThat(p.name).isEqualTo("km");
            assertThat(p.version).isEqualTo(GitLabStore.packageVersion(draft)).matches("v0\\.9-beta-[0-9a-f]{12}");
            assertThat(p.files).hasSize(3);
        });
        assertThat(read(store(), "v0.9-beta", "SHA256SUMS")).isEqualTo("sums one");
    }

    @Test
    void theJobTokenOfAPipelineIsSentAsJobToken() {
        Map<String, String> env = environment(null);
        env.put("CI_JOB_TOKEN", TOKEN);

        store(env).publish(km(sources, "v0.9-beta", "one"), ExistsPolicy.FAIL);

        assertThat(gitlab.requests()).allSatisfy(r -> {
            assertThat(r.header("job-token")).isEqualTo(TOKEN);
            assertThat(r.header("private-token")).isNull();
        });
    }

    @Test
    void hasNoDrafts() {
        ReleaseDraft one = km(sources, "v0.9-beta", "one");
        ReleaseDraft asDraft = new ReleaseDraft(one.name(), one.project(), one.version(), one.channel(), one.tag(), one.commit(),
                one.created(), one.assets(), one.notes(), false, true);

        assertThatThrownBy(() -> store().publish(asDraft, ExistsPolicy.FAIL)).isInstanceOf(InvalidReleaseException.class)
                .hasMessageContaining("GitLab has no draft releases");
        assertThat(gitlab.requests()).isEmpty();
    }

    @Test
    void aReplacementGetsItsOwnPackageAndTheOldPackageGoesWithTheOldRelease() throws IOException {
        ReleaseStore store = store();
        store.publish(km(sources, "v0.1-test", "one"), ExistsPolicy.REPLACE);
        String old = gitlab.packages().get(0).version;
        gitlab.forgetRequests();

        assertThat(store.publish(km(sources, "v0.1-test", "two"), ExistsPolicy.REPLACE).outcome()).isEqualTo(Outcome.REPLACED);

        List<String> writes = gitlab.writes().stream().map(r -> r.method() + (r.path().contains("/generic/") ? " file"
                : r.path().endsWith("/releases") ? " release" : r.path().contains("/releases/") ? " old release" : " old package")).toList();
        assertThat(writes).containsExactly("PUT file", "PUT file", "PUT file", "DELETE old release", "POST release", "DELETE old package");
        assertThat(gitlab.packages()).singleElement().satisfies(p -> assertThat(p.version).isNotEqualTo(old));
        assertThat(read(store, "v0.1-test", "kontain.tar.gz")).isEqualTo("km two");
    }

    @Test
    void deletingAReleaseDeletesItsPackageToo() {
        ReleaseStore store = store();
        store.publish(km(sources, "v0.9-beta", "one"), ExistsPolicy.FAIL);

        store.delete("v0.9-beta");

        assertThat(gitlab.releases()).isEmpty();
        assertThat(gitlab.packages()).isEmpty();
    }

    @Test
    void aPackageFileIdThatIsNoNumberIsGitLabsErrorNamed() {
        ReleaseStore store = store();
        ReleaseDraft draft = km(sources, "v0.9-beta", "one");
        // the files are uploaded, the release is not made: the next run lists the package's files
        fake.fault("POST", ".*/releases", Fault.ERROR_500, 0, 100);
        assertThatThrownBy(() -> store.publish(draft, ExistsPolicy.FAIL)).isInstanceOf(ReleaseException.class);
        fake.clearFaults();
        fake.answers(body -> body.replaceAll("\"id\":(\\d+),\"package_id\"", "\"id\":\"x$1\",\"package_id\""));

        assertThatThrownBy(() -> store.publish(draft, ExistsPolicy.FAIL)).isInstanceOf(ReleaseException.class)
                .hasMessageContaining("GitLab answered a package file whose id is no number: x");
    }

    @Test
    void aPackageFileThatWasChangedIsNotConfirmed() {
        ReleaseStore store = store();
        ReleaseDraft draft = km(sources, "v0.9-beta", "one");
        store.publish(draft, ExistsPolicy.FAIL);
        FakeGitLab.Package pkg = gitlab.packages().get(0);
        pkg.files.replaceAll(f -> f.name().equals("kontain.tar.gz") ? new FakeGitLab.PackageFile(f.id(), f.name(), "tampered".getBytes()) : f);

        assertThat(store.find("v0.9-beta").orElseThrow().assets()).extracting(a -> a.name())
                .containsExactly("runenv-python.tar.gz", "SHA256SUMS");
        assertThatThrownBy(() -> store.publish(draft, ExistsPolicy.FAIL))
                .hasMessageContaining("asset kontain.tar.gz is 8 bytes on the forge, not 6 as recorded");
    }
}
