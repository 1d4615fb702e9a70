package dev.cutter.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cutter.content.Digest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A local FAKE of GitHub's release API (not GitHub: it cannot be reached from here), for one
 * repository, written from https://docs.github.com/en/rest/releases/releases and
 * https://docs.github.com/en/rest/releases/assets. It holds releases, drafts and assets and
 * enforces what GitHub does that a store depends on:
 *
 * <ul>
 *   <li>tokens: {@code Authorization: Bearer T} (or {@code token T}); an unknown one is 401
 *       {@code {"message":"Bad credentials"}}; a write without one is 401
 *       {@code {"message":"Requires authentication"}}; a read-only one is 403
 *       {@code {"message":"Resource not accessible by personal access token"}} with
 *       {@code X-Accepted-GitHub-Permissions: contents=write}. Drafts are listed only to writers.
 *   <li>one published release per tag: creating or publishing another is 422
 *       {@code {"message":"Validation Failed","errors":[{"resource":"Release","code":"already_exists","field":"tag_name"}]}};
 *       drafts may share a tag.
 *   <li>one asset per name in a release, whatever its state: 422
 *       {@code {"errors":[{"resource":"ReleaseAsset","code":"already_exists","field":"name"}]}}.
 *       An upload whose body breaks off leaves an asset in state {@code starter} (as GitHub
 *       documents for upstream failures), which must be deleted before the name is used again.
 *   <li>immutable releases ({@link #immutableReleases}): a published release is
 *       {@code "immutable": true}; uploading to it is 422 {@code "Cannot upload assets to an immutable release."},
 *       deleting its assets or moving its tag is 422; once deleted, its tag can never be used by a
 *       published release again ({@code "tag_name was used by an immutable release"}).
 *   <li>a {@code target_commitish} the repository does not have (not its default branch, a tag or
 *       a commit it holds: see {@link #standAlone}) is 422
 *       {@code {"message":"Validation Failed","errors":[{"resource":"Release","code":"invalid","field":"target_commitish"}]}},
 *       on creation and on edit, drafts included; without one, a release's tag is made from the
 *       default branch.
 *   <li>pagination with {@code per_page} (default 30, at most 100) and {@code page}, {@code Link} headers.
 *   <li>asset downloads: {@code GET /repos/O/R/releases/assets/ID} with {@code Accept: application/octet-stream}
 *       redirects (302) to a storage URL on another host, which refuses a request that carries
 *       an Authorization header besides its signature (as S3 does).
 * </ul>
 *
 * Release JSON: {@code {"url","html_url","assets_url","upload_url":"…/assets{?name,label}","id","tag_name",
 * "target_commitish","name","body","draft","prerelease","immutable","created_at","published_at","assets":[…]}};
 * asset JSON: {@code {"url","browser_download_url","id","name","label","state","content_type","size","digest":"sha256:…","created_at"}}.
 */
public final class FakeGitHub extends FakeForge {
    private static final Pattern REPO = Pattern.compile("/repos/([^/]+)/([^/]+)(/.*)?");

    /** A release as the fake keeps it. */
    public static final class Release {
        public final long id;
        public String tag;
        public String name;
        public String body;
        public String target;
        public boolean draft;
        public boolean prerelease;
        public boolean immutable;
        public String makeLatest;
        public final Instant created;
        public final List<Asset> assets = new ArrayList<>();

        Release(long id, Instant created) {
            this.id = id;
            this.created = created;
        }
    }

    /** An asset as the fake keeps it. */
    public static final class Asset {
        public final long id;
        public final String name;
        public final String contentType;
        public String state = "starter";
        public long size;
        public String digest;
        public byte[] bytes = new byte[0];

        Asset(long id, String name, String contentType) {
            this.id = id;
            this.name = name;
            this.contentType = contentType;
        }
    }

    private final String owner;
    private final String repo;
    private final Map<Long, Release> releases = new LinkedHashMap<>();
    private final Set<String> burnedTags = new HashSet<>();
    private final AtomicLong ids = new AtomicLong(1000);
    private volatile boolean immutableReleases;
    private Instant clock = Instant.parse("2025-05-01T12:00:00Z");

    public FakeGitHub(String repository) {
        String[] parts = repository.split("/");
        this.owner = parts[0];
        this.repo = parts[1];
    }

    /** Turns GitHub's immutable releases on for the repository: releases published from now on are immutable. */
    public FakeGitHub immutableReleases(boolean on) {
        this.immutableReleases = on;
        return this;
    }

    /** The releases, drafts included, newest first. */
    public synchronized List<Release> releases() {
        return releases.values().stream().sorted(Comparator.comparing((Release r) -> r.created).reversed()).toList();
    }

    /** The published release of {@code tag}. */
    public synchronized Optional<Release> published(String tag) {
        return releases.values().stream().filter(r -> !r.draft && r.tag.equals(tag)).findFirst();
    }

    /** Adds a published release as a person would make it on the web, with assets of the given content. */
    public synchronized Release publishByHand(String tag, String name, String body, Map<String, byte[]> assets) {
        Release release = new Release(ids.incrementAndGet(), tick());
        release.tag = tag;
        release.name = name;
        release.body = body;
        release.immutable = immutableReleases;
        assets.forEach((file, bytes) -> {
            Asset asset = new Asset(ids.incrementAndGet(), file, "application/octet-stream");
            complete(asset, bytes);
            release.assets.add(asset);
        });
        releases.put(release.id, release);
        return release;
    }

    @Override
    protected Optional<String> token(Map<String, String> headers) {
        return authorization(headers);
    }

    @Override
    protected boolean open(String path) {
        return path.startsWith("/storage/");
    }

    @Override
    protected Reply badCredentials() {
        return Reply.json(401, error("Bad credentials"));
    }

    @Override
    protected Reply notFound() {
        return Reply.json(404, error("Not Found"));
    }

    /**
     * {@code GET /repos/OWNER/REPO} as GitHub answers it (REST "Get a repository"): the
     * {@code permissions} object (admin, maintain, push, triage, pull) only when a token was sent.
     */
    private JsonNode repository(Call call) {
        var node = JSON.createObjectNode().put("id", 1).put("name", repo).put("full_name", owner + "/" + repo)
                .put("private", false).put("default_branch", "main");
        call.access().ifPresent(access -> node.putObject("permissions").put("admin", false).put("maintain", false)
                .put("push", access == Access.WRITE).put("triage", access == Access.WRITE).put("pull", true));
        return node;
    }

    @Override
    protected synchronized Reply handle(Call call) {
        String path = call.path();
        if (path.startsWith("/storage/")) {
            return storage(call);
        }
        boolean upload = path.startsWith("/uploads/");
        Matcher m = REPO.matcher(upload ? path.substring("/uploads".length()) : path);
        if (!m.matches() || !m.group(1).equals(owner) || !m.group(2).equals(repo)) {
            throw new Refusal(notFound());
        }
        String rest = m.group(3) == null ? "" : m.group(3);
        if (upload) {
            Matcher u = Pattern.compile("/releases/(\\d+)/assets").matcher(rest);
            if (!u.matches() || !call.method().equals("POST")) {
                throw new Refusal(notFound());
            }
            return upload(call, release(call, u.group(1)));
        }
        if (rest.isEmpty() && call.method().equals("GET")) {
            return Reply.json(200, repository(call));
        }
        if (pulls != null && FakePulls.serves(rest)) {
            return pulls.github(this, call, rest, owner);
        }
        if (rest.equals("/releases")) {
            return switch (call.method()) {
                case "GET" -> page(call, visible(call).stream().map(this::json).toList(), "per_page", 30, 100);
                case "POST" -> create(call);
                default -> throw new Refusal(notFound());
            };
        }
        if (rest.startsWith("/releases/tags/")) {
            String tag = rest.substring("/releases/tags/".length());
            return Reply.json(200, json(published(tag).orElseThrow(() -> new Refusal(notFound()))));
        }
        Matcher asset = Pattern.compile("/releases/assets/(\\d+)").matcher(rest);
        if (asset.matches()) {
            return asset(call, Long.parseLong(asset.group(1)));
        }
        Matcher assets = Pattern.compile("/releases/(\\d+)/assets").matcher(rest);
        if (assets.matches() && call.method().equals("GET")) {
            Release release = release(call, assets.group(1));
            return page(call, release.assets.stream().map(a -> (JsonNode) json(a)).toList(), "per_page", 30, 100);
        }
        Matcher one = Pattern.compile("/releases/(\\d+)").matcher(rest);
        if (one.matches()) {
            Release release = release(call, one.group(1));
            return switch (call.method()) {
                case "GET" -> Reply.json(200, json(release));
                case "PATCH" -> edit(call, release);
                case "DELETE" -> {
                    write(call);
                    releases.remove(release.id);
                    if (release.immutable) {
                        burnedTags.add(release.tag);
                    }
                    yield Reply.empty(204);
                }
                default -> throw new Refusal(notFound());
            };
        }
        throw new Refusal(notFound());
    }

    private List<Release> visible(Call call) {
        return releases().stream().filter(r -> !r.draft || call.canWrite()).toList();
    }

    private Release release(Call call, String id) {
        Release release = releases.get(Long.parseLong(id));
        if (release == null || release.draft && !call.canWrite()) {
            throw new Refusal(notFound());
        }
        return release;
    }

    private void write(Call call) {
        if (call.access().isEmpty()) {
            throw new Refusal(401, error("Requires authentication"));
        }
        if (!call.canWrite()) {
            throw new Refusal(Reply.json(403, error("Resource not accessible by personal access token"))
                    .with("X-Accepted-GitHub-Permissions", "contents=write"));
        }
    }

    /** POST /repos/O/R/releases {"tag_name", "target_commitish", "name", "body", "draft", "prerelease", "make_latest"} → 201. */
    private Reply create(Call call) {
        write(call);
        JsonNode body = call.json();
        String tag = body.path("tag_name").asText("");
        if (tag.isEmpty()) {
            throw new Refusal(422, validation("Release", "missing_field", "tag_name"));
        }
        boolean draft = body.path("draft").asBoolean(false);
        if (!draft) {
            checkPublishable(tag, -1);
        }
        Release release = new Release(ids.incrementAndGet(), tick());
        release.tag = tag;
        release.name = body.path("name").asText(tag);
        release.body = body.path("body").asText("");
        release.target = target(body, defaultBranch);
        release.draft = draft;
        release.prerelease = body.path("prerelease").asBoolean(false);
        release.immutable = !draft && immutableReleases;
        release.makeLatest = body.path("make_latest").asText(draft ? null : "true");
        releases.put(release.id, release);
        return Reply.json(201, json(release));
    }

    /** PATCH /repos/O/R/releases/ID: the same fields as creation. */
    private Reply edit(Call call, Release release) {
        write(call);
        JsonNode body = call.json();
        String tag = body.path("tag_name").asText(release.tag);
        boolean draft = body.path("draft").asBoolean(release.draft);
        if (release.immutable && !tag.equals(release.tag)) {
            throw new Refusal(422, validation("Release", "custom", "tag_name").put("message", "Validation Failed: an immutable release's tag cannot change"));
        }
        if (!draft) {
            checkPublishable(tag, release.id);
        }
        if (release.draft && !draft) {
            release.immutable = immutableReleases;
            release.makeLatest = body.path("make_latest").asText("true");
        }
        release.tag = tag;
        release.draft = draft;
        release.name = body.path("name").asText(release.name);
        release.body = body.path("body").asText(release.body);
        release.prerelease = body.path("prerelease").asBoolean(release.prerelease);
        release.target = target(body, release.target);
        return Reply.json(200, json(release));
    }

    /** The release's {@code target_commitish}, refused as GitHub does when the repository lacks it. */
    private String target(JsonNode body, String otherwise) {
        String target = body.path("target_commitish").asText(otherwise);
        java.util.Set<String> tags = releases.values().stream().filter(r -> !r.draft).map(r -> r.tag).collect(java.util.stream.Collectors.toSet());
        if (!has(target, tags)) {
            throw new Refusal(422, validation("Release", "invalid", "target_commitish"));
        }
        return target;
    }

    private void checkPublishable(String tag, long self) {
        if (burnedTags.contains(tag)) {
            throw new Refusal(422, validation("Release", "custom", "tag_name").put("message", "Validation Failed")
                    .set("errors", JSON.createArrayNode().add(JSON.createObjectNode().put("resource", "Release").put("code", "custom")
                            .put("field", "tag_name").put("message", "tag_name was used by an immutable release"))));
        }
        if (releases.values().stream().anyMatch(r -> !r.draft && r.tag.equals(tag) && r.id != self)) {
            throw new Refusal(422, validation("Release", "already_exists", "tag_name"));
        }
    }

    /** POST {upload_url}?name=NAME with the raw bytes, Content-Type and Content-Length → 201 asset. */
    private Reply upload(Call call, Release release) {
        write(call);
        String name = call.query().getOrDefault("name", "");
        if (release.immutable) {
            throw new Refusal(422, error("Cannot upload assets to an immutable release."));
        }
        if (call.header("content-type") == null) {
            throw new Refusal(422, error("Content-Type header is required"));
        }
        if (name.isEmpty() || release.assets.stream().anyMatch(a -> a.name.equals(name))) {
            throw new Refusal(422, validation("ReleaseAsset", "already_exists", "name"));
        }
        Asset asset = new Asset(ids.incrementAndGet(), name, call.header("content-type"));
        release.assets.add(asset);
        if (!call.bodyComplete()) {
            throw new Dropped("the upload broke off; the asset stays in state starter");
        }
        complete(asset, call.body());
        return Reply.json(201, json(asset));
    }

    private static void complete(Asset asset, byte[] bytes) {
        asset.bytes = bytes;
        asset.size = bytes.length;
        asset.digest = Digest.sha256(bytes).toString();
        asset.state = "uploaded";
    }

    private Reply asset(Call call, long id) {
        Release release = releases.values().stream().filter(r -> r.assets.stream().anyMatch(a -> a.id == id)).findFirst()
                .filter(r -> !r.draft || call.canWrite()).orElseThrow(() -> new Refusal(notFound()));
        Asset asset = release.assets.stream().filter(a -> a.id == id).findFirst().orElseThrow();
        return switch (call.method()) {
            case "GET" -> "application/octet-stream".equals(call.header("accept"))
                    ? Reply.empty(302).with("Location", otherHostUrl() + "/storage/" + id + "?X-Amz-Signature=f4k3")
                    : Reply.json(200, json(asset));
            case "DELETE" -> {
                write(call);
                if (release.immutable) {
                    throw new Refusal(422, error("Cannot delete asset from an immutable release."));
                }
                release.assets.remove(asset);
                yield Reply.empty(204);
            }
            default -> throw new Refusal(notFound());
        };
    }

    /** The storage host behind the redirect: a signed URL, and no Authorization header besides. */
    private Reply storage(Call call) {
        if (call.header("authorization") != null) {
            throw new Refusal(Reply.json(400, error("Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter,"
                    + " Signature query string parameter or the Authorization header should be specified")));
        }
        long id = Long.parseLong(call.path().substring("/storage/".length()));
        Asset asset = releases.values().stream().flatMap(r -> r.assets.stream()).filter(a -> a.id == id).findFirst()
                .orElseThrow(() -> new Refusal(notFound()));
        return new Reply(200, Map.of("Content-Type", asset.contentType), asset.bytes);
    }

    private ObjectNode json(Release release) {
        String api = url() + "/repos/" + owner + "/" + repo;
        ObjectNode json = JSON.createObjectNode()
                .put("url", api + "/releases/" + release.id)
                .put("html_url", "https://github.com/" + owner + "/" + repo + "/releases/tag/" + release.tag)
                .put("assets_url", api + "/releases/" + release.id + "/assets")
                .put("upload_url", url() + "/uploads/repos/" + owner + "/" + repo + "/releases/" + release.id + "/assets{?name,label}")
                .put("id", release.id)
                .put("tag_name", release.tag)
                .put("target_commitish", release.target)
                .put("name", release.name)
                .put("body", release.body)
                .put("draft", release.draft)
                .put("prerelease", release.prerelease)
                .put("immutable", release.immutable)
                .put("created_at", release.created.toString());
        if (release.draft) {
            json.putNull("published_at");
        } else {
            json.put("published_at", release.created.toString());
        }
        ArrayNode assets = json.putArray("assets");
        release.assets.forEach(a -> assets.add(json(a)));
        return json;
    }

    private ObjectNode json(Asset asset) {
        return JSON.createObjectNode()
                .put("url", url() + "/repos/" + owner + "/" + repo + "/releases/assets/" + asset.id)
                .put("browser_download_url", "https://github.com/" + owner + "/" + repo + "/releases/download/x/" + asset.name)
                .put("id", asset.id)
                .put("name", asset.name)
                .putNull("label")
                .put("state", asset.state)
                .put("content_type", asset.contentType)
                .put("size", asset.size)
                .put("digest", asset.state.equals("uploaded") ? asset.digest : null)
                .put("created_at", "2025-05-01T12:00:00Z");
    }

    private Instant tick() {
        clock = clock.plusSeconds(1);
        return clock;
    }

    private static ObjectNode error(String message) {
        return JSON.createObjectNode().put("message", message).put("documentation_url", "https://docs.github.com/rest/releases");
    }

    private static ObjectNode validation(String resource, String code, String field) {
        ObjectNode json = error("Validation Failed");
        json.putArray("errors").addObject().put("resource", resource).put("code", code).put("field", field);
        return json;
    }
}
