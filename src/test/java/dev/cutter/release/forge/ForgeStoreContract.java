package dev.cutter.release.forge;

import static dev.cutter.release.Fixtures.T0;
import static dev.cutter.release.Fixtures.asset;
import static dev.cutter.release.Fixtures.draft;
import static dev.cutter.release.Fixtures.km;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cutter.content.Digest;
import dev.cutter.http.Backoff;
import dev.cutter.http.Sender;
import dev.cutter.release.Asset;
import dev.cutter.release.AssetInfo;
import dev.cutter.release.ExistsPolicy;
import dev.cutter.release.PublishResult;
import dev.cutter.release.PublishResult.Outcome;
import dev.cutter.release.ReleaseDraft;
import dev.cutter.release.ReleaseException;
import dev.cutter.release.ReleaseExistsException;
import dev.cutter.release.ReleaseInfo;
import dev.cutter.release.ReleaseStore;
import dev.cutter.release.StoreUnreachableException;
import dev.cutter.testing.FakeForge;
import dev.cutter.testing.FakeForge.Fault;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every forge store must do, run by each forge's test class against its local fake
 * ({@link FakeForge}): the {@link ReleaseStore} contract (created, unchanged with no write,
 * refused with the differences, replaced whole), resumption after a run killed between uploads,
 * passing failures tried again, assets checked while they are sent, clear token errors that
 * never show the token, pages, downloads and deletion.
 */
abstract class ForgeStoreContract {
    static final String TOKEN = "s3cr3t-write-token-0451";
    static final String READ_TOKEN = "s3cr3t-read-token-9920";
    /** Three attempts, milliseconds apart: waits are recorded, not slept. */
    static final Backoff QUICK = new Backoff(3, Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMinutes(2));

    @TempDir
    Path temp;
    Path sources;
    final List<Duration> waits = new CopyOnWriteArrayList<>();
    HttpClient http;

    /** The running fake; made by {@link #startFake()}. */
    FakeForge fake;

    abstract FakeForge startFake();

    /** The store's text, e.g. {@code github:acme/app}. */
    abstract String storeText();

    /** The environment of a run with {@code token} in the forge's variable (none when null) and the fake's API URL. */
    abstract Map<String, String> environment(String token);

    abstract String tokenVariable();

    /** What a token needs to publish, as the store's messages say it. */
    abstract String writeAccess();

    /** What the fake made (or would make) the tag of the release {@code tag} from. */
    abstract Optional<String> targetOf(String tag);

    /** How the store explains the forge's refusal of a target its repository lacks; empty where the forge's answer cannot tell. */
    Optional<String> unknownTargetSays() {
        return Optional.of("has no such branch, tag or commit to make the release's tag from");
    }

    /** Whether {@code request} uploads an asset, and which. */
    abstract Optional<String> uploaded(FakeForge.Request request);

    /** What readers of the forge see of {@code tag}: the names of the assets of its published release, if any. */
    abstract Optional<List<String>> published(String tag);

    /** Adds a release of {@code tag} as a person would, in the forge's web pages. */
    abstract void publishByHand(String tag);

    @BeforeEach
    void startTheFake() throws IOException {
        sources = Files.createDirectories(temp.resolve("dist"));
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        fake = startFake();
        fake.token(TOKEN, FakeForge.Access.WRITE).token(READ_TOKEN, FakeForge.Access.READ);
    }

    @AfterEach
    void stopTheFake() {
        fake.close();
    }

    ReleaseStore store() {
        return store(environment(TOKEN));
    }

    ReleaseStore store(Map<String, String> environment) {
        return ForgeStores.open(storeText(), Optional.empty(), environment, new Sender(http, QUICK, waits::add, Clock.systemUTC()))
                .orElseThrow();
    }

    List<String> uploads() {
        return fake.requests().stream().map(this::uploaded).flatMap(Optional::stream).toList();
    }

    static String read(ReleaseStore store, String release, String asset) throws IOException {
        try (InputStream in = store.openAsset(release, asset)) {
            return new String(in.readAllBytes(), UTF_8);
        }
    }

