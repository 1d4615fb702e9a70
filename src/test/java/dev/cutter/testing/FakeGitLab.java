package dev.cutter.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cutter.content.Digest;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
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
import java.util.regex.Pattern;

/**
 * A local FAKE of GitLab's Releases API and generic package registry (not GitLab: it cannot be
 * run or reached here), for one project, written from https://docs.gitlab.com/api/releases/,
 * https://docs.gitlab.com/api/releases/links/, https://docs.gitlab.com/user/packages/generic_packages/
 * and https://docs.gitlab.com/api/packages/. It enforces:
 *
 * <ul>
 *   <li>tokens in {@code PRIVATE-TOKEN}, {@code JOB-TOKEN} or {@code Authorization: Bearer}; an
 *       unknown one is 401 {@code {"message":"401 Unauthorized"}}; a write with a read-only one is 403
 *       {@code {"error":"insufficient_scope","error_description":"The request requires higher privileges
 *       than provided by the access token.","scope":"api"}}. The project is addressed by its
 *       URL-encoded path ({@code acme%2Fapp}); another is 404 {@code {"message":"404 Project Not Found"}}.
 *   <li>one release per tag: creating another is 409 {@code {"message":"Release already exists"}};
 *       a release for a tag that does not exist needs {@code ref} (422 {@code "Ref is not specified"}),
 *       one the project has (its default branch, a tag or a commit it holds: see {@link #standAlone}),
 *       else 400 {@code {"message":"Target REF is invalid"}} (Tags::CreateService); a ref given with
 *       an existing tag is not read. {@code GET /projects/:id} answers {@code {"id","path_with_namespace","default_branch"}}.
 *       Links ({@code assets.links}: {@code name}, {@code url}, {@code direct_asset_path},
 *       {@code link_type}) are given at creation; their names must be unique.
 *   <li>generic packages: {@code PUT /packages/generic/:name/:version/:file} with file names of
 *       letters, digits, {@code . - _ +} (else 400); several files of one name may be stored (GitLab
 *       allows duplicates by default) and a download serves the newest; {@code select=package_file}
 *       answers with the file record ({@code id, package_id, file_name, size, file_sha256});
 *       an upload that breaks off stores nothing.
 *   <li>{@code GET /packages?package_type=generic&package_name=&package_version=}, where the name
 *       filter matches names that contain it, as GitLab's does.
 *   <li>pagination with {@code per_page} (default 20, at most 100) and {@code page}: {@code Link},
 *       {@code X-Next-Page}, {@code X-Total}.
 * </ul>
 *
 * Release JSON: {@code {"tag_name","name","description","created_at","released_at","upcoming_release",
 * "assets":{"count","sources":[],"links":[{"id","name","url","direct_asset_url","link_type"}]}}}.
 */
public final class FakeGitLab extends FakeForge {
    private static final Pattern FILE = Pattern.compile("[A-Za-z0-9._+-]+");

    public record Link(long id, String name, String url, String directAssetPath, String type) {}

    public static final class Release {
        public String tag;
        public String name;
        public String description;
        /** The ref the release's tag was made from; null when the tag existed. */
        public String ref;
        public final Instant created;
        public final List<Link> links = new ArrayList<>();

        Release(Instant created) {
            this.created = created;
        }
    }

    public record PackageFile(long id, String name, byte[] bytes) {}

    public static final class Package {
        public final long id;
        public final String name;
        public final String version;
        public final List<PackageFile> files = new ArrayList<>();

        Package(long id, String name, String version) {
            this.id = id;
            this.name = name;
            this.version = version;
        }
    }

    private final String project;
    private final String encoded;
    private final Map<String, Release> releases = new LinkedHashMap<>();
    private final Map<Long, Package> packages = new LinkedHashMap<>();
    private final Set<String> tags = new HashSet<>();
    private final AtomicLong ids = new AtomicLong(100);
    private Instant clock = Instant.parse("2025-05-01T12:00:00Z");

    public FakeGitLab(String project) {
        this.project = project;
        this.encoded = URLEncoder.encode(project, StandardCharsets.UTF_8);
    }

    /** {@code http://127.0.0.1:PORT/api/v4}, what {@code CI_API_V4_URL} would say. */
    public String api() {
        return url() + "/api/v4";
    }

    public synchronized List<Release> releases() {
        return releases.values().stream().sorted(Comparator.comparing((Release r) -> r.created).reversed()).toList();
    }

    public synchronized Optional<Release> release(String tag) {
        return Optional.ofNullable(releases.get(tag));
    }

    public synchronized List<Package> packages() {
        return List.copyOf(packages.values());
    }

    public synchronized Release publishByHand(String tag, String name, String description) {
        Release release = new Release(tick());
        release.tag = tag;
        release.name = name;
        release.description = description;
        tags.add(tag);
        releases.put(tag, release);
        return release;
    }

    @Override
    protected Optional<String> token(Map<String, String> headers) {
        return Optional.ofNullable(headers.get("private-token")).or(() -> Optional.ofNullable(headers.get("job-token")))
                .or(() -> authorization(headers));
    }

