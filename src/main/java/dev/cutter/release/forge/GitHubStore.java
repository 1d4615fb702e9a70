package dev.cutter.release.forge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cutter.content.Digest;
import dev.cutter.http.FileBody;
import dev.cutter.release.Asset;
import dev.cutter.release.InvalidReleaseException;
import dev.cutter.release.ReleaseDraft;
import dev.cutter.release.ReleaseException;
import dev.cutter.release.ReleaseInfo;
import dev.cutter.version.LooseVersion;
import dev.cutter.version.SemVer;
import dev.cutter.version.Version;
import dev.cutter.version.VersionException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Releases of a GitHub repository ({@code github:OWNER/REPO}) through the REST API
 * (https://docs.github.com/en/rest/releases): a draft is created, every asset uploaded to the
 * draft's {@code upload_url}, the draft's asset list checked (names, sizes, {@code state} and
 * GitHub's {@code digest}), and the draft published in one PATCH — the order GitHub's immutable
 * releases need, since they refuse uploads once published. See the package documentation for
 * what readers see meanwhile and what a killed run leaves.
 *
 * <p>Publishing also decides GitHub's "Latest" badge ({@code make_latest}), which many install
 * scripts follow ({@code /releases/latest/download/…}): it moves only forward, to a stable version
 * at least as high as every other published one, as Cutter's floating tags do.
 */
public final class GitHubStore extends DraftingStore {
    /** GitHub renames asset files with other characters, which would break the check against what was published. */
    private static final Pattern ASSET_NAME = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._+-]*(?<!\\.)");
    /** GitHub refuses longer release bodies. */
    static final int MAX_BODY = 125_000;

    GitHubStore(String repository, ForgeApi api) {
        super("github:" + repository, repository, api);
    }

    @Override
    void check(ReleaseDraft draft, String body) {
        for (Asset asset : draft.assets()) {
            if (!ASSET_NAME.matcher(asset.name()).matches()) {
                throw new InvalidReleaseException(store + ": asset " + asset.name() + " of release " + draft.name() + " has a name"
                        + " GitHub would change (it keeps letters, digits, '.', '-', '_' and '+', and no leading or trailing"
                        + " '.'); rename the asset");
            }
        }
        if (body.length() > MAX_BODY) {
            throw new InvalidReleaseException(store + ": the notes of release " + draft.name() + " are " + draft.notes().length()
                    + " characters; with Cutter's metadata the body would be " + body.length() + ", more than the " + MAX_BODY
                    + " GitHub keeps: shorten the notes");
        }
    }

    @Override
    void checkReplaceable(ForgeRelease published, ReleaseDraft draft) {
        if (published.immutable()) {
            throw new ReleaseException(store + ": release " + draft.name() + " (tag " + draft.tag() + ") is an immutable GitHub"
                    + " release: its assets can never change, and once it is deleted its tag can never be used by a release"
                    + " again, so it cannot be replaced. Nothing was changed. For a rolling channel, turn immutable releases off"
                    + " for " + repository + " (Settings → General → Releases), or give each build its own tag");
        }
    }

    @Override
    List<ForgeRelease> releases() {
        return api.pages(releases("?per_page=100"), "list the releases").stream().map(this::release).toList();
    }

    @Override
    List<ForgeAsset> assets(ForgeRelease release) {
        return api.pages(releases("/" + release.id() + "/assets?per_page=100"), "list the assets of release " + release.title())
                .stream().map(this::asset).toList();
    }

    @Override
    void deleteAsset(ForgeRelease release, ForgeAsset asset) {
        api.delete(releases("/assets/" + asset.id()), "delete asset " + asset.name() + " of the draft of release " + release.title());
    }

    /**
     * POST to the release's {@code upload_url} (a URI template, {@code …/assets{?name,label}}) with
     * the asset's media type and length, streamed from its file. A 422 {@code already_exists}
     * means an earlier attempt arrived although its answer was lost: the next listing judges it.
     */
    @Override
    void upload(ForgeRelease release, Asset asset, String what) {
        String template = release.raw().path("upload_url").asText("");
        if (template.isEmpty()) {
            throw new ReleaseException(store + ": could not " + what + ": GitHub gave the draft no upload_url");
        }
        URI uri = api.link(template.replaceFirst("\\{[^}]*}$", "") + "?name=" + URLEncoder.encode(asset.name(), StandardCharsets.UTF_8),
                "an upload_url");
        HttpResponse<InputStream> response = api.send("POST", uri, FileBody.of(asset.source(), asset.size(), asset.digest()),
                mediaType(asset.name()), uploadTimeout(asset.size()), what);
        if (response.statusCode() == 422) {
            ReleaseException refused = api.failure(api.sender().failure(response), what);
            if (refused.getMessage().contains("already_exists")) {
                return;
            }
            throw refused;
        }
        ForgeAsset stored = asset(api.json(api.expect(response, what, 201), what));
        if (!stored.name().equals(asset.name())) {
            deleteAsset(release, stored);
            throw new InvalidReleaseException(store + ": GitHub stored asset " + asset.name() + " of release " + release.title()
                    + " as " + stored.name() + ", so readers would not find it by its name; rename the asset (letters,"
                    + " digits, '.', '-' and '_' are kept)");
        }
    }

    @Override
    ObjectNode publishing(ReleaseDraft draft, List<ForgeRelease> all) {
        return ForgeApi.JSON.createObjectNode().put("draft", false).put("tag_name", draft.tag())
                .put("make_latest", latest(draft, all) ? "true" : "false");
    }

    /**
     * Whether the release becomes GitHub's "Latest": a stable version at least as high as every
     * other published stable release (their recorded version, or the tag without a leading
     * {@code v} for releases Cutter did not make; versions that do not parse do not count).
     */
    boolean latest(ReleaseDraft draft, List<ForgeRelease> all) {
        Optional<Version> mine = parse(draft.version());
        if (draft.prerelease() || mine.isEmpty()) {
            return false;
        }
        for (ForgeRelease other : all) {
            if (other.draft() || other.prerelease() || other.tag().equals(draft.tag())) {
                continue;
            }
            String version = other.recorded(store).claimed().map(ReleaseInfo::version)
                    .orElse(other.tag().startsWith("v") ? other.tag().substring(1) : other.tag());
            if (parse(version).filter(v -> v.compareTo(mine.get()) > 0).isPresent()) {
                return false;
            }
        }
        return true;
    }

    private static Optional<Version> parse(String version) {
        try {
            return Optional.of(SemVer.parse(version));
        } catch (VersionException notSemver) {
            try {
                return Optional.of(LooseVersion.parse(version));
            } catch (VersionException notLoose) {
                return Optional.empty();
            }
        }
    }

    /** GET the asset's API URL with {@code Accept: application/octet-stream}: the bytes, or a redirect to storage. */
    @Override
    InputStream download(ForgeAsset asset, String what) throws IOException {
        return api.download(asset.download(), "application/octet-stream", what);
    }

    /**
     * A release asset (https://docs.github.com/en/rest/releases/assets): {@code {"id", "url",
     * "name", "size", "state": "uploaded"|"open"|"starter", "digest": "sha256:…"|null}}.
     */
    @Override
    ForgeAsset asset(JsonNode json) {
        Optional<Digest> digest = Optional.of(json.path("digest").asText("")).filter(d -> d.startsWith("sha256:"))
                .flatMap(GitHubStore::digest);
        return new ForgeAsset(json.path("id").asText(), json.path("name").asText(), json.path("size").asLong(-1), digest,
                json.path("state").asText("uploaded").equals("uploaded"), api.link(json.path("url").asText(), "an asset's url"));
    }

    private static Optional<Digest> digest(String text) {
        try {
            return Optional.of(Digest.parse(text));
        } catch (IllegalArgumentException e) {
            return Optional.empty(); // a digest we cannot read confirms nothing
        }
    }

    /** Ten minutes, plus a second for every 256 KiB: an upload that slow is stalled. */
    static Duration uploadTimeout(long size) {
        return Duration.ofMinutes(10).plusSeconds(size / (256 * 1024));
    }

    /** The media type GitHub serves the asset with. */
    static String mediaType(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".tar.gz") || lower.endsWith(".tgz") || lower.endsWith(".gz")) {
            return "application/gzip";
        }
        if (lower.endsWith(".zip")) {
            return "application/zip";
        }
        if (lower.endsWith(".asc") || lower.endsWith(".sig")) {
            return "application/pgp-signature";
        }
        if (lower.endsWith(".txt") || lower.endsWith("sums") || lower.endsWith(".sha256")) {
            return "text/plain";
        }
        if (lower.endsWith(".json")) {
            return "application/json";
        }
        if (lower.endsWith(".deb")) {
            return "application/vnd.debian.binary-package";
        }
        if (lower.endsWith(".rpm")) {
            return "application/x-rpm";
        }
        if (lower.endsWith(".zst")) {
            return "application/zstd";
        }
        return "application/octet-stream";
    }
}