    static List<String> names(ReleaseDraft draft) {
        return draft.info().assets().stream().map(AssetInfo::name).toList();
    }

    @Test
    void anotherProjectsPublishedReleaseIsFoundByItsTagWithoutAToken() {
        publishByHand("3.6.0");

        assertThat(store(environment(null)).hasRelease("3.6.0")).isTrue();
        assertThat(store(environment(null)).hasRelease("3.7.0")).as("a tag without a release").isFalse();
        assertThat(fake.writes()).isEmpty();
    }

    @Test
    void publishesAReleaseThatReadsBackAsItWasPublished() throws IOException {
        ReleaseStore store = store();
        ReleaseDraft draft = km(sources, "v0.9-beta", "one");

        PublishResult result = store.publish(draft, ExistsPolicy.FAIL);

        assertThat(result.outcome()).isEqualTo(Outcome.CREATED);
        assertThat(result.release()).isEqualTo(draft.info());
        assertThat(store.describe()).isEqualTo(storeText());
        assertThat(store.find("v0.9-beta")).contains(draft.info());
        assertThat(store.list()).containsExactly(draft.info());
        assertThat(read(store, "v0.9-beta", "kontain.tar.gz")).isEqualTo("km one");
        assertThat(read(store, "v0.9-beta", "runenv-python.tar.gz")).isEqualTo("python one");
        assertThat(published("v0.9-beta")).hasValueSatisfying(n -> assertThat(n).containsExactlyInAnyOrderElementsOf(names(draft)));
        assertThat(uploads()).containsExactlyInAnyOrderElementsOf(names(draft));
    }

    /** KM publishes to km-releases from km: the commit a release is of is not in the repository it is published to. */
    static ReleaseDraft intoAnotherRepository(ReleaseDraft draft, Optional<String> target) {
        return new ReleaseDraft(draft.name(), draft.project(), draft.version(), draft.channel(), draft.tag(), draft.commit(),
                draft.created(), draft.assets(), draft.notes(), draft.prerelease(), draft.draft(), target);
    }

    @Test
    void aReleaseIntoAnotherRepositoryNamesNoCommitAndItsTagIsMadeFromTheDefaultBranch() throws IOException {
        fake.standAlone("master");
        ReleaseDraft draft = intoAnotherRepository(km(sources, "v0.9-beta", "one"), Optional.empty());

        PublishResult result = store().publish(draft, ExistsPolicy.FAIL);

        assertThat(result.outcome()).isEqualTo(Outcome.CREATED);
        assertThat(result.release().commit()).as("recorded: the release is of the source's commit").isEqualTo(draft.commit());
        assertThat(targetOf("v0.9-beta")).contains("master");
        assertThat(published("v0.9-beta")).isPresent();
    }

    @Test
    void aTargetTheRepositoryLacksIsRefusedAsTheForgeRefusesItAndNothingIsPublished() {
        fake.standAlone("master", "stable");
        ReleaseDraft draft = intoAnotherRepository(km(sources, "v0.9-beta", "one"), Optional.of("4f1c0ffee"));

        var refused = assertThatThrownBy(() -> store().publish(draft, ExistsPolicy.FAIL)).isInstanceOf(ReleaseException.class);
        unknownTargetSays().ifPresent(says -> refused.hasMessageContaining(says).hasMessageContaining("target:"));
        assertThat(published("v0.9-beta")).isEmpty();

        ReleaseDraft onStable = intoAnotherRepository(km(sources, "v0.9-beta", "one"), Optional.of("stable"));
        assertThat(store().publish(onStable, ExistsPolicy.FAIL).outcome()).isEqualTo(Outcome.CREATED);
        assertThat(targetOf("v0.9-beta")).contains("stable");
    }

