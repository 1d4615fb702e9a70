package dev.cutter.release.forge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cutter.content.Digest;
import dev.cutter.http.HttpException;
import dev.cutter.release.Asset;
import dev.cutter.release.AssetInfo;
import dev.cutter.release.ExistsPolicy;
import dev.cutter.release.InvalidReleaseException;
import dev.cutter.release.PublishResult;
import dev.cutter.release.PublishResult.Outcome;
import dev.cutter.release.ReleaseDraft;
import dev.cutter.release.ReleaseException;
import dev.cutter.release.ReleaseInfo;
import dev.cutter.release.ReleaseStore;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A store on a forge with draft releases (GitHub, Gitea): a release is built as a draft, its
 * assets uploaded and listed back until the listing is exactly the release, and only then
 * published — in one call that readers see as the release appearing whole. The forge-specific
 * requests are the subclasses'; the protocol, described in the package documentation, is here.
 */
abstract class DraftingStore implements ReleaseStore {
    /** How many times the draft's assets are listed and put right before giving up on a forge that does not keep them. */
    private static final int ROUNDS = 4;
    /** What a draft that replaces a published release is tagged with until it is published. */
    static final String PROVISIONAL = ".cutter-next";

    final String store;
    final ForgeApi api;
    /** {@code OWNER/REPO}. */
    final String repository;

    DraftingStore(String store, String repository, ForgeApi api) {
        this.store = store;
        this.repository = repository;
        this.api = api;
    }

    // ---- the forge's requests --------------------------------------------------------------------

    /** {@code /repos/OWNER/REPO/releases} and then {@code path}: GitHub and Gitea give releases the same addresses. */
    final URI releases(String path) {
        return api.uri("/repos/" + repository + "/releases" + path);
    }

    /** Every release, drafts included when the token may see them. */
    abstract List<ForgeRelease> releases();

    /** A new draft with no assets. */
    final ForgeRelease create(ReleaseDraft draft, String tagName, String body) {
        return release(api.write("POST", releases(""), draftFields(draft, tagName, body), "create the draft of release " + draft.name(), 201));
    }

    /** Changes the fields of {@code release} ({@code tag_name}, {@code name}, {@code body}, {@code draft}, …). */
    final ForgeRelease edit(ForgeRelease release, ObjectNode fields, String what) {
        return release(api.write("PATCH", releases("/" + release.id()), fields, what, 200));
    }

    final void deleteRelease(ForgeRelease release) {
        api.delete(releases("/" + release.id()), "delete release " + release.title() + " (tag " + release.tag() + ")");
    }

    /**
     * A release object, in the shape GitHub and Gitea share: {@code {"id", "tag_name", "name",
     * "body", "draft", "prerelease", "immutable" (GitHub only), "assets": [asset…]}}.
     */
    final ForgeRelease release(JsonNode json) {
        List<ForgeAsset> assets = new ArrayList<>();
        json.path("assets").forEach(a -> assets.add(asset(a)));
        String tag = json.path("tag_name").asText("");
        String name = json.path("name").asText("");
        return new ForgeRelease(json.path("id").asText(), tag, name.isEmpty() ? tag : name, json.path("body").asText(""),
                json.path("draft").asBoolean(false), json.path("prerelease").asBoolean(false), json.path("immutable").asBoolean(false),
                assets, json);
    }

    /** One asset of a release object or listing. */
    abstract ForgeAsset asset(JsonNode json);

    /** The release's assets as the forge lists them now. */
    abstract List<ForgeAsset> assets(ForgeRelease release);

    abstract void deleteAsset(ForgeRelease release, ForgeAsset asset);

    /**
     * Uploads {@code asset} into the draft, streamed and checked against its digest. An upload
     * the forge says is there already (the answer to an earlier attempt was lost) returns
     * normally: the next listing judges what arrived.
     */
    abstract void upload(ForgeRelease release, Asset asset, String what);

    /** The fields that publish {@code draft}: {@code draft: false} and the final tag, and whatever else the forge decides then. */
    abstract ObjectNode publishing(ReleaseDraft draft, List<ForgeRelease> all);

    /** The asset's bytes. */
    abstract InputStream download(ForgeAsset asset, String what) throws IOException;

    /** Refuses, before anything is written, a release the forge would store otherwise than given. */
    void check(ReleaseDraft draft, String body) {}

    /** Refuses, before anything is written, to replace a release the forge would not let go. */
    void checkReplaceable(ForgeRelease published, ReleaseDraft draft) {}