    @Override
    protected Reply badCredentials() {
        return Reply.json(401, JSON.createObjectNode().put("message", "401 Unauthorized"));
    }

    @Override
    protected Reply notFound() {
        return Reply.json(404, JSON.createObjectNode().put("message", "404 Project Not Found"));
    }

    @Override
    protected synchronized Reply handle(Call call) {
        String prefix = "/api/v4/projects/" + encoded;
        if (!call.rawPath().startsWith(prefix + "/") && !call.rawPath().equals(prefix)) {
            throw new Refusal(notFound());
        }
        String raw = call.rawPath().substring(prefix.length());
        List<String> segments = new ArrayList<>();
        for (String segment : raw.split("/")) {
            if (!segment.isEmpty()) {
                segments.add(URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8));
            }
        }
        String first = segments.isEmpty() ? "" : segments.get(0);
        if (segments.isEmpty() && call.method().equals("GET")) {
            // GitLab's "Get a single project": the caller's access level under permissions
            // (30 Developer may create releases; 20 Reporter only reads); none without a token
            var node = JSON.createObjectNode().put("id", 1).put("path_with_namespace", project).put("default_branch", defaultBranch);
            if (call.access().isPresent()) {
                var permissions = node.putObject("permissions");
                permissions.putObject("project_access").put("access_level", call.canWrite() ? 30 : 20).put("notification_level", 3);
                permissions.putNull("group_access");
            }
            return Reply.json(200, node);
        }
        if (first.equals("releases")) {
            return releases(call, segments.subList(1, segments.size()));
        }
        if (pulls != null && first.equals("merge_requests")) {
            return pulls.gitlab(this, call, segments, project);
        }
        if (first.equals("packages")) {
            return packages(call, segments.subList(1, segments.size()));
        }
        throw new Refusal(Reply.json(404, JSON.createObjectNode().put("message", "404 Not Found")));
    }

    private Reply releases(Call call, List<String> rest) {
        if (rest.isEmpty()) {
            return switch (call.method()) {
                case "GET" -> page(call, releases().stream().map(r -> (JsonNode) json(r)).toList(), "per_page", 20, 100);
                case "POST" -> create(call);
                default -> throw new Refusal(notFound());
            };
        }
        String tag = String.join("/", rest);
        Release release = releases.get(tag);
        if (release == null) {
            throw new Refusal(Reply.json(404, JSON.createObjectNode().put("message", "404 Not Found")));
        }
        return switch (call.method()) {
            case "GET" -> Reply.json(200, json(release));
            case "DELETE" -> {
                write(call);
                releases.remove(tag);
                yield Reply.json(200, json(release));
            }
            default -> throw new Refusal(notFound());
        };
    }

    /** POST /projects/:id/releases {"tag_name","name","description","ref","assets":{"links":[…]}} → 201. */
    private Reply create(Call call) {
        write(call);
        JsonNode body = call.json();
        String tag = body.path("tag_name").asText("");
        if (tag.isEmpty()) {
            throw new Refusal(400, JSON.createObjectNode().put("error", "tag_name is missing"));
        }
        if (releases.containsKey(tag)) {
            throw new Refusal(409, JSON.createObjectNode().put("message", "Release already exists"));
        }
        if (!tags.contains(tag) && body.path("ref").asText("").isEmpty()) {
            throw new Refusal(422, JSON.createObjectNode().put("message", "Ref is not specified"));
        }
        if (!tags.contains(tag) && !has(body.path("ref").asText(), tags)) {
            throw new Refusal(400, JSON.createObjectNode().put("message", "Target " + body.path("ref").asText() + " is invalid"));
        }
        Release release = new Release(tick());
        release.tag = tag;
        release.name = body.path("name").asText(tag);
        release.description = body.path("description").asText("");
        release.ref = tags.contains(tag) ? null : body.path("ref").asText();
        Set<String> names = new HashSet<>();
        for (JsonNode link : body.path("assets").path("links")) {
            String name = link.path("name").asText("");
            if (!names.add(name)) {
                throw new Refusal(400, JSON.createObjectNode().set("message",
                        JSON.createObjectNode().set("links.name", JSON.createArrayNode().add("has already been taken"))));
            }
            release.links.add(new Link(ids.incrementAndGet(), name, link.path("url").asText(), link.path("direct_asset_path").asText(""),
                    link.path("link_type").asText("other")));
        }
        tags.add(tag);
        releases.put(tag, release);
        return Reply.json(201, json(release));
    }

    private Reply packages(Call call, List<String> rest) {
        if (rest.isEmpty() && call.method().equals("GET")) {
            String name = call.query().getOrDefault("package_name", "");
            String version = call.query().get("package_version");
            List<JsonNode> found = packages.values().stream()
                    .filter(p -> p.name.contains(name) && (version == null || p.version.equals(version)))
                    .map(p -> (JsonNode) JSON.createObjectNode().put("id", p.id).put("name", p.name).put("version", p.version)
                            .put("package_type", "generic"))
                    .toList();
            return page(call, found, "per_page", 20, 100);
        }
        if (!rest.isEmpty() && rest.get(0).equals("generic") && rest.size() == 4) {
            return generic(call, rest.get(1), rest.get(2), rest.get(3));
        }
        if (!rest.isEmpty() && rest.get(0).matches("\\d+")) {
            Package pkg = packages.get(Long.parseLong(rest.get(0)));
            if (pkg == null) {
                throw new Refusal(Reply.json(404, JSON.createObjectNode().put("message", "404 Package Not Found")));
            }
            if (rest.size() == 1 && call.method().equals("DELETE")) {
                write(call);
                packages.remove(pkg.id);
                return Reply.empty(204);
            }
            if (rest.size() == 2 && rest.get(1).equals("package_files") && call.method().equals("GET")) {
                return page(call, pkg.files.stream().map(f -> (JsonNode) json(pkg, f)).toList(), "per_page", 20, 100);
            }
            if (rest.size() == 3 && rest.get(1).equals("package_files") && call.method().equals("DELETE")) {
                write(call);
                long id = Long.parseLong(rest.get(2));
                if (!pkg.files.removeIf(f -> f.id() == id)) {
                    throw new Refusal(Reply.json(404, JSON.createObjectNode().put("message", "404 Not found")));
                }
                return Reply.empty(204);
            }
        }
        throw new Refusal(Reply.json(404, JSON.createObjectNode().put("message", "404 Not Found")));
    }

    /** PUT (publish a file) or GET (download the newest file of that name) in a generic package. */
    private Reply generic(Call call, String name, String version, String file) {
        if (call.method().equals("GET")) {
            return packages.values().stream().filter(p -> p.name.equals(name) && p.version.equals(version))
                    .flatMap(p -> p.files.stream()).filter(f -> f.name().equals(file)).max(Comparator.comparingLong(PackageFile::id))
                    .map(f -> new Reply(200, Map.of("Content-Type", "application/octet-stream"), f.bytes()))
                    .orElseThrow(() -> new Refusal(Reply.json(404, JSON.createObjectNode().put("message", "404 Package Not Found"))));
        }
        if (!call.method().equals("PUT")) {
            throw new Refusal(notFound());
        }
        write(call);
        if (!FILE.matcher(file).matches() || !FILE.matcher(name).matches() || !version.matches("(\\.?[\\w+-]+\\.?)+")) {
            throw new Refusal(400, JSON.createObjectNode().put("error", "file_name is invalid"));
        }
        if (!call.bodyComplete()) {
            throw new Dropped("the upload broke off; GitLab stores nothing");
        }
        Package pkg = packages.values().stream().filter(p -> p.name.equals(name) && p.version.equals(version)).findFirst()
                .orElseGet(() -> {
                    Package created = new Package(ids.incrementAndGet(), name, version);
                    packages.put(created.id, created);
                    return created;
                });
        PackageFile stored = new PackageFile(ids.incrementAndGet(), file, call.body());
        pkg.files.add(stored);
        return "package_file".equals(call.query().get("select")) ? Reply.json(201, json(pkg, stored))
                : Reply.json(201, JSON.createObjectNode().put("message", "201 Created"));
    }

    private void write(Call call) {
        if (call.access().isEmpty()) {
            throw new Refusal(401, JSON.createObjectNode().put("message", "401 Unauthorized"));
        }
        if (!call.canWrite()) {
            throw new Refusal(403, JSON.createObjectNode().put("error", "insufficient_scope")
                    .put("error_description", "The request requires higher privileges than provided by the access token.")
                    .put("scope", "api"));
        }
    }

    private ObjectNode json(Release release) {
        ObjectNode json = JSON.createObjectNode()
                .put("tag_name", release.tag)
                .put("name", release.name)
                .put("description", release.description)
                .put("created_at", release.created.toString())
                .put("released_at", release.created.toString())
                .put("upcoming_release", false);
        ObjectNode assets = json.putObject("assets");
        assets.put("count", release.links.size());
        assets.putArray("sources");
        ArrayNode links = assets.putArray("links");
        for (Link link : release.links) {
            links.addObject().put("id", link.id()).put("name", link.name()).put("url", link.url())
                    .put("direct_asset_url", url() + "/" + project + "/-/releases/" + release.tag + "/downloads" + link.directAssetPath())
                    .put("link_type", link.type());
        }
        return json;
    }

    private static ObjectNode json(Package pkg, PackageFile file) {
        return JSON.createObjectNode()
                .put("id", file.id())
                .put("package_id", pkg.id)
                .put("file_name", file.name())
                .put("size", file.bytes().length)
                .put("file_md5", (String) null)
                .put("file_sha1", (String) null)
                .put("file_sha256", Digest.sha256(file.bytes()).hex())
                .put("created_at", "2025-05-01T12:00:00Z");
    }

    private Instant tick() {
        clock = clock.plusSeconds(1);
        return clock;
    }
}