    @Test
    void theReleaseNameMayDifferFromItsTag() {
        ReleaseStore store = store();
        ReleaseDraft draft = new ReleaseDraft("0.9-beta", "km", "0.9-beta", "beta", "v0.9-beta", Optional.of("4f1c0ffee"), T0,
                List.of(asset(sources, "kontain.tar.gz", "km", 1)), "KM 0.9\n", true, false);

        store.publish(draft, ExistsPolicy.FAIL);

        assertThat(store.find("0.9-beta")).contains(draft.info());
        assertThat(store.find("v0.9-beta")).isEmpty();
        assertThat(published("v0.9-beta")).contains(List.of("kontain.tar.gz"));
        assertThat(store.publish(draft, ExistsPolicy.FAIL).outcome()).isEqualTo(Outcome.UNCHANGED);
    }

    @Test
    void publishingIdenticalContentAgainIsUnchangedAndSendsNoWrite() {
        ReleaseStore store = store();
        store.publish(km(sources, "v0.9-beta", "one"), ExistsPolicy.FAIL);
        fake.forgetRequests();
        ReleaseDraft rerun = km(sources, "v0.9-beta", "one");
        rerun = draft(rerun.name(), T0.plus(Duration.ofHours(3)), rerun.notes(), rerun.assets());

        PublishResult result = store.publish(rerun, ExistsPolicy.FAIL);
        PublishResult replace = store.publish(rerun, ExistsPolicy.REPLACE);

        assertThat(result.outcome()).isEqualTo(Outcome.UNCHANGED);
        assertThat(replace.outcome()).isEqualTo(Outcome.UNCHANGED);
        assertThat(result.release().created()).as("the first publication's time is kept").isEqualTo(T0);
        assertThat(fake.writes()).isEmpty();
        assertThat(fake.requests()).isNotEmpty();
    }

    @Test
    void otherContentIsRefusedUnderFailWithTheDifferencesAndNothingIsWritten() throws IOException {
        ReleaseStore store = store();
        ReleaseDraft first = km(sources, "v0.9-beta", "one");
        store.publish(first, ExistsPolicy.FAIL);
        fake.forgetRequests();
        ReleaseDraft changed = km(sources, "v0.9-beta", "two");
        Digest published = first.info().asset("kontain.tar.gz").orElseThrow().digest();
        Digest wanted = changed.info().asset("kontain.tar.gz").orElseThrow().digest();

        assertThatThrownBy(() -> store.publish(changed, ExistsPolicy.FAIL))
                .isInstanceOfSatisfying(ReleaseExistsException.class, e -> {
                    assertThat(e.store()).isEqualTo(storeText());
                    assertThat(e.release()).isEqualTo("v0.9-beta");
                    assertThat(e.differences()).contains("asset kontain.tar.gz sha256:" + published.hex().substring(0, 12)
                            + "… ≠ sha256:" + wanted.hex().substring(0, 12) + "…");
                })
                .hasMessageContaining("release v0.9-beta already exists in " + storeText());
        assertThat(fake.writes()).isEmpty();
        assertThat(read(store, "v0.9-beta", "kontain.tar.gz")).isEqualTo("km one");
    }

    @Test
    void replaceSwapsTheWholeReleaseForTheNewOne() throws IOException {
        ReleaseStore store = store();
        ReleaseDraft first = km(sources, "v0.1-test", "one");
        store.publish(first, ExistsPolicy.REPLACE);
        ReleaseDraft second = draft("v0.1-test", T0.plusSeconds(60), "KM v0.1-test again\n",
                List.of(asset(sources, "kontain.tar.gz", "km two", 1)));

        PublishResult result = store.publish(second, ExistsPolicy.REPLACE);

        assertThat(result.outcome()).isEqualTo(Outcome.REPLACED);
        assertThat(result.replaced()).contains(first.info());
        assertThat(result.release()).isEqualTo(second.info());
        assertThat(store.find("v0.1-test")).contains(second.info());
        assertThat(store.list()).containsExactly(second.info());
        assertThat(read(store, "v0.1-test", "kontain.tar.gz")).isEqualTo("km two");
        assertThat(published("v0.1-test")).contains(List.of("kontain.tar.gz"));
    }