    // ---- the store ----------------------------------------------------------------------------------

    /**
     * The repository's {@code permissions.push} as the forge shows it to the token (GitHub's and
     * Gitea's {@code GET /repos/OWNER/REPO}); a forge that does not say is taken at its word later.
     */
    @Override
    public Optional<String> mayPublish() {
        return api.mayWrite(api.uri("/repos/" + repository), described -> described.path("permissions").path("push").asBoolean(true));
    }

    @Override
    public String describe() {
        return store;
    }

    @Override
    public String toString() {
        return describe();
    }

    @Override
    public Optional<ReleaseInfo> find(String name) {
        Objects.requireNonNull(name, "name");
        return current(releases()).stream().map(Current::info).filter(info -> info.name().equals(name)).findFirst();
    }

    /** {@code GET /repos/OWNER/REPO/releases/tags/TAG} (GitHub and Gitea): 404 when no release of the tag is published. */
    @Override
    public boolean hasRelease(String tag) {
        return api.found(releases("/tags/" + ForgeApi.pathOf(tag)), "read the release of tag " + tag)
                .filter(release -> !release.path("draft").asBoolean(false)).isPresent();
    }

    @Override
    public List<ReleaseInfo> list() {
        return current(releases()).stream().map(Current::info).sorted(ReleaseInfo.NEWEST_FIRST).toList();
    }

    @Override
    public InputStream openAsset(String release, String asset) throws IOException {
        Current found = current(releases()).stream().filter(c -> c.info().name().equals(release)).findFirst()
                .orElseThrow(() -> new FileNotFoundException(store + " has no release " + release));
        if (found.info().asset(asset).isEmpty()) {
            throw new FileNotFoundException(store + "/" + release + " has no asset " + asset);
        }
        ForgeAsset listed = found.release().assets().stream().filter(a -> a.name().equals(asset) && a.complete()).findFirst()
                .orElseThrow(() -> new FileNotFoundException(store + "/" + release + " has no asset " + asset));
        return download(listed, "download asset " + asset + " of release " + release);
    }

    @Override
    public void delete(String name) {
        Objects.requireNonNull(name, "name");
        List<ForgeRelease> doomed = new ArrayList<>();
        for (ForgeRelease release : releases()) {
            Optional<ReleaseInfo> claimed = release.recorded(store).claimed();
            if (claimed.isPresent() && claimed.get().name().equals(name)) {
                doomed.add(release);
            }
        }
        if (doomed.isEmpty()) {
            return;
        }
        api.requireToken("delete release " + name);
        // the published release first: readers stop seeing it at once; leftover drafts after
        doomed.sort((a, b) -> Boolean.compare(a.draft(), b.draft()));
        doomed.forEach(this::deleteRelease);
    }

    @Override
    public PublishResult publish(ReleaseDraft draft, ExistsPolicy policy) {
        Objects.requireNonNull(policy, "policy");
        ReleaseInfo wanted = draft.info();
        String body = ReleaseBody.render(draft.notes(), wanted);
        check(draft, body);
        api.requireToken("publish release " + draft.name());
        List<ForgeRelease> all = releases();
        Optional<ForgeRelease> published = all.stream().filter(r -> !r.draft() && r.tag().equals(draft.tag())).findFirst();
        List<ForgeRelease> drafts = all.stream().filter(ForgeRelease::draft)
                .filter(r -> r.recorded(store).claimed().filter(c -> c.tag().equals(draft.tag())).isPresent()).toList();
        Optional<ReleaseInfo> before = Optional.empty();
        if (published.isPresent()) {
            Recorded recorded = published.get().recorded(store);
            Optional<PublishResult> settled = recorded.unchangedOrRefused(store, published.get().title(), draft, wanted, policy);
            if (settled.isPresent()) {
                return settled.get();
            }
            if (draft.draft()) {
                throw new InvalidReleaseException(store + ": release " + draft.name() + " is published (tag " + draft.tag()
                        + "); a draft cannot replace it, since readers would lose the release until someone publishes the"
                        + " draft: publish it without draft, or delete the release first");
            }
            checkReplaceable(published.get(), draft);
            before = Optional.of(recorded.claimed().orElseGet(() -> foreign(published.get())));
        }
        String tagName = published.isPresent() ? draft.tag() + PROVISIONAL : draft.tag();
        if (published.isEmpty() && draft.draft() && drafts.size() == 1 && settled(drafts.get(0), draft, tagName, body)) {
            return new PublishResult(Outcome.UNCHANGED, drafts.get(0).recorded(store).confirmed().orElseThrow(), Optional.empty());
        }
        ForgeRelease target = takeUp(drafts, draft, tagName, body);
        boolean fresh = drafts.isEmpty();
        target = fill(target, fresh, draft, tagName, body);
        if (draft.draft()) {
            return new PublishResult(Outcome.CREATED, wanted, Optional.empty());
        }
        // From here on only two calls: readers see the old release until the first and the new one after the second.
        published.ifPresent(this::deleteRelease);
        edit(target, publishing(draft, all), "publish the draft of release " + draft.name());
        return before.isPresent() ? new PublishResult(Outcome.REPLACED, wanted, before)
                : new PublishResult(Outcome.CREATED, wanted, Optional.empty());
    }

