package dev.cutter.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A local FAKE of Gitea's release API (not Gitea: no instance can be run here), for one
 * repository, written from https://gitea.com/api/swagger ({@code /repos/{owner}/{repo}/releases},
 * {@code /releases/{id}}, {@code /releases/tags/{tag}}, {@code /releases/{id}/assets}) and the
 * behaviour of Gitea's release service. It enforces:
 *
 * <ul>
 *   <li>tokens: {@code Authorization: token T}; an unknown one is 401 {@code {"message":"invalid token"}};
 *       writes need a token with {@code write:repository}, else 403
 *       {@code {"message":"token does not have at least one of required scope(s): [write:repository]"}}.
 *       Drafts are listed only to writers.
 *   <li>one release per tag, drafts included (Gitea's release table is unique on repository and
 *       tag): creating or retagging onto a taken tag is 409 {@code {"message":"release tag already exist [tag_name: T]"}},
 *       the text of Gitea's {@code ErrReleaseAlreadyExist}.
 *   <li>attachments: {@code POST /releases/{id}/assets?name=NAME}, {@code multipart/form-data}
 *       with the file in the part {@code attachment}; one that breaks off is not kept.
 *       Gitea does not refuse two attachments of one name.
 *   <li>a target the repository does not have (not its default branch, a tag or a commit it holds:
 *       see {@link #standAlone}) is found when the tag is made, which a draft puts off: creating a
 *       published release with it is 404 {@code {"message":"target \"REF\" not found: …"}}, and
 *       publishing a draft with it is 500, as Gitea's {@code EditRelease} answers every error of
 *       {@code UpdateRelease} (routers/api/v1/repo/release.go); without one, the default branch.
 *   <li>pagination with {@code page} and {@code limit} (at most 50), {@code Link} and {@code X-Total-Count}.
 * </ul>
 *
 * Release JSON: {@code {"id","tag_name","target_commitish","name","body","url","html_url","upload_url",
 * "draft","prerelease","created_at","published_at","assets":[…]}}; attachment JSON:
 * {@code {"id","name","size","download_count","created_at","uuid","browser_download_url"}}, the
 * download URL being {@code /attachments/{uuid}}.
 */
public final class FakeGitea extends FakeForge {
    private static final Pattern REPO = Pattern.compile("/api/v1/repos/([^/]+)/([^/]+)(/.*)?");

    /** A release as the fake keeps it. */
    public static final class Release {
        public final long id;
        public String tag;
        public String name;
        public String body;
        public String target;
        public boolean draft;
        public boolean prerelease;
        public final Instant created;
        public final List<Attachment> assets = new ArrayList<>();

        Release(long id, Instant created) {
            this.id = id;
            this.created = created;
        }
    }

    public record Attachment(long id, String uuid, String name, byte[] bytes) {}

    private final String owner;
    private final String repo;
    private final Map<Long, Release> releases = new LinkedHashMap<>();
    private final AtomicLong ids = new AtomicLong(10);
    private Instant clock = Instant.parse("2025-05-01T12:00:00Z");

    public FakeGitea(String repository) {
        String[] parts = repository.split("/");
        this.owner = parts[0];
        this.repo = parts[1];
    }

    public synchronized List<Release> releases() {
        return releases.values().stream().sorted(Comparator.comparing((Release r) -> r.created).reversed()).toList();
    }

    public synchronized Optional<Release> published(String tag) {
        return releases.values().stream().filter(r -> !r.draft && r.tag.equals(tag)).findFirst();
    }

    public synchronized Release publishByHand(String tag, String name, String body) {
        return makeByHand(tag, name, body, false);
    }

    /** A draft as a person would start one on the web, without Cutter's block. */
    public synchronized Release draftByHand(String tag, String name, String body) {
        return makeByHand(tag, name, body, true);
    }

    private Release makeByHand(String tag, String name, String body, boolean draft) {
        Release release = new Release(ids.incrementAndGet(), tick());
        release.draft = draft;
        release.tag = tag;
        release.name = name;
        release.body = body;
        releases.put(release.id, release);
        return release;
    }

    @Override
    protected Optional<String> token(Map<String, String> headers) {
        return authorization(headers);
    }

    @Override
    protected Reply badCredentials() {
        return Reply.json(401, error("invalid token"));
    }

    @Override
    protected Reply notFound() {
        return Reply.json(404, error("The target couldn't be found."));
    }

    @Override
    protected synchronized Reply handle(Call call) {
        if (call.path().startsWith("/attachments/")) {
            String uuid = call.path().substring("/attachments/".length());
            return releases.values().stream().filter(r -> !r.draft || call.canWrite()).flatMap(r -> r.assets.stream())
                    .filter(a -> a.uuid().equals(uuid)).findFirst()
                    .map(a -> new Reply(200, Map.of("Content-Type", "application/octet-stream"), a.bytes()))
                    .orElseThrow(() -> new Refusal(notFound()));
        }
        Matcher m = REPO.matcher(call.path());
        if (!m.matches() || !m.group(1).equals(owner) || !m.group(2).equals(repo)) {
            throw new Refusal(notFound());
        }
        String rest = m.group(3) == null ? "" : m.group(3);
        if (rest.isEmpty() && call.method().equals("GET")) {
            // Gitea's "Get a repository": permissions (admin, push, pull) as the caller has them
            var node = JSON.createObjectNode().put("id", 1).put("name", repo).put("full_name", owner + "/" + repo)
                    .put("default_branch", "main");
            node.putObject("permissions").put("admin", false).put("push", call.canWrite()).put("pull", true);
            return Reply.json(200, node);
        }
        if (pulls != null && FakePulls.serves(rest)) {
            return pulls.gitea(this, call, rest, owner);
        }
        if (rest.equals("/releases")) {
            return switch (call.method()) {
                case "GET" -> page(call, releases().stream().filter(r -> !r.draft || call.canWrite()).map(r -> (JsonNode) json(r)).toList(),
                        "limit", 30, 50);
                case "POST" -> create(call);
                default -> throw new Refusal(notFound());
            };
        }
        if (rest.startsWith("/releases/tags/")) {
            String tag = rest.substring("/releases/tags/".length());
            return Reply.json(200, json(published(tag).orElseThrow(() -> new Refusal(notFound()))));
        }
        Matcher attachment = Pattern.compile("/releases/(\\d+)/assets/(\\d+)").matcher(rest);
        if (attachment.matches() && call.method().equals("DELETE")) {
            write(call);
            Release release = release(call, attachment.group(1));
            long id = Long.parseLong(attachment.group(2));
            if (!release.assets.removeIf(a -> a.id() == id)) {
                throw new Refusal(notFound());
            }
            return Reply.empty(204);
        }
        Matcher assets = Pattern.compile("/releases/(\\d+)/assets").matcher(rest);
        if (assets.matches()) {
            Release release = release(call, assets.group(1));
            return switch (call.method()) {
                case "GET" -> {
                    ArrayNode list = JSON.createArrayNode();
                    release.assets.forEach(a -> list.add(json(a)));
                    yield Reply.json(200, list);
                }
                case "POST" -> upload(call, release);
                default -> throw new Refusal(notFound());
            };
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
                    yield Reply.empty(204);
                }
                default -> throw new Refusal(notFound());
            };
        }
        throw new Refusal(notFound());
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
            throw new Refusal(401, error("token is required"));
        }
        if (!call.canWrite()) {
            throw new Refusal(403, error("token does not have at least one of required scope(s): [write:repository]"));
        }
    }

    /** POST /releases {"tag_name","target_commitish","name","body","draft","prerelease"} → 201. */
    private Reply create(Call call) {
        write(call);
        JsonNode body = call.json();
        String tag = body.path("tag_name").asText("");
        if (tag.isEmpty()) {
            throw new Refusal(422, error("[TagName]: Required"));
        }
        checkTag(tag, -1);
        Release release = new Release(ids.incrementAndGet(), tick());
        release.tag = tag;
        release.name = body.path("name").asText(tag);
        release.body = body.path("body").asText("");
        release.target = body.path("target_commitish").asText(defaultBranch);
        release.draft = body.path("draft").asBoolean(false);
        if (!release.draft && !has(release.target, publishedTags())) {
            throw new Refusal(404, error("target \"" + release.target + "\" not found: object does not exist [id: " + release.target
                    + ", rel_path: ]"));
        }
        release.prerelease = body.path("prerelease").asBoolean(false);
        releases.put(release.id, release);
        return Reply.json(201, json(release));
    }

    /** PATCH /releases/{id} with EditReleaseOption {"tag_name","target_commitish","name","body","draft","prerelease"} → 200. */
    private Reply edit(Call call, Release release) {
        write(call);
        JsonNode body = call.json();
        String tag = body.path("tag_name").asText(release.tag);
        checkTag(tag, release.id);
        String target = body.path("target_commitish").asText(release.target);
        boolean draft = body.path("draft").asBoolean(release.draft);
        if (!draft && !publishedTags().contains(tag) && !has(target, publishedTags())) {
            throw new Refusal(500, error("object does not exist [id: " + target + ", rel_path: ]"));
        }
        release.tag = tag;
        release.name = body.path("name").asText(release.name);
        release.body = body.path("body").asText(release.body);
        release.target = target;
        release.draft = draft;
        release.prerelease = body.path("prerelease").asBoolean(release.prerelease);
        return Reply.json(200, json(release));
    }

    private java.util.Set<String> publishedTags() {
        return releases.values().stream().filter(r -> !r.draft).map(r -> r.tag).collect(java.util.stream.Collectors.toSet());
    }

    private void checkTag(String tag, long self) {
        if (releases.values().stream().anyMatch(r -> r.tag.equals(tag) && r.id != self)) {
            throw new Refusal(409, error("release tag already exist [tag_name: " + tag + "]"));
        }
    }

    /** POST /releases/{id}/assets?name=NAME, multipart/form-data, the file in the part "attachment" → 201 attachment. */
    private Reply upload(Call call, Release release) {
        write(call);
        if (!call.bodyComplete()) {
            throw new Dropped("the upload broke off; Gitea keeps no attachment");
        }
        String type = call.header("content-type");
        Matcher boundary = Pattern.compile("boundary=\"?([^\";]+)\"?").matcher(type == null ? "" : type);
        if (type == null || !type.startsWith("multipart/form-data") || !boundary.find()) {
            throw new Refusal(400, error("the request is not multipart/form-data"));
        }
        byte[] file = part(call.body(), boundary.group(1), "attachment");
        String name = call.query().getOrDefault("name", "");
        Attachment attachment = new Attachment(ids.incrementAndGet(), UUID.randomUUID().toString(), name, file);
        release.assets.add(attachment);
        return Reply.json(201, json(attachment));
    }

    /** The content of the multipart part called {@code name}. */
    private static byte[] part(byte[] body, String boundary, String name) {
        byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        String text = new String(body, StandardCharsets.ISO_8859_1);
        String head = "name=\"" + name + "\"";
        int at = text.indexOf(head);
        if (at < 0) {
            throw new Refusal(400, error("no part " + name));
        }
        int start = text.indexOf("\r\n\r\n", at) + 4;
        int end = text.indexOf("\r\n" + new String(delimiter, StandardCharsets.ISO_8859_1), start);
        if (start < 4 || end < 0) {
            throw new Refusal(400, error("the part " + name + " is not closed"));
        }
        return Arrays.copyOfRange(body, start, end);
    }

    private ObjectNode json(Release release) {
        String api = url() + "/api/v1/repos/" + owner + "/" + repo;
        ObjectNode json = JSON.createObjectNode()
                .put("id", release.id)
                .put("tag_name", release.tag)
                .put("target_commitish", release.target)
                .put("name", release.name)
                .put("body", release.body)
                .put("url", api + "/releases/" + release.id)
                .put("html_url", url() + "/" + owner + "/" + repo + "/releases/tag/" + release.tag)
                .put("upload_url", api + "/releases/" + release.id + "/assets")
                .put("draft", release.draft)
                .put("prerelease", release.prerelease)
                .put("created_at", release.created.toString())
                .put("published_at", release.created.toString());
        ArrayNode assets = json.putArray("assets");
        release.assets.forEach(a -> assets.add(json(a)));
        return json;
    }

    private ObjectNode json(Attachment attachment) {
        return JSON.createObjectNode()
                .put("id", attachment.id())
                .put("name", attachment.name())
                .put("size", attachment.bytes().length)
                .put("download_count", 0)
                .put("created_at", "2025-05-01T12:00:00Z")
                .put("uuid", attachment.uuid())
                .put("browser_download_url", url() + "/attachments/" + attachment.uuid());
    }

    private Instant tick() {
        clock = clock.plusSeconds(1);
        return clock;
    }

    private static ObjectNode error(String message) {
        return JSON.createObjectNode().put("message", message).put("url", "https://gitea.com/api/swagger");
    }
}