    @Test
    void aRunKilledBetweenUploadsEndsInExactlyTheWantedReleaseWhenPublishedAgain() throws IOException {
        ReleaseStore store = store();
        ReleaseDraft draft = km(sources, "v0.9-beta", "one");
        String first = draft.assets().get(0).name();
        faultUploads(Fault.ERROR_500, 1, QUICK.attempts());

        assertThatThrownBy(() -> store.publish(draft, ExistsPolicy.FAIL))
                .isInstanceOfSatisfying(StoreUnreachableException.class, e -> assertThat(e.retryable()).isTrue())
                .hasMessageContaining("500");
        assertThat(published("v0.9-beta")).as("readers see nothing of the half-made release").isEmpty();
        assertThat(store.find("v0.9-beta")).isEmpty();
        assertThat(store.list()).isEmpty();

        fake.clearFaults();
        PublishResult result = store().publish(draft, ExistsPolicy.FAIL);

        assertThat(result.outcome()).isEqualTo(Outcome.CREATED);
        assertThat(store.find("v0.9-beta")).contains(draft.info());
        assertThat(published("v0.9-beta")).hasValueSatisfying(n -> assertThat(n).containsExactlyInAnyOrderElementsOf(names(draft)));
        assertThat(uploads().stream().filter(first::equals)).as("the asset that arrived is not sent again").hasSize(1);
        for (Asset asset : draft.assets()) {
            assertThat(read(store, "v0.9-beta", asset.name())).isEqualTo(Files.readString(asset.source()));
        }
    }

    @Test
    void anUploadWhoseAnswerWasLostLeavesOneAssetOfThatName() throws IOException {
        ReleaseStore store = store();
        ReleaseDraft draft = km(sources, "v0.9-beta", "one");
        faultUploads(Fault.DROP_AFTER, 1, 1);

        assertThat(store.publish(draft, ExistsPolicy.FAIL).outcome()).isEqualTo(Outcome.CREATED);

        assertThat(published("v0.9-beta")).hasValueSatisfying(n -> assertThat(n).containsExactlyInAnyOrderElementsOf(names(draft)));
        assertThat(store.find("v0.9-beta")).contains(draft.info());
        assertThat(read(store, "v0.9-beta", draft.assets().get(1).name())).isEqualTo(Files.readString(draft.assets().get(1).source()));
    }

    @Test
    void tooManyRequestsAndBadGatewaysAreTriedAgainHonouringRetryAfter() {
        fake.fault("GET", ".*/releases", Fault.TOO_MANY_REQUESTS_429, 0, 1);
        faultUploads(Fault.BAD_GATEWAY_502, 0, 1);
        ReleaseDraft draft = km(sources, "v0.9-beta", "one");

        assertThat(store().publish(draft, ExistsPolicy.FAIL).outcome()).isEqualTo(Outcome.CREATED);

        assertThat(waits).as("Retry-After: 1 was waited for").contains(Duration.ofSeconds(1)).hasSizeGreaterThanOrEqualTo(2);
        assertThat(store().find("v0.9-beta")).contains(draft.info());
        assertThat(fake.requests().stream().filter(r -> r.status() == 429 || r.status() == 502)).hasSize(2);
    }

    @Test
    void anAssetThatIsNotWhatItsDigestSaysIsRefusedBeforeTheReleaseIsVisible() throws IOException {
        ReleaseStore store = store();
        Asset good = asset(sources, "kontain.tar.gz", "km one", 1);
        Path changed = sources.resolve("runenv.tar.gz");
        Files.writeString(changed, "x".repeat(100_000));
        Asset tampered = new Asset("runenv.tar.gz", changed, Digest.sha256("what was built".getBytes(UTF_8)), 100_000, Optional.of(2));

        assertThatThrownBy(() -> store.publish(draft("v0.9-beta", T0, "", List.of(good, tampered)), ExistsPolicy.FAIL))
                .isExactlyInstanceOf(ReleaseException.class)
                .hasMessageContaining("asset runenv.tar.gz of release v0.9-beta: " + changed + " is sha256:")
                .hasMessageContaining("changed after it was built")
                .hasMessageContaining("Nothing was published to " + storeText());

        assertThat(published("v0.9-beta")).isEmpty();
        assertThat(store.find("v0.9-beta")).isEmpty();
        assertThat(fake.requests().stream().filter(r -> uploaded(r).filter("runenv.tar.gz"::equals).isPresent()))
                .as("the forge never received the whole file").allMatch(r -> !r.bodyComplete());
        assertThat(waits).as("a file that is not what it should be is not sent again").isEmpty();
    }

