package dev.cutter.release.forge;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cutter.content.Digest;
import dev.cutter.http.FileBody;
import dev.cutter.http.HttpException;
import dev.cutter.release.Asset;
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
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Releases of a GitLab project ({@code gitlab:GROUP/PROJECT}) through the Releases API
 * (https://docs.gitlab.com/api/releases/) with the assets in the project's generic package
 * registry (https://docs.gitlab.com/user/packages/generic_packages/).
 *
 * <p>GitLab has no draft releases, so the files go first and the release last: every asset is
 * PUT into the generic package {@code <project>/<name>-<assets digest>} — a package version
 * named by the release's assets, so that files of another release, or of the same release with
 * other content, are never overwritten while readers may be fetching them — and the package's
 * file list is read back (names, sizes, GitLab's {@code file_sha256}) until it is exactly the
 * release. Then one POST creates the release with all its asset links: it appears whole.
 *
 * <p>"The same content" is known from the release's description, which ends with Cutter's
 * hidden metadata block ({@link ReleaseBody}), checked against the release's links and the
 * package files they lead to: every recorded asset must be linked, and its package file must
 * have the recorded size and SHA-256.
 */
public final class GitLabStore implements ReleaseStore {
    /** What GitLab accepts as a generic package file name. */
    private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9._+-]+");
    private static final Pattern PACKAGE_FILE = Pattern.compile(".*/projects/[^/]+/packages/generic/([^/]+)/([^/]+)/([^/]+)$");
    private static final int ROUNDS = 4;

    private final String store;
    private final String id;
    final ForgeApi api;

    GitLabStore(String project, ForgeApi api) {
        this.store = "gitlab:" + project;
        this.id = URLEncoder.encode(project, UTF_8);
        this.api = api;
    }

    @Override
    public String describe() {
        return store;
    }

    /**
     * The token's access level in the project ({@code GET /projects/:id}'s
     * {@code permissions.project_access} or {@code group_access}): publishing a release needs
     * Developer (30) or more. A token the answer has no levels for (a job token) is taken at its
     * word later.
     */
    @Override
    public Optional<String> mayPublish() {
        return api.mayWrite(project(""), described -> {
            JsonNode permissions = described.path("permissions");
            int level = Math.max(permissions.path("project_access").path("access_level").asInt(-1),
                    permissions.path("group_access").path("access_level").asInt(-1));
            return level < 0 || level >= 30;
        });
    }

    @Override
    public String toString() {
        return describe();
    }

    /**
     * {@code GET /projects/:id/releases/:tag_name}: 404 when the tag has no release; an upcoming
     * release (its {@code released_at} still ahead) is not out yet.
     */
    @Override
    public boolean hasRelease(String tag) {
        return api.found(project("/releases/" + URLEncoder.encode(tag, UTF_8)), "read the release of tag " + tag)
                .filter(release -> !release.path("upcoming_release").asBoolean(false)).isPresent();
    }

    private URI project(String path) {
        return api.uri("/projects/" + id + path);
    }

    /** A generic package version and its id. */
    private record Package(String id, String name, String version) {}

    /** One file of a generic package: {@code {"id", "file_name", "size", "file_sha256"}}. */
    private record PackageFile(String id, String name, long size, Optional<Digest> sha256) {}

    // ---- reading -------------------------------------------------------------------------------------

    @Override
    public Optional<ReleaseInfo> find(String name) {
        Objects.requireNonNull(name, "name");
        Map<List<String>, Optional<Listing>> packages = new HashMap<>();
        return raw().stream().filter(r -> r.path("name").asText("").equals(name)).map(r -> release(r, packages))
                .map(r -> r.recorded(store).confirmed()).flatMap(Optional::stream).findFirst();
    }

    @Override
    public List<ReleaseInfo> list() {
        Map<List<String>, Optional<Listing>> packages = new HashMap<>();
        return raw().stream().filter(r -> r.path("description").asText("").contains(ReleaseBody.OPENING.strip()))
                .map(r -> release(r, packages).recorded(store).confirmed()).flatMap(Optional::stream)
                .sorted(ReleaseInfo.NEWEST_FIRST).toList();
    }

    @Override
    public InputStream openAsset(String release, String asset) throws IOException {
        Map<List<String>, Optional<Listing>> packages = new HashMap<>();
        ForgeRelease found = raw().stream().filter(r -> r.path("name").asText("").equals(release)).map(r -> release(r, packages))
                .filter(r -> r.recorded(store).confirmed().isPresent()).findFirst()
                .orElseThrow(() -> new FileNotFoundException(store + " has no release " + release));
        if (found.recorded(store).confirmed().orElseThrow().asset(asset).isEmpty()) {
            throw new FileNotFoundException(store + "/" + release + " has no asset " + asset);
        }
        ForgeAsset link = found.assets().stream().filter(a -> a.name().equals(asset)).findFirst().orElseThrow();
        return api.download(link.download(), "application/octet-stream", "download asset " + asset + " of release " + release);
    }

    /** Every release as GitLab lists it (https://docs.gitlab.com/api/releases/#list-releases). */
    private List<JsonNode> raw() {
        return api.pages(project("/releases?per_page=100"), "list the releases");
    }

    /**
     * A release with its links as assets: a link into this project's generic packages is as
     * complete, large and digested as the package file it leads to (the latest of that name,
     * which is what GitLab serves); any other link confirms nothing.
     */
    private ForgeRelease release(JsonNode json, Map<List<String>, Optional<Listing>> packages) {
        List<ForgeAsset> assets = new ArrayList<>();
        for (JsonNode link : json.path("assets").path("links")) {
            String url = link.path("url").asText("");
            Optional<List<String>> target = packageFile(url);
            Optional<PackageFile> file = target.flatMap(t -> packages.computeIfAbsent(t.subList(0, 2), k -> listing(k.get(0), k.get(1)))
                    .flatMap(listing -> listing.latest(t.get(2))));
            assets.add(new ForgeAsset(link.path("id").asText(), link.path("name").asText(), file.map(PackageFile::size).orElse(-1L),
                    file.flatMap(PackageFile::sha256), file.isPresent(), api.link(url, "a release link's url")));
        }
        String tag = json.path("tag_name").asText("");
        String name = json.path("name").asText("");
        return new ForgeRelease(tag, tag, name.isEmpty() ? tag : name, json.path("description").asText(""), false, false, false,
                assets, json);
    }

    /** {@code [package, version, file]} of a link into this project's generic packages. */
    private static Optional<List<String>> packageFile(String url) {
        Matcher m = PACKAGE_FILE.matcher(url.replaceFirst("[?#].*$", ""));
        if (!m.matches()) {
            return Optional.empty();
        }
        return Optional.of(List.of(decode(m.group(1)), decode(m.group(2)), decode(m.group(3))));
    }

    /** A package version with its files. */
    private record Listing(Package pkg, List<PackageFile> files) {
        /** The newest file called {@code name}: the one GitLab serves for that name. */
        Optional<PackageFile> latest(String name) {
            return files.stream().filter(f -> f.name().equals(name)).max(Comparator.comparingLong(f -> Long.parseLong(f.id())));
        }
    }

    /** The generic package {@code name} at {@code version} and its files, if it exists. */
    private Optional<Listing> listing(String name, String version) {
        String what = "find the generic package " + name + " " + version;
        Optional<Package> pkg = api.pages(project("/packages?package_type=generic&package_name=" + encode(name)
                + "&package_version=" + encode(version) + "&per_page=100"), what).stream()
                .filter(p -> p.path("name").asText().equals(name) && p.path("version").asText().equals(version))
                .map(p -> new Package(p.path("id").asText(), name, version)).findFirst();
        return pkg.map(p -> new Listing(p, api.pages(project("/packages/" + p.id() + "/package_files?per_page=100"),
                "list the files of the generic package " + name + " " + version).stream().map(this::file).toList()));
    }

    /** A package file; its id orders the files of one name (GitLab serves the newest), so it must be a number. */
    private PackageFile file(JsonNode json) {
        Optional<Digest> sha256 = Optional.of(json.path("file_sha256").asText("")).filter(h -> h.matches("[0-9a-f]{64}"))
                .map(h -> new Digest(Digest.SHA256, h));
        String id = json.path("id").asText("0");
        if (!id.matches("\\d{1,18}")) {
            throw new ReleaseException(store + ": GitLab answered a package file whose id is no number: " + id);
        }
        return new PackageFile(id, json.path("file_name").asText(), json.path("size").asLong(-1), sha256);
    }

    // ---- publishing ----------------------------------------------------------------------------------

    @Override
    public PublishResult publish(ReleaseDraft draft, ExistsPolicy policy) {
        Objects.requireNonNull(policy, "policy");
        if (draft.draft()) {
            throw new InvalidReleaseException(store + ": release " + draft.name() + " is marked as a draft, but GitLab has no"
                    + " draft releases (a release appears whole when it is created); publish it without draft");
        }
        for (Asset asset : draft.assets()) {
            if (!FILE_NAME.matcher(asset.name()).matches()) {
                throw new InvalidReleaseException(store + ": asset " + asset.name() + " of release " + draft.name() + " cannot be"
                        + " a GitLab generic package file (letters, digits, '.', '-', '_' and '+' only); rename the asset");
            }
        }
        ReleaseInfo wanted = draft.info();
        String body = ReleaseBody.render(draft.notes(), wanted);
        api.requireToken("publish release " + draft.name());
        Map<List<String>, Optional<Listing>> packages = new HashMap<>();
        Optional<ForgeRelease> existing = raw().stream().filter(r -> r.path("tag_name").asText().equals(draft.tag()))
                .map(r -> release(r, packages)).findFirst();
        Optional<ReleaseInfo> before = Optional.empty();
        if (existing.isPresent()) {
            Recorded recorded = existing.get().recorded(store);
            Optional<PublishResult> settled = recorded.unchangedOrRefused(store, existing.get().title(), draft, wanted, policy);
            if (settled.isPresent()) {
                return settled.get();
            }
            before = Optional.of(recorded.claimed().orElseGet(() -> new ReleaseInfo(existing.get().title(), "", "", "",
                    draft.tag(), Optional.empty(), Instant.EPOCH, List.of(), false)));
        }
        String pkg = packageName(draft.project());
        String version = packageVersion(draft);
        putFiles(pkg, version, draft);
        // From here on only two calls: readers see the old release until the first and the new one after the second.
        existing.ifPresent(this::deleteRelease);
        create(draft, body, pkg, version);
        try {
            existing.ifPresent(old -> deletePackagesOf(old, Set.of(List.of(pkg, version))));
        } catch (ReleaseException e) {
            // The release is replaced; the old package, linked from no release now, only takes space
            // (a job token, for one, may not delete packages). Deleting the release removes it later.
        }
        return before.isPresent() ? new PublishResult(Outcome.REPLACED, wanted, before)
                : new PublishResult(Outcome.CREATED, wanted, Optional.empty());
    }

    /**
     * Puts every asset into the package and reads the package's files back until they are the
     * release exactly: the newest file of each name with the right size and SHA-256 is kept,
     * every other file deleted, the missing ones uploaded. A run killed here leaves files no
     * release links to; the next run with the same assets finds them in the same package
     * version and sends only what is missing.
     */
    private void putFiles(String pkg, String version, ReleaseDraft draft) {
        Map<String, Asset> wanted = new LinkedHashMap<>();
        draft.assets().forEach(a -> wanted.put(a.name(), a));
        for (int round = 1; ; round++) {
            Optional<Listing> listing = listing(pkg, version);
            List<PackageFile> files = listing.map(Listing::files).orElse(List.of()).stream()
                    .sorted(Comparator.comparingLong((PackageFile f) -> Long.parseLong(f.id())).reversed()).toList();
            Set<String> kept = new HashSet<>();
            List<PackageFile> wrong = new ArrayList<>();
            for (PackageFile file : files) {
                Asset want = wanted.get(file.name());
                if (want != null && !kept.contains(file.name()) && file.size() == want.size()
                        && file.sha256().filter(want.digest()::equals).isPresent()) {
                    kept.add(file.name());
                } else {
                    wrong.add(file);
                }
            }
            List<Asset> missing = draft.assets().stream().filter(a -> !kept.contains(a.name())).toList();
            if (wrong.isEmpty() && missing.isEmpty()) {
                return;
            }
            if (round > ROUNDS) {
                throw new ReleaseException(store + ": the generic package " + pkg + " " + version + " still differs from release "
                        + draft.name() + " after " + ROUNDS + " rounds of uploads (missing: " + missing.stream().map(Asset::name).toList()
                        + "); no release was created: publish again later");
            }
            for (PackageFile file : wrong) {
                api.delete(project("/packages/" + listing.orElseThrow().pkg().id() + "/package_files/" + file.id()),
                        "delete package file " + file.name() + " of " + pkg + " " + version);
            }
            for (Asset asset : missing) {
                put(pkg, version, asset, draft);
            }
        }
    }

    /**
     * {@code PUT /projects/:id/packages/generic/:package/:version/:file?select=package_file},
     * streamed from the file and checked while it is sent; GitLab answers with the file record,
     * whose {@code file_sha256} is checked too.
     */
    private void put(String pkg, String version, Asset asset, ReleaseDraft draft) {
        String what = "upload asset " + asset.name() + " of release " + draft.name() + " to the generic package " + pkg + " " + version;
        URI uri = URI.create(fileUrl(pkg, version, asset.name()) + "?select=package_file");
        HttpResponse<InputStream> response;
        try {
            response = api.send("PUT", uri, FileBody.of(asset.source(), asset.size(), asset.digest()), "application/octet-stream",
                    GitHubStore.uploadTimeout(asset.size()), what);
        } catch (HttpException e) {
            throw new ReleaseException("asset " + asset.name() + " of release " + draft.name() + ": "
                    + e.source().map(Throwable::getMessage).orElse(e.getMessage()) + "; the release says " + asset.digest() + " ("
                    + asset.size() + " bytes), so it changed after it was built: build it again. Nothing was published to " + store
                    + " (no release was created)", e);
        }
        PackageFile stored = file(api.json(api.expect(response, what, 200, 201), what));
        if (stored.sha256().filter(d -> !d.equals(asset.digest())).isPresent() || stored.size() >= 0 && stored.size() != asset.size()) {
            throw new ReleaseException(store + ": GitLab stored asset " + asset.name() + " of release " + draft.name() + " as "
                    + stored.sha256().map(Digest::toString).orElse("?") + " (" + stored.size() + " bytes), not " + asset.digest()
                    + " (" + asset.size() + " bytes); no release was created: publish again");
        }
    }

    /** The project's default branch (https://docs.gitlab.com/api/projects/#get-a-single-project). */
    private String defaultBranch(ReleaseDraft draft) {
        String what = "read the default branch of " + store;
        List<JsonNode> project = List.of(api.read(project(""), what));
        String branch = project.getFirst().path("default_branch").asText("");
        if (branch.isEmpty()) {
            throw new ReleaseException(store + " has no default branch (an empty repository) to make tag " + draft.tag()
                    + " of release " + draft.name() + " from; push a branch to it, or give the release target: with a ref it has");
        }
        return branch;
    }

    /** One POST with every asset link: the release appears whole (https://docs.gitlab.com/api/releases/#create-a-release). */
    private void create(ReleaseDraft draft, String body, String pkg, String version) {
        ObjectNode fields = ForgeApi.JSON.createObjectNode().put("tag_name", draft.tag()).put("name", draft.name()).put("description", body);
        // GitLab makes a missing tag only from a ref it is given: the target, else the project's default branch
        fields.put("ref", draft.target().orElseGet(() -> defaultBranch(draft)));
        ArrayNode links = fields.putObject("assets").putArray("links");
        for (Asset asset : draft.assets()) {
            links.addObject().put("name", asset.name()).put("url", fileUrl(pkg, version, asset.name()))
                    .put("direct_asset_path", "/" + asset.name()).put("link_type", "package");
        }
        String what = "create release " + draft.name() + " (tag " + draft.tag() + ")";
        HttpResponse<InputStream> response = api.send("POST", project("/releases"), fields, what);
        if (response.statusCode() == 409) {
            // Already there: made by our own POST whose answer was lost, or by someone else meanwhile.
            ForgeApi.close(response);
            Optional<ForgeRelease> now = raw().stream().filter(r -> r.path("tag_name").asText().equals(draft.tag()))
                    .map(r -> release(r, new HashMap<>())).findFirst();
            if (now.filter(r -> r.recorded(store).differences(r.title(), draft.info(), draft.notes()).isEmpty()).isPresent()) {
                return;
            }
            throw new ReleaseException(store + ": could not " + what + ": a release of tag " + draft.tag() + " was made by someone"
                    + " else while this one was being published; look at it, then publish again");
        }
        ForgeApi.close(api.expect(response, what, 201));
    }

    // ---- deleting ------------------------------------------------------------------------------------

    @Override
    public void delete(String name) {
        Objects.requireNonNull(name, "name");
        Map<List<String>, Optional<Listing>> packages = new HashMap<>();
        List<ForgeRelease> doomed = raw().stream().map(r -> release(r, packages))
                .filter(r -> r.recorded(store).claimed().filter(c -> c.name().equals(name)).isPresent()).toList();
        if (doomed.isEmpty()) {
            return;
        }
        api.requireToken("delete release " + name);
        for (ForgeRelease release : doomed) {
            deleteRelease(release);
            deletePackagesOf(release, Set.of());
        }
    }

    /** {@code DELETE /projects/:id/releases/:tag_name}: the release goes, its tag and package files stay. */
    private void deleteRelease(ForgeRelease release) {
        api.delete(project("/releases/" + encode(release.tag())), "delete release " + release.title() + " (tag " + release.tag() + ")");
    }

    /**
     * Deletes the generic packages Cutter made for {@code release} (its project's package, at a
     * version of Cutter's form) except those in {@code keep}: they go with the release. Packages
     * a person linked to a release they made are left alone.
     */
    private void deletePackagesOf(ForgeRelease release, Set<List<String>> keep) {
        Optional<ReleaseInfo> claimed = release.recorded(store).claimed();
        if (claimed.isEmpty()) {
            return;
        }
        String ours = packageName(claimed.get().project());
        Set<List<String>> linked = new HashSet<>();
        for (ForgeAsset asset : release.assets()) {
            packageFile(asset.download().toString()).map(t -> t.subList(0, 2))
                    .filter(p -> p.get(0).equals(ours) && p.get(1).matches(".*-[0-9a-f]{12}") && !keep.contains(p))
                    .ifPresent(linked::add);
        }
        for (List<String> pkg : linked) {
            listing(pkg.get(0), pkg.get(1)).ifPresent(listing -> api.delete(project("/packages/" + listing.pkg().id()),
                    "delete the generic package " + pkg.get(0) + " " + pkg.get(1) + " of release " + release.title()));
        }
    }

    // ---- names ---------------------------------------------------------------------------------------

    /** The generic package of a project's releases: its name in the characters GitLab allows. */
    static String packageName(String project) {
        String name = project.replaceAll("[^A-Za-z0-9._-]+", "-").replaceAll("^[.-]+|[.-]+$", "");
        return name.isEmpty() ? "release" : name;
    }

    /**
     * {@code <release name>-<12 hex digits>}: the digest covers the release's name and each
     * asset's name, digest and size, so a run resumed with the same assets finds the files it
     * sent, and other assets never overwrite files a published release links to.
     */
    static String packageVersion(ReleaseDraft draft) {
        StringBuilder content = new StringBuilder(draft.name()).append('\n');
        draft.info().assets().forEach(a -> content.append(a.name()).append(' ').append(a.digest()).append(' ').append(a.size()).append('\n'));
        String name = draft.name().replaceAll("[^A-Za-z0-9._+-]+", "-").replaceAll("^[.+-]+|[.+-]+$", "");
        return (name.isEmpty() ? "release" : name) + "-" + Digest.sha256(content.toString().getBytes(UTF_8)).hex().substring(0, 12);
    }

    private String fileUrl(String pkg, String version, String file) {
        return project("/packages/generic/" + encode(pkg) + "/" + encode(version) + "/" + encode(file)).toString();
    }

    /** A path segment or query value, every character outside letters, digits and {@code -._~} encoded. */
    static String encode(String text) {
        return URLEncoder.encode(text, UTF_8).replace("+", "%20").replace("*", "%2A").replace("%7E", "~");
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text.replace("+", "%2B"), UTF_8);
        } catch (IllegalArgumentException e) {
            return text; // not Cutter's encoding; as it is, it matches nothing of ours
        }
    }
}