    /**
     * The draft to fill: a draft of this release's tag left by an earlier run (the one already
     * carrying {@code tagName} if several are there; the others are deleted), else a new one.
     */
    private ForgeRelease takeUp(List<ForgeRelease> drafts, ReleaseDraft draft, String tagName, String body) {
        if (drafts.isEmpty()) {
            return create(draft, tagName, body);
        }
        ForgeRelease chosen = drafts.stream().filter(d -> d.tag().equals(tagName)).findFirst().orElse(drafts.get(0));
        drafts.stream().filter(d -> d != chosen).forEach(this::deleteRelease);
        return chosen;
    }

    /**
     * Lists the draft's assets and puts them right until the listing is exactly the release: an
     * asset is kept when it is complete, of the right size and digest (the forge's digest where
     * it keeps one, else the digest the draft's block records for it); every other one is
     * deleted; the draft's fields are set; the missing assets are uploaded; and the draft is
     * listed again. Deleting comes before the block is rewritten, so that the block never names
     * a digest for bytes that are not those: a run killed anywhere here leaves a draft the next
     * run can judge.
     */
    private ForgeRelease fill(ForgeRelease target, boolean fresh, ReleaseDraft draft, String tagName, String body) {
        Map<String, Asset> wanted = draft.assets().stream().collect(Collectors.toMap(Asset::name, Function.identity()));
        Map<String, Digest> recorded = fresh ? digests(draft.info().assets())
                : target.recorded(store).claimed().map(c -> digests(c.assets())).orElse(Map.of());
        for (int round = 1; ; round++) {
            List<ForgeAsset> present = fresh && round == 1 ? List.of() : assets(target);
            Set<String> kept = new HashSet<>();
            List<ForgeAsset> wrong = new ArrayList<>();
            for (ForgeAsset asset : present) {
                Asset want = wanted.get(asset.name());
                if (want != null && !kept.contains(asset.name()) && holds(asset, want, recorded.get(asset.name()))) {
                    kept.add(asset.name());
                } else {
                    wrong.add(asset);
                }
            }
            List<Asset> missing = draft.assets().stream().filter(a -> !kept.contains(a.name())).toList();
            boolean fieldsRight = settledFields(target, draft, tagName, body);
            if (wrong.isEmpty() && missing.isEmpty() && fieldsRight) {
                return target;
            }
            if (round > ROUNDS) {
                throw new ReleaseException(store + ": the draft of release " + draft.name() + " still differs after " + ROUNDS
                        + " rounds of uploads (wrong: " + wrong.stream().map(ForgeAsset::name).toList() + ", missing: "
                        + missing.stream().map(Asset::name).toList() + "); it stays an unpublished draft: publish again later");
            }
            for (ForgeAsset asset : wrong) {
                deleteAsset(target, asset);
            }
            if (!fieldsRight) {
                target = edit(target, draftFields(draft, tagName, body), "update the draft of release " + draft.name());
            }
            recorded = digests(draft.info().assets()); // the block now says what is being uploaded
            for (Asset asset : missing) {
                ForgeRelease into = target;
                try {
                    upload(into, asset, "upload asset " + asset.name() + " to the draft of release " + draft.name());
                } catch (HttpException e) {
                    throw e.source().map(source -> changed(asset, draft, source.getMessage(), e))
                            .orElseGet(() -> api.failure(e, "upload asset " + asset.name()));
                }
            }
        }
    }