    @Test
    void withoutATokenPublishingIsRefusedBeforeAnyRequestNamingTheVariableToSet() {
        ReleaseStore store = store(environment(null));

        assertThatThrownBy(() -> store.publish(km(sources, "v0.9-beta", "one"), ExistsPolicy.FAIL))
                .isInstanceOfSatisfying(StoreUnreachableException.class, e -> assertThat(e.retryable()).isFalse())
                .hasMessageStartingWith(storeText() + ": cannot publish release v0.9-beta without a token: set " + tokenVariable());
        assertThat(fake.requests()).isEmpty();
    }

    @Test
    void aWrongTokenIsRefusedNamingTheVariableAndTheTokenIsNeverShown() {
        ReleaseStore store = store(environment("s3cr3t-but-wrong-7734"));
        List<Throwable> failures = new ArrayList<>();

        assertThatThrownBy(() -> store.publish(km(sources, "v0.9-beta", "one"), ExistsPolicy.FAIL)).satisfies(failures::add)
                .isInstanceOf(StoreUnreachableException.class)
                .hasMessageContaining("401")
                .hasMessageContaining("the token in " + tokenVariable() + " was refused")
                .hasMessageContaining("set " + tokenVariable());
        assertThatThrownBy(() -> store.find("v0.9-beta")).satisfies(failures::add).isInstanceOf(StoreUnreachableException.class);
        assertThatThrownBy(store::list).satisfies(failures::add).isInstanceOf(StoreUnreachableException.class);

        assertThat(failures).hasSize(3).allSatisfy(e -> assertThat(e.toString()).doesNotContain("s3cr3t"));
        assertThat(fake.writes()).isEmpty();
    }

    @Test
    void aTokenThatMayOnlyReadIsToldWhatItNeedsAndIsNeverShown() {
        ReleaseStore store = store(environment(READ_TOKEN));

        assertThatThrownBy(() -> store.publish(km(sources, "v0.9-beta", "one"), ExistsPolicy.FAIL))
                .isInstanceOf(StoreUnreachableException.class)
                .hasMessageContaining("403")
                .hasMessageContaining("the token in " + tokenVariable() + " is not allowed to do this: it needs " + writeAccess())
                .satisfies(e -> assertThat(e.toString()).doesNotContain("s3cr3t"));
        assertThat(published("v0.9-beta")).isEmpty();
    }

    @Test
    void listAndFindFollowEveryPage() {
        fake.maxPerPage(2);
        ReleaseStore store = store();
        List<ReleaseInfo> published = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            ReleaseDraft draft = draft("v0." + i, T0.plusSeconds(i), "", List.of(asset(sources, "kontain.tar.gz", "km " + i, 1)));
            store.publish(draft, ExistsPolicy.FAIL);
            published.add(0, draft.info());
        }

