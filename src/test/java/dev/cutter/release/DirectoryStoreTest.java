package dev.cutter.release;

import static dev.cutter.release.Fixtures.T0;
import static dev.cutter.release.Fixtures.age;
import static dev.cutter.release.Fixtures.asset;
import static dev.cutter.release.Fixtures.draft;
import static dev.cutter.release.Fixtures.entries;
import static dev.cutter.release.Fixtures.km;
import static dev.cutter.release.Fixtures.snapshot;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cutter.testing.TestStaging;
import dev.cutter.content.Digest;
import dev.cutter.release.PublishResult.Outcome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoryStoreTest {
    @TempDir
    Path temp;
    Path sources;
    Path root;
    DirectoryStore store;

    @BeforeEach
    void setUp() throws IOException {
        sources = Files.createDirectories(temp.resolve("dist"));
        root = temp.resolve("km-releases");
        store = new DirectoryStore(root, TestStaging.in(temp));
    }

    @Test
    void createsAReleaseDirectoryWithItsAssetsMetadataAndNotes() throws IOException {
        ReleaseDraft draft = km(sources, "v0.9-beta", "one");

        PublishResult result = store.publish(draft, ExistsPolicy.FAIL);

        assertThat(result.outcome()).isEqualTo(Outcome.CREATED);
        assertThat(result.release()).isEqualTo(draft.info());
        assertThat(result.replaced()).isEmpty();
        Path release = root.resolve("v0.9-beta");
        assertThat(entries(release)).containsExactly("NOTES.md", "SHA256SUMS", "kontain.tar.gz",
                "release.json", "runenv-python.tar.gz");
        assertThat(release.resolve("kontain.tar.gz")).hasContent("km one");
        assertThat(release.resolve("NOTES.md")).hasContent("KM v0.9-beta");
        assertThat(store.find("v0.9-beta")).contains(draft.info());
        assertThat(store.list()).containsExactly(draft.info());
    }

    @Test
    void publishingIdenticalContentAgainIsUnchangedAndTouchesNothing() throws IOException {
        store.publish(km(sources, "v0.9-beta", "one"), ExistsPolicy.FAIL);
        age(root);
        Map<String, String> before = snapshot(root);
        ReleaseDraft rerun = km(sources, "v0.9-beta", "one");
        rerun = draft(rerun.name(), T0.plus(Duration.ofHours(3)), rerun.notes(), rerun.assets());

        PublishResult result = store.publish(rerun, ExistsPolicy.FAIL);

        assertThat(result.outcome()).isEqualTo(Outcome.UNCHANGED);
        assertThat(result.release().created()).as("the first publication's time is kept").isEqualTo(T0);
        assertThat(snapshot(root)).isEqualTo(before);
        assertThat(store.publish(rerun, ExistsPolicy.REPLACE).outcome()).isEqualTo(Outcome.UNCHANGED);
        assertThat(snapshot(root)).isEqualTo(before);
    }

    @Test
    void refusesOtherContentUnderTheFailPolicyNamingTheStoreTheReleaseAndTheDifference() throws IOException {
        ReleaseDraft first = km(sources, "v0.9-beta", "one");
        store.publish(first, ExistsPolicy.FAIL);
        age(root);
        Map<String, String> before = snapshot(root);
        ReleaseDraft changed = km(sources, "v0.9-beta", "two");
        Digest published = first.info().asset("kontain.tar.gz").orElseThrow().digest();
        Digest wanted = changed.info().asset("kontain.tar.gz").orElseThrow().digest();

        assertThatThrownBy(() -> store.publish(changed, ExistsPolicy.FAIL))
                .isInstanceOfSatisfying(ReleaseExistsException.class, e -> {
                    assertThat(e.store()).isEqualTo("dir:" + root);
                    assertThat(e.release()).isEqualTo("v0.9-beta");
                    assertThat(e.differences()).contains("asset kontain.tar.gz sha256:" + published.hex().substring(0, 12)
                            + "… ≠ sha256:" + wanted.hex().substring(0, 12) + "…");
                })
                .hasMessageContaining("release v0.9-beta already exists in dir:" + root)
                .hasMessageContaining("asset kontain.tar.gz sha256:" + published.hex().substring(0, 12));
        assertThat(snapshot(root)).isEqualTo(before);
    }

    @Test
    void changedNotesOrMetadataAreOtherContentToo() {
        ReleaseDraft first = km(sources, "v0.9-beta", "one");
        store.publish(first, ExistsPolicy.FAIL);
        ReleaseDraft otherNotes = draft("v0.9-beta", T0, "KM v0.9-beta, second take\n", first.assets());
        ReleaseDraft otherCommit = new ReleaseDraft("v0.9-beta", "km", "0.9-beta", "beta", "v0.9-beta",
                Optional.of("badc0de"), T0, first.assets(), first.notes(), true, false);

        assertThatThrownBy(() -> store.publish(otherNotes, ExistsPolicy.FAIL))
                .isInstanceOfSatisfying(ReleaseExistsException.class,
                        e -> assertThat(e.differences()).containsExactly("notes differ"));
        assertThatThrownBy(() -> store.publish(otherCommit, ExistsPolicy.FAIL))
                .isInstanceOfSatisfying(ReleaseExistsException.class, e -> assertThat(e.differences())
                        .containsExactly("commit 4f1c0ffee ≠ badc0de", "prerelease false ≠ true"));
    }

    @Test
    void replacesOtherContentUnderTheReplacePolicyAndDeletesTheOldDirectory() throws IOException {
        ReleaseDraft first = km(sources, "v0.1-test", "one");
        store.publish(first, ExistsPolicy.REPLACE);
        Path oldTarget = root.resolve("v0.1-test").toRealPath();
        ReleaseDraft second = draft("v0.1-test", T0.plusSeconds(60), "KM v0.1-test again\n",
                List.of(asset(sources, "kontain.tar.gz", "km two", 1)));

        PublishResult result = store.publish(second, ExistsPolicy.REPLACE);

        assertThat(result.outcome()).isEqualTo(Outcome.REPLACED);
        assertThat(result.replaced()).contains(first.info());
        assertThat(result.release()).isEqualTo(second.info());
        assertThat(store.find("v0.1-test")).contains(second.info());
        assertThat(entries(root.resolve("v0.1-test"))).containsExactly("NOTES.md", "kontain.tar.gz", "release.json");
        assertThat(root.resolve("v0.1-test/kontain.tar.gz")).hasContent("km two");
        assertThat(oldTarget).doesNotExist();
        assertThat(entries(root.resolve(".releases"))).hasSize(1);
        assertThat(entries(root.resolve(".staging"))).isEmpty();
    }

    @Test
    void theReleaseNameIsALinkToADirectoryNamedByItsContent() throws IOException {
        store.publish(km(sources, "v0.9-beta", "one"), ExistsPolicy.FAIL);
        Path link = root.resolve("v0.9-beta");

        assertThat(link).isSymbolicLink();
        Path target = Files.readSymbolicLink(link);
        assertThat(target.isAbsolute()).as("relative, so the store can be moved").isFalse();
        byte[] json = Files.readAllBytes(link.resolve("release.json"));
        byte[] notes = Files.readAllBytes(link.resolve("NOTES.md"));
        byte[] both = new byte[json.length + notes.length];
        System.arraycopy(json, 0, both, 0, json.length);
        System.arraycopy(notes, 0, both, json.length, notes.length);
        assertThat(target.toString()).isEqualTo(".releases/v0.9-beta@" + Digest.sha256(both).hex());
    }

    @Test
    void anAssetThatDoesNotMatchItsDigestPublishesNothing() throws IOException {
        Asset good = asset(sources, "kontain.tar.gz", "km one", 1);
        Path changed = sources.resolve("runenv.tar.gz");
        Files.writeString(changed, "x".repeat(1 << 20)); // large enough to be copied in several pieces
        Asset tampered = new Asset("runenv.tar.gz", changed, Digest.sha256("what was built".getBytes(UTF_8)), 1 << 20,
                Optional.of(2));

        assertThatThrownBy(() -> store.publish(draft("v0.9-beta", T0, "", List.of(good, tampered)), ExistsPolicy.FAIL))
                .isExactlyInstanceOf(ReleaseException.class)
                .hasMessageContaining("asset runenv.tar.gz of release v0.9-beta: " + changed)
                .hasMessageContaining("changed after it was built")
                .hasMessageContaining("Nothing was published to dir:" + root);

        assertThat(store.find("v0.9-beta")).isEmpty();
        assertThat(store.list()).isEmpty();
        assertThat(entries(root)).allMatch(name -> name.startsWith("."));
        assertThat(entries(root.resolve(".staging"))).isEmpty();
        assertThat(entries(root.resolve(".releases"))).isEmpty();
    }

    @Test
    void aFailedReplacementLeavesThePreviousReleaseAsItWas() throws IOException {
        store.publish(km(sources, "v0.1-test", "one"), ExistsPolicy.REPLACE);
        age(root);
        Path release = root.resolve("v0.1-test").toRealPath();
        Map<String, String> before = snapshot(release);
        Path source = sources.resolve("kontain-next.tar.gz");
        Files.writeString(source, "km two");
        Asset wrongSize = new Asset("kontain.tar.gz", source, Digest.sha256(source), 5, Optional.of(1));

        assertThatThrownBy(() -> store.publish(draft("v0.1-test", T0, "", List.of(wrongSize)), ExistsPolicy.REPLACE))
                .isExactlyInstanceOf(ReleaseException.class).hasMessageContaining("(6 bytes), not");

        assertThat(root.resolve("v0.1-test").toRealPath()).isEqualTo(release);
        assertThat(snapshot(release)).isEqualTo(before);
        assertThat(entries(root.resolve(".staging"))).isEmpty();
        assertThat(entries(root.resolve(".releases"))).containsExactly(release.getFileName().toString());
    }

    @Test
    void leftoversOfAKilledPublicationAreInvisibleAndRemovedByTheNextOne() throws IOException {
        ReleaseDraft kept = km(sources, "v0.8-beta", "one");
        store.publish(kept, ExistsPolicy.FAIL);
        // Killed while copying: a half-written staging directory, and a link not yet renamed.
        Path halfWritten = Files.createDirectories(root.resolve(".staging/6d1f0c3e"));
        Files.writeString(halfWritten.resolve("kontain.tar.gz"), "km ha");
        Files.createSymbolicLink(root.resolve(".staging/0aa1.link"), Path.of(".releases/v0.9-beta@00"));
        // Killed after moving a complete release into .releases but before linking it.
        Path unlinked = Files.createDirectories(root.resolve(".releases/v0.9-beta@" + "0".repeat(64)));
        Files.write(unlinked.resolve("release.json"), ReleaseJson.write(km(sources, "v0.9-beta", "one").info()));

        assertThat(store.list()).containsExactly(kept.info());
        assertThat(store.find("v0.9-beta")).isEmpty();

        ReleaseDraft next = km(sources, "v0.9-beta", "two");
        assertThat(store.publish(next, ExistsPolicy.FAIL).outcome()).isEqualTo(Outcome.CREATED);

        assertThat(entries(root.resolve(".staging"))).isEmpty();
        assertThat(unlinked).doesNotExist();
        assertThat(entries(root.resolve(".releases"))).hasSize(2);
        assertThat(store.list()).extracting(ReleaseInfo::name).containsExactlyInAnyOrder("v0.8-beta", "v0.9-beta");
        assertThat(store.find("v0.9-beta")).contains(next.info());
    }

    @Test
    void assetsAreListedByInstallOrderThenByName() throws IOException {
        ReleaseDraft draft = draft("v0.9-beta", T0, "", List.of(
                asset(sources, "z-notes.txt", "z", null),
                asset(sources, "runenv-python.tar.gz", "python", 2),
                asset(sources, "SHA256SUMS", "sums", null),
                asset(sources, "kontain.tar.gz", "km", 1),
                asset(sources, "runenv-java.tar.gz", "java", 2)));

        store.publish(draft, ExistsPolicy.FAIL);

        List<String> expected = List.of("kontain.tar.gz", "runenv-java.tar.gz", "runenv-python.tar.gz",
                "SHA256SUMS", "z-notes.txt");
        assertThat(store.find("v0.9-beta").orElseThrow().assets()).extracting(AssetInfo::name).isEqualTo(expected);
        String json = Files.readString(root.resolve("v0.9-beta/release.json"));
        List<Integer> positions = new ArrayList<>();
        expected.forEach(name -> positions.add(json.indexOf("\"name\": \"" + name + "\"")));
        assertThat(positions).doesNotContain(-1).isSorted();
    }

    @Test
    void listsReleasesNewestFirstAndIgnoresWhatIsNotARelease() throws IOException {
        ReleaseDraft older = draft("v0.8-beta", T0, "", List.of(asset(sources, "a", "1", null)));
        ReleaseDraft newer = draft("v0.9-beta", T0.plusSeconds(1), "", List.of(asset(sources, "a", "2", null)));
        store.publish(older, ExistsPolicy.FAIL);
        store.publish(newer, ExistsPolicy.FAIL);
        Files.writeString(root.resolve("README.md"), "install instructions");
        Files.createDirectories(root.resolve("scripts"));

        assertThat(store.list()).containsExactly(newer.info(), older.info());
    }

    @Test
    void anEmptyOrMissingStoreHasNoReleases() {
        assertThat(store.list()).isEmpty();
        assertThat(store.find("v0.9-beta")).isEmpty();
        store.delete("v0.9-beta");
        assertThat(root).doesNotExist();
    }

    @Test
    void deletesAReleaseWithItsDirectoryAndIgnoresOneThatIsNotThere() throws IOException {
        store.publish(km(sources, "v0.9-beta", "one"), ExistsPolicy.FAIL);
        Path target = root.resolve("v0.9-beta").toRealPath();

        store.delete("v0.9-beta");
        store.delete("v0.9-beta");

        assertThat(store.find("v0.9-beta")).isEmpty();
        assertThat(root.resolve("v0.9-beta")).doesNotExist();
        assertThat(target).doesNotExist();
    }

    @Test
    void refusesToDeleteOrOverwriteAnEntryThatIsNotARelease() throws IOException {
        Files.createDirectories(root.resolve("docs"));
        Files.writeString(root.resolve("docs/index.md"), "keep me");

        assertThatThrownBy(() -> store.delete("docs")).isInstanceOf(InvalidReleaseException.class)
                .hasMessageContaining("is not a release");
        assertThatThrownBy(() -> store.publish(km(sources, "docs", "one"), ExistsPolicy.REPLACE))
                .isInstanceOf(ReleaseException.class).hasMessageContaining("is not a release");
        assertThat(root.resolve("docs/index.md")).hasContent("keep me");
    }

    @Test
    void refusesDraftsAndAssetNamesThatTheStoreUsesItself() {
        ReleaseDraft one = km(sources, "v0.9-beta", "one");
        ReleaseDraft asDraft = new ReleaseDraft(one.name(), one.project(), one.version(), one.channel(), one.tag(),
                one.commit(), one.created(), one.assets(), one.notes(), false, true);
        ReleaseDraft reserved = draft("v0.9-beta", T0, "", List.of(asset(sources, "release.json", "{}", null)));

        assertThatThrownBy(() -> store.publish(asDraft, ExistsPolicy.FAIL))
                .isInstanceOf(InvalidReleaseException.class).hasMessageContaining("has no drafts");
        assertThatThrownBy(() -> store.publish(reserved, ExistsPolicy.FAIL))
                .isInstanceOf(InvalidReleaseException.class).hasMessageContaining("asset named release.json");
        assertThat(root).doesNotExist();
    }

    @Test
    void concurrentPublicationsToOneStoreDoNotDisturbEachOther() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<PublishResult>> results = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                ReleaseDraft draft = km(sources, "v0." + i + "-beta", "n" + i);
                results.add(pool.submit(() -> store.publish(draft, ExistsPolicy.FAIL)));
            }
            for (Future<PublishResult> result : results) {
                assertThat(result.get().outcome()).isEqualTo(Outcome.CREATED);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(store.list()).hasSize(16);
        assertThat(entries(root.resolve(".releases"))).hasSize(16);
        assertThat(entries(root.resolve(".staging"))).isEmpty();
    }
}
