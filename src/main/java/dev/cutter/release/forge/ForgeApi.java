package dev.cutter.release.forge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.cutter.http.HttpException;
import dev.cutter.http.Sender;
import dev.cutter.release.ReleaseException;
import dev.cutter.release.StoreUnreachableException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One forge's REST API as the stores speak it: JSON in and out, pages followed through their
 * {@code Link: <…>; rel="next"} headers, downloads that follow redirects to storage without the
 * token, and failures turned into errors that say what to do — 401/403 as
 * {@link StoreUnreachableException} naming the variable to set and the permission needed, a 404 of
 * the repository naming it, 422 {@code already_exists} explained.
 *
 * <p>The token goes only to the API's own host (and to the upload URL the API hands out); it is
 * never part of a message.
 */
final class ForgeApi {
    static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final Pattern NEXT = Pattern.compile("<([^>]+)>\\s*;\\s*rel=\"?next\"?");
    private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);
    private static final Duration CALL_TIMEOUT = Duration.ofMinutes(2);
    /** How long a read of one document may take. */
    private static final Duration READ_TIMEOUT = Duration.ofMinutes(1);
    private static final int MAX_PAGES = 10_000;

    private final String store;
    private final URI base;
    private final String repository;
    private final Optional<Auth> auth;
    private final Sender sender;
    private final Map<String, String> headers;
    private final String tokenVariable;
    private final String writeAccess;

    /**
     * @param store the store as messages name it, e.g. {@code github:acme/app}
     * @param base the API's base URL, without a trailing slash
     * @param repository the repository as the forge names it, for messages
     * @param headers what every API request carries (Accept, API version, User-Agent)
     * @param tokenVariable what to set to give a token, e.g. {@code GITHUB_TOKEN}
     * @param writeAccess what a token needs to publish, e.g. {@code contents: write}
     */
    ForgeApi(String store, URI base, String repository, Optional<Auth> auth, Sender sender, Map<String, String> headers,
            String tokenVariable, String writeAccess) {
        this.store = store;
        this.base = base;
        this.repository = repository;
        this.auth = Objects.requireNonNull(auth, "auth");
        this.sender = sender;
        this.headers = Map.copyOf(headers);
        this.tokenVariable = tokenVariable;
        this.writeAccess = writeAccess;
    }

    /** {@code base + path}; {@code path} starts with {@code /} and is already encoded. */
    URI uri(String path) {
        return URI.create(base + path);
    }

    /**
     * A link the forge answered in {@code field} (an asset's URL, an upload URL), resolved against
     * the API's base. One that is no URL at all is the forge's error, named; one of another scheme
     * (GitLab keeps ftp links) is kept, and refused only if Cutter has to follow it.
     */
    URI link(String value, String field) {
        try {
            return base.resolve(value);
        } catch (IllegalArgumentException e) {
            throw new ReleaseException(store + ": the forge answered " + field + " that is no http(s) URL: " + value);
        }
    }

    /** {@code uri} when it is an http(s) URL: Cutter follows the forge's links over HTTP only (never a file:, say). */
    private URI overHttp(URI uri, String what) {
        if (!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme())) {
            throw new ReleaseException(store + ": could not " + what + ": the forge's link " + HttpException.safe(uri)
                    + " is no http(s) URL; Cutter follows links over HTTP only");
        }
        return uri;
    }

    /** The API's base URL, as the store was opened with it. */
    URI base() {
        return base;
    }

    Sender sender() {
        return sender;
    }

    /** Refuses to start a change without a token, naming what to set. */
    void requireToken(String what) {
        if (auth.isEmpty()) {
            throw new StoreUnreachableException(store + ": cannot " + what + " without a token: set " + tokenVariable
                    + " to a token with " + writeAccess, false, Optional.empty(), null);
        }
    }

    /**
     * Why this token may not publish to the repository described at {@code uri}: it has none, the
     * forge refuses it or does not show it the repository, or the rights the forge reports there
     * do not include writing ({@code writes} says whether they do). Empty when it may.
     */
    Optional<String> mayWrite(URI uri, java.util.function.Predicate<JsonNode> writes) {
        if (auth.isEmpty()) {
            return Optional.of("no token: set " + tokenVariable + " to a token with " + writeAccess);
        }
        String what = "read the repository " + repository;
        try {
            JsonNode described = json(expect(send("GET", uri, HttpRequest.BodyPublishers.noBody(), null, Duration.ofSeconds(15), what),
                    what, 200), what);
            return writes.test(described) ? Optional.empty()
                    : Optional.of(auth.get().describe() + " may read " + repository + " but not publish there: it needs " + writeAccess);
        } catch (ReleaseException e) {
            return Optional.of(e.getMessage());
        }
    }

    /** The JSON at {@code uri}, or empty when the forge answers 404 (there is no such thing, or the token may not see it). */
    Optional<JsonNode> found(URI uri, String what) {
        HttpResponse<InputStream> response = send("GET", uri, HttpRequest.BodyPublishers.noBody(), null, Duration.ofSeconds(30), what);
        if (response.statusCode() == 404) {
            close(response);
            return Optional.empty();
        }
        return Optional.of(json(expect(response, what, 200), what));
    }

    /** {@code text} as a URL path: each {@code /}-separated part percent-encoded, the slashes kept. */
    static String pathOf(String text) {
        return java.util.Arrays.stream(text.split("/", -1))
                .map(part -> java.net.URLEncoder.encode(part, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20"))
                .collect(java.util.stream.Collectors.joining("/"));
    }

    /** Every item of a paged list, starting at {@code first}. */
    List<JsonNode> pages(URI first, String what) {
        List<JsonNode> items = new ArrayList<>();
        URI next = first;
        for (int page = 0; next != null; page++) {
            if (page == MAX_PAGES) {
                throw new ReleaseException(store + ": could not " + what + ": more than " + MAX_PAGES + " pages");
            }
            URI at = next;
            HttpResponse<InputStream> response = expect(send("GET", at, HttpRequest.BodyPublishers.noBody(), null, CALL_TIMEOUT, what),
                    what, 200);
            next = response.headers().firstValue("Link").map(NEXT::matcher).filter(Matcher::find)
                    .map(m -> dev.cutter.http.Origin.resolveHttp(at, m.group(1)).orElseThrow(() -> new ReleaseException(store
                            + ": could not " + what + ": the API's next page is not an http(s) URL"))).orElse(null);
            if (next != null && !dev.cutter.http.Origin.same(next, base)) { // the token goes to the API's host only
                close(response);
                throw new ReleaseException(store + ": could not " + what + ": the API's next page is on another host ("
                        + HttpException.safe(next) + "); Cutter sends the token to " + base.getAuthority() + " only");
            }
            JsonNode list = json(response, what);
            if (!list.isArray()) {
                throw new ReleaseException(store + ": could not " + what + ": GET " + HttpException.safe(at)
                        + " answered with something other than a JSON list");
            }
            list.forEach(items::add);
        }
        return items;
    }

    /** Sends {@code body} as JSON with {@code method}; the answer's JSON when its status is one of {@code ok}. */
    JsonNode write(String method, URI uri, JsonNode body, String what, int... ok) {
        requireToken(what);
        return json(expect(send(method, uri, body, what), what, ok), what);
    }

    /** Sends {@code body} as JSON with {@code method}; the answer, whatever its status, for the caller to judge. */
    HttpResponse<InputStream> send(String method, URI uri, JsonNode body, String what) {
        return send(method, uri, HttpRequest.BodyPublishers.ofString(body.toString()), "application/json", CALL_TIMEOUT, what);
    }

    /** The JSON document {@code uri} answers a GET with (200). */
    JsonNode read(URI uri, String what) {
        return json(expect(send("GET", uri, HttpRequest.BodyPublishers.noBody(), null, READ_TIMEOUT, what), what, 200), what);
    }

    /** Deletes {@code uri}; one that is already gone (404) is fine. */
    void delete(URI uri, String what) {
        requireToken(what);
        HttpResponse<InputStream> response = send("DELETE", uri, HttpRequest.BodyPublishers.noBody(), null, CALL_TIMEOUT, what);
        if (response.statusCode() != 404) {
            expect(response, what, 200, 202, 204);
        }
        close(response);
    }

    /**
     * Sends one request through the retrying sender, with the token: callers give only the API's
     * URLs and the upload URLs it hands out. A failure without an answer, or an answer that
     * stayed passing, becomes a store error, except that a body file that is not what it should
     * be is rethrown as it is for the store to name the asset.
     */
    HttpResponse<InputStream> send(String method, URI uri, HttpRequest.BodyPublisher body, String contentType, Duration timeout,
            String what) {
        overHttp(uri, what);
        try {
            return sender.send(() -> {
                HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(timeout).method(method, body);
                headers.forEach(builder::header);
                if (contentType != null) {
                    builder.header("Content-Type", contentType);
                }
                auth.ifPresent(a -> builder.header(a.header(), a.value()));
                return builder.build();
            });
        } catch (HttpException e) {
            if (e.source().isPresent()) {
                throw e;
            }
            throw failure(e, what);
        }
    }

    /**
     * The bytes at {@code start}, following redirects by hand so that the token goes only to the
     * API's host: storage behind a redirect (GitHub's) takes a signed URL and refuses a request that
     * also carries a token.
     */
    InputStream download(URI start, String accept, String what) throws IOException {
        URI at = overHttp(start, what);
        for (int hop = 0; hop < 6; hop++) {
            URI here = at;
            boolean ours = dev.cutter.http.Origin.same(here, base);
            HttpResponse<InputStream> response;
            try {
                response = sender.send(() -> {
                    HttpRequest.Builder builder = HttpRequest.newBuilder(here).timeout(Duration.ofMinutes(10)).GET()
                            .header("Accept", accept);
                    headers.forEach((name, value) -> {
                        if (!name.equalsIgnoreCase("Accept")) {
                            builder.header(name, value);
                        }
                    });
                    if (ours) {
                        auth.ifPresent(a -> builder.header(a.header(), a.value()));
                    }
                    return builder.build();
                });
            } catch (HttpException e) {
                throw failure(e, what);
            }
            int status = response.statusCode();
            if (status == 200) {
                return response.body();
            }
            close(response);
            if (REDIRECTS.contains(status) && response.headers().firstValue("Location").isPresent()) {
                String location = response.headers().firstValue("Location").get();
                at = dev.cutter.http.Origin.resolveHttp(here, location).orElseThrow(() -> new ReleaseException(store + ": could not "
                        + what + ": GET " + HttpException.safe(here) + " redirected to something that is not an http(s) URL"));
                continue;
            }
            if (status == 404) {
                throw new FileNotFoundException(store + ": could not " + what + ": GET " + HttpException.safe(here) + " answered 404");
            }
            throw failure(sender.failure(response), what);
        }
        throw new ReleaseException(store + ": could not " + what + ": more than 5 redirects from " + HttpException.safe(start));
    }

    /** The answer if its status is one of {@code ok}, else the error it stands for. */
    HttpResponse<InputStream> expect(HttpResponse<InputStream> response, String what, int... ok) {
        for (int status : ok) {
            if (response.statusCode() == status) {
                return response;
            }
        }
        throw failure(sender.failure(response), what);
    }

    JsonNode json(HttpResponse<InputStream> response, String what) {
        try (InputStream in = response.body()) {
            JsonNode node = JSON.readTree(in);
            return node == null ? JSON.nullNode() : node;
        } catch (IOException e) {
            throw new ReleaseException(store + ": could not " + what + ": " + response.request().method() + " "
                    + HttpException.safe(response.uri()) + " answered with something that is not JSON (" + e.getMessage() + ")", e);
        }
    }

    /** The store error an HTTP failure stands for, with what the user can do about it. */
    ReleaseException failure(HttpException e, String what) {
        String said = store + ": could not " + what + ": " + e.getMessage();
        int status = e.status();
        String token = auth.map(Auth::describe).orElse("no token");
        String fix = auth.flatMap(Auth::variable).map(v -> "set " + v + " to").orElse("give the release");
        if (status == 0) {
            return new StoreUnreachableException(said + (e.retryable() ? "; " + base.getHost() + " cannot be reached from here"
                    + " now: try again later" : ""), e.retryable(), Optional.empty(), e);
        }
        if (status == 401) {
            return new StoreUnreachableException(said + "; " + (auth.isPresent()
                    ? token + " was refused (wrong, expired or revoked): " + fix + " a valid token with " + writeAccess
                    : "the forge wants a token: set " + tokenVariable + " to one with " + writeAccess), false, Optional.empty(), e);
        }
        if (status == 403 && e.retryable()) {
            return new StoreUnreachableException(said + "; the forge's rate limit: try again later", true, e.retryAfter(), e);
        }
        if (status == 403) {
            String accepted = e.headers().firstValue("X-Accepted-GitHub-Permissions").map(p -> " (the forge accepts " + p + ")").orElse("");
            return new StoreUnreachableException(said + "; " + (auth.isPresent() ? token + " is not allowed to do this: it needs "
                    : "the forge refuses this without a token: set " + tokenVariable + " to a token with ") + writeAccess + accepted,
                    false, Optional.empty(), e);
        }
        String lower = e.serviceMessage().toLowerCase(Locale.ROOT);
        if (status == 422 && lower.contains("target_commitish") // GitHub
                || status == 400 && lower.contains("target ") && lower.contains(" is invalid") // GitLab's Tags::CreateService
                || status == 404 && lower.contains("target \"") && lower.contains("not found")) { // Gitea
            return new ReleaseException(said + "; " + repository + " has no such branch, tag or commit to make the release's tag from:"
                    + " a release into another repository than the source's cannot name the source's commit; give the release"
                    + " target: with a branch, tag or commit that repository has, or leave target: out for its default branch", e);
        }
        if (status == 404) {
            return new ReleaseException(said + "; the repository " + repository + " does not exist at " + base + ", or "
                    + (auth.isPresent() ? token + " cannot see it (a private repository looks missing without access)"
                            : "it is private: set " + tokenVariable + " to a token that can read it"), e);
        }
        String message = e.serviceMessage().toLowerCase(Locale.ROOT);
        if (status == 409 || status == 422 && (message.contains("already_exists") || message.contains("already exist"))) {
            return new ReleaseException(said + "; it already exists on the forge: another publication of this release may be"
                    + " running now, or it was made by hand: look at the repository's releases, then publish again", e);
        }
        if (status == 422 && message.contains("immutable")) {
            return new ReleaseException(said + "; GitHub's immutable releases refuse changes to a published release's assets and tag", e);
        }
        if (e.retryable()) {
            return new StoreUnreachableException(said + "; the forge is failing: try again later", true, e.retryAfter(), e);
        }
        return new ReleaseException(said, e);
    }

    static void close(HttpResponse<InputStream> response) {
        try {
            response.body().close();
        } catch (IOException ignored) {
            // nothing more to read
        }
    }
}