    /** The error for an asset file that is not what the release says, found while it was sent. */
    private ReleaseException changed(Asset asset, ReleaseDraft draft, String found, Throwable cause) {
        return new ReleaseException("asset " + asset.name() + " of release " + draft.name() + ": " + found + "; the release says "
                + asset.digest() + " (" + asset.size() + " bytes), so it changed after it was built: build it again."
                + " Nothing was published to " + store + " (its draft stays unpublished)", cause);
    }

    /** Whether the listed asset is the wanted one; {@code recorded} is the digest the draft's block gives it. */
    private static boolean holds(ForgeAsset listed, Asset wanted, Digest recorded) {
        return listed.complete() && listed.size() == wanted.size()
                && listed.digest().map(wanted.digest()::equals).orElseGet(() -> wanted.digest().equals(recorded));
    }

    /** Whether a draft left as a draft on purpose is this release exactly: fields, block and assets. */
    private boolean settled(ForgeRelease existing, ReleaseDraft draft, String tagName, String body) {
        Recorded recorded = existing.recorded(store);
        Set<String> names = draft.assets().stream().map(Asset::name).collect(Collectors.toSet());
        return settledFields(existing, draft, tagName, body) && recorded.whole()
                && recorded.differences(existing.title(), draft.info(), draft.notes()).isEmpty()
                && existing.assets().stream().allMatch(a -> names.contains(a.name()))
                && existing.assets().size() == names.size();
    }

    /**
     * Whether the draft's fields are those of {@code draft}. Its tag may be the final or the
     * provisional one when it is to be published: publishing sets the final tag anyway.
     */
    private static boolean settledFields(ForgeRelease release, ReleaseDraft draft, String tagName, String body) {
        boolean tagRight = release.tag().equals(tagName)
                || !draft.draft() && (release.tag().equals(draft.tag()) || release.tag().equals(draft.tag() + PROVISIONAL));
        // a draft left by an earlier run may name another target (a commit its repository lacks): set the one asked for
        boolean targetRight = draft.target().map(t -> t.equals(release.raw().path("target_commitish").asText(t))).orElse(true);
        return release.draft() && tagRight && targetRight && release.title().equals(draft.name())
                && release.prerelease() == draft.prerelease()
                && Objects.equals(release.body() == null ? "" : release.body().replace("\r\n", "\n"), body);
    }

    /** The fields a draft of {@code draft} carries while it is filled. */
    static ObjectNode draftFields(ReleaseDraft draft, String tagName, String body) {
        ObjectNode fields = ForgeApi.JSON.createObjectNode()
                .put("tag_name", tagName)
                .put("name", draft.name())
                .put("body", body)
                .put("draft", true)
                .put("prerelease", draft.prerelease());
        draft.target().ifPresent(target -> fields.put("target_commitish", target)); // none: the repository's default branch
        return fields;
    }

    private static Map<String, Digest> digests(List<AssetInfo> assets) {
        Map<String, Digest> out = new LinkedHashMap<>();
        assets.forEach(a -> out.put(a.name(), a.digest()));
        return out;
    }

    /** A release not made by Cutter, as a PublishResult reports what it replaced. */
    private static ReleaseInfo foreign(ForgeRelease release) {
        return new ReleaseInfo(release.title(), "", "", "", release.tag(), Optional.empty(), Instant.EPOCH, List.of(),
                release.prerelease());
    }

    /** A release as readers see it: its forge release, and what its block records, checked. */
    private record Current(ForgeRelease release, Recorded recorded) {
        ReleaseInfo info() {
            return recorded.confirmed().orElseThrow();
        }
    }

    /**
     * What readers of the store see, tag by tag: the published release when there is one; else
     * a draft of Cutter's that the forge confirms whole (what {@code draft: true} leaves for a
     * person to publish). Drafts a killed run left half-filled are not releases, nor are releases
     * Cutter did not make.
     */
    private List<Current> current(List<ForgeRelease> all) {
        Set<String> publishedTags = all.stream().filter(r -> !r.draft()).map(ForgeRelease::tag).collect(Collectors.toSet());
        Map<String, Current> drafts = new HashMap<>();
        List<Current> out = new ArrayList<>();
        for (ForgeRelease release : all) {
            Recorded recorded = release.recorded(store);
            if (recorded.confirmed().isEmpty()) {
                continue;
            }
            if (!release.draft()) {
                out.add(new Current(release, recorded));
            } else if (recorded.whole() && !publishedTags.contains(recorded.claimed().get().tag())) {
                drafts.putIfAbsent(recorded.claimed().get().tag(), new Current(release, recorded));
            }
        }
        out.addAll(drafts.values());
        return out;
    }
}