        assertThat(store.list()).containsExactlyElementsOf(published);
        assertThat(store.find("v0.1")).contains(published.get(4));
        assertThat(fake.requests()).anyMatch(r -> r.query() != null && r.query().contains("page=3"));
    }

    /** The token goes to the API's host only: a next page on another host is refused, not fetched with it. */
    @Test
    void aNextPageOnAnotherHostIsRefusedAndNeverSentTheToken() throws Exception {
        fake.maxPerPage(2);
        ReleaseStore store = store();
        for (int i = 1; i <= 3; i++) {
            store.publish(draft("v0." + i, T0.plusSeconds(i), "", List.of(asset(sources, "kontain.tar.gz", "km " + i, 1))),
                    ExistsPolicy.FAIL);
        }
        List<String> elsewhere = new java.util.concurrent.CopyOnWriteArrayList<>();
        com.sun.net.httpserver.HttpServer other = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        other.createContext("/", exchange -> {
            elsewhere.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization"))
                    + String.valueOf(exchange.getRequestHeaders().getFirst("PRIVATE-TOKEN")));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        other.start();
        try {
            fake.pagesOn("http://127.0.0.1:" + other.getAddress().getPort());

            assertThatThrownBy(store::list).isInstanceOf(ReleaseException.class)
                    .hasMessageContaining("next page is on another host").hasMessageNotContaining(TOKEN);
            assertThat(elsewhere).as("requests to the other host").isEmpty();
        } finally {
            other.stop(0);
        }
    }

    @Test
    void linksThatAreNoHttpUrlAreTheForgesErrorNamedNeverFollowed() throws Exception {
        ReleaseStore store = store();
        ReleaseDraft draft = km(sources, "v0.9-beta", "one");
        store.publish(draft, ExistsPolicy.FAIL);
        for (String elsewhere : List.of("file://", "http://[bad")) {
            fake.linksOn(elsewhere);
            // reading the releases may do without the links; following one must fail as the
            // forge's error, naming the store, never as an internal one
            for (ThrowingCallable call : List.<ThrowingCallable>of(store::list, () -> store.find("v0.9-beta"),
                    () -> store.publish(draft, ExistsPolicy.FAIL))) {
                try {
                    call.call();
                } catch (Throwable e) {
                    assertThat(e).as(elsewhere).isInstanceOf(ReleaseException.class).hasMessageContaining(store.describe());
                }
            }
            assertThatThrownBy(() -> read(store, "v0.9-beta", "kontain.tar.gz")).as(elsewhere)
                    .isInstanceOf(ReleaseException.class).hasMessageContaining(store.describe()).hasMessageContaining("no http(s) URL");
        }
    }

    @Test
    void deleteRemovesTheReleaseAndDoesNothingWhenItIsGone() {
        ReleaseStore store = store();
        store.publish(km(sources, "v0.9-beta", "one"), ExistsPolicy.FAIL);
        store.publish(km(sources, "v0.8-beta", "one"), ExistsPolicy.FAIL);

        store.delete("v0.9-beta");

        assertThat(store.find("v0.9-beta")).isEmpty();
        assertThat(published("v0.9-beta")).isEmpty();
        assertThat(store.list()).extracting(ReleaseInfo::name).containsExactly("v0.8-beta");
        fake.forgetRequests();
        store.delete("v0.9-beta");
        assertThat(fake.writes()).isEmpty();
    }

    @Test
    void aReleaseMadeByHandIsNeitherListedNorOverwritten() {
        publishByHand("v0.9-beta");
        ReleaseStore store = store();

        assertThat(store.list()).isEmpty();
        assertThat(store.find("v0.9-beta")).isEmpty();
        assertThatThrownBy(() -> store.publish(km(sources, "v0.9-beta", "one"), ExistsPolicy.FAIL))
                .isInstanceOfSatisfying(ReleaseExistsException.class, e -> assertThat(e.differences())
                        .containsExactly("it was not published by Cutter (its notes have no cutter-release block)"));
        assertThat(fake.writes()).isEmpty();
    }

    @Test
    void aPrivateRepositoryLooksMissingWithoutATokenAndTheMessageSaysWhatToSet() {
        fake.publicRepository(false);

        assertThatThrownBy(() -> store(environment(null)).list()).isInstanceOf(ReleaseException.class)
                .hasMessageContaining("404")
                .hasMessageContaining("does not exist at")
                .hasMessageContaining("or it is private: set " + tokenVariable() + " to a token that can read it");
    }

    /** Injects {@code fault} into uploads, {@code times} times, after letting {@code skip} through. */
    abstract void faultUploads(Fault fault, int skip, int times);
}
