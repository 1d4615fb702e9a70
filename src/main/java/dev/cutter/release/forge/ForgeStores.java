package dev.cutter.release.forge;

import dev.cutter.http.Backoff;
import dev.cutter.http.Loopback;
import dev.cutter.http.Sender;
import dev.cutter.release.InvalidReleaseException;
import dev.cutter.release.ReleaseStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Opens a forge store from its {@code store:} text: {@code github:OWNER/REPO},
 * {@code gitlab:GROUP/PROJECT} (subgroups allowed) or {@code gitea:HOST/OWNER/REPO}.
 *
 * <table>
 *   <caption>API base URL and token, per forge</caption>
 *   <tr><th>forge</th><th>API</th><th>token (when none is given)</th><th>header</th></tr>
 *   <tr><td>GitHub</td><td>{@code https://api.github.com}, or {@code GITHUB_API_URL} (what GitHub Actions sets,
 *       e.g. for GitHub Enterprise Server)</td><td>{@code GITHUB_TOKEN}</td><td>{@code Authorization: Bearer}</td></tr>
 *   <tr><td>GitLab</td><td>{@code https://gitlab.com/api/v4}, or {@code CI_API_V4_URL} (what GitLab CI sets)</td>
 *       <td>{@code GITLAB_TOKEN}, else {@code CI_JOB_TOKEN}</td><td>{@code PRIVATE-TOKEN}; {@code JOB-TOKEN} for the job token</td></tr>
 *   <tr><td>Gitea</td><td>{@code https://HOST/api/v1} ({@code http} for loopback hosts)</td><td>{@code GITEA_TOKEN}</td>
 *       <td>{@code Authorization: token}</td></tr>
 * </table>
 *
 * Reading a public repository needs no token; publishing and deleting do, and are refused before
 * any request with a message naming the variable to set.
 */
public final class ForgeStores {
    public static final String GITHUB_API = "https://api.github.com";
    public static final String GITLAB_API = "https://gitlab.com/api/v4";
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9._-]+");
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.-]+(:\\d{1,5})?|\\[[0-9A-Fa-f:.]+](:\\d{1,5})?");

    private ForgeStores() {}

    /**
     * Whether the git remote {@code url} ({@code git@github.com:acme/app.git},
     * {@code https://gitlab.com/acme/tools/app}, a path) names the repository of the forge store
     * {@code store}: its path, without {@code .git}, ends with the store's {@code OWNER/REPO}
     * (letters compared without case, as the forges do). The host is not compared: an API host
     * ({@code api.github.com}, a GitHub Enterprise or Gitea address) is not the clone host.
     */
    public static boolean sameRepository(String store, String url) {
        String repository = store.substring(store.indexOf(':') + 1);
        if (store.startsWith("gitea:")) {
            repository = repository.substring(repository.indexOf('/') + 1);
        }
        String path = url.replace('\\', '/');
        int scheme = path.indexOf("://");
        if (scheme >= 0) {
            int slash = path.indexOf('/', scheme + 3);
            path = slash < 0 ? "" : path.substring(slash);
        } else if (path.matches("[^/]+@?[^/]*:.*") && !path.matches("[A-Za-z]:.*")) { // scp-like user@host:path
            path = path.substring(path.indexOf(':') + 1);
        }
        path = path.replaceAll("/+$", "").replaceAll("\\.git$", "").toLowerCase(java.util.Locale.ROOT);
        String wanted = repository.toLowerCase(java.util.Locale.ROOT);
        return path.equals(wanted) || path.endsWith("/" + wanted);
    }

    /** Whether {@code store} names a forge ({@code github:}, {@code gitlab:}, {@code gitea:}). */
    public static boolean isForge(String store) {
        return store.startsWith("github:") || store.startsWith("gitlab:") || store.startsWith("gitea:");
    }

    /**
     * The forge store {@code store} names, or empty when it names no forge.
     *
     * @param token the token to use (a spec's secret, resolved); empty to take it from {@code environment}
     * @param environment where API URLs and tokens are read (the environment the composition root was given)
     * @param http the client to send with; redirects are followed by the store itself (so that no
     *     token goes to storage hosts), so a client that follows them is copied into one that does not
     * @throws InvalidReleaseException when {@code store} starts like a forge but is not one's form
     */
    public static Optional<ReleaseStore> open(String store, Optional<String> token, Map<String, String> environment, HttpClient http) {
        if (!isForge(store)) {
            return Optional.empty();
        }
        return open(store, token, environment, new Sender(withoutRedirects(http), Backoff.STANDARD));
    }

    /** As {@link #open(String, Optional, Map, HttpClient)}, sending with {@code sender} (whose client must not follow redirects). */
    public static Optional<ReleaseStore> open(String store, Optional<String> token, Map<String, String> environment, Sender sender) {
        Optional<String> given = token.filter(t -> !t.isBlank());
        if (store.startsWith("github:")) {
            String repository = repository(store, "github:".length(), 2, "github:OWNER/REPO, e.g. github:acme/app");
            URI api = apiUrl(environment, "GITHUB_API_URL", GITHUB_API);
            Optional<Auth> auth = credential(given, environment, "GITHUB_TOKEN", "Authorization", "Bearer ");
            return Optional.of(new GitHubStore(repository, new ForgeApi("github:" + repository, api, repository, auth, sender,
                    Map.of("Accept", "application/vnd.github+json", "X-GitHub-Api-Version", "2022-11-28", "User-Agent", "cutter"),
                    "GITHUB_TOKEN", "contents: write (a fine-grained token's Contents permission set to read and write, a classic"
                            + " token's repo scope, or `permissions: contents: write` for GitHub Actions' GITHUB_TOKEN)")));
        }
        if (store.startsWith("gitlab:")) {
            String project = repository(store, "gitlab:".length(), -2, "gitlab:GROUP/PROJECT, e.g. gitlab:acme/tools/app");
            URI api = apiUrl(environment, "CI_API_V4_URL", GITLAB_API);
            Optional<Auth> auth = credential(given, environment, "GITLAB_TOKEN", "PRIVATE-TOKEN", "")
                    .or(() -> credential(Optional.empty(), environment, "CI_JOB_TOKEN", "JOB-TOKEN", ""));
            return Optional.of(new GitLabStore(project, new ForgeApi("gitlab:" + project, api, project, auth, sender,
                    Map.of("Accept", "application/json", "User-Agent", "cutter"), "GITLAB_TOKEN",
                    "the api scope and at least the Developer role in the project (a pipeline's CI_JOB_TOKEN may not be"
                            + " allowed this: set GITLAB_TOKEN to a project access token then)")));
        }
        String rest = store.substring("gitea:".length());
        int slash = rest.indexOf('/');
        String host = slash < 0 ? rest : rest.substring(0, slash);
        if (slash <= 0 || !HOST.matcher(host).matches()) {
            throw new InvalidReleaseException("\"" + store + "\" is not a Gitea store: write gitea:HOST/OWNER/REPO, e.g."
                    + " gitea:gitea.example.com/acme/app");
        }
        String repository = repository(store, "gitea:".length() + slash + 1, 2, "gitea:HOST/OWNER/REPO, e.g. gitea:gitea.example.com/acme/app");
        URI api = URI.create((Loopback.is(host) ? "http" : "https") + "://" + host + "/api/v1");
        Optional<Auth> auth = credential(given, environment, "GITEA_TOKEN", "Authorization", "token ");
        return Optional.of(new GiteaStore(host, repository, new ForgeApi("gitea:" + host + "/" + repository, api, repository, auth, sender,
                Map.of("Accept", "application/json", "User-Agent", "cutter"), "GITEA_TOKEN", "the write:repository scope")));
    }

    /** The token given, else the one in {@code variable}, sent in {@code header} as {@code prefix + token}. */
    static Optional<Auth> credential(Optional<String> given, Map<String, String> environment, String variable, String header,
            String prefix) {
        if (given.isPresent()) {
            return Optional.of(new Auth(header, prefix + given.get().strip(), Optional.empty()));
        }
        return Optional.ofNullable(environment.get(variable)).filter(t -> !t.isBlank())
                .map(t -> new Auth(header, prefix + t.strip(), Optional.of(variable)));
    }

    /**
     * The path after the prefix, checked: {@code segments} plain segments (2: OWNER/REPO), or at
     * least {@code -segments} (GitLab's groups nest).
     */
    static String repository(String store, int start, int segments, String form) {
        String path = store.substring(start);
        String[] parts = path.split("/", -1);
        boolean plain = Arrays.stream(parts).allMatch(p -> SEGMENT.matcher(p).matches() && !p.equals(".") && !p.equals(".."));
        boolean counted = segments > 0 ? parts.length == segments : parts.length >= -segments;
        if (!plain || !counted) {
            throw new InvalidReleaseException("\"" + store + "\" is not a forge store of the form " + form);
        }
        return path;
    }

    static URI apiUrl(Map<String, String> environment, String variable, String fallback) {
        String value = Optional.ofNullable(environment.get(variable)).map(String::strip).filter(v -> !v.isEmpty()).orElse(fallback);
        URI uri;
        try {
            uri = URI.create(value.replaceAll("/+$", ""));
        } catch (IllegalArgumentException e) {
            uri = null;
        }
        if (uri == null || uri.getHost() == null || !("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))) {
            throw new InvalidReleaseException(variable + "=" + value + " is not an http(s) URL such as " + fallback);
        }
        return uri;
    }

    /**
     * {@code http} itself when it follows no redirects, else a client with the same settings that
     * does not: the stores follow redirects themselves, without the token.
     */
    static HttpClient withoutRedirects(HttpClient http) {
        if (http.followRedirects() == HttpClient.Redirect.NEVER) {
            return http;
        }
        HttpClient.Builder copy = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).version(http.version())
                .sslContext(http.sslContext()).sslParameters(http.sslParameters());
        http.connectTimeout().ifPresent(copy::connectTimeout);
        http.proxy().ifPresent(copy::proxy);
        http.authenticator().ifPresent(copy::authenticator);
        http.cookieHandler().ifPresent(copy::cookieHandler);
        http.executor().ifPresent(copy::executor);
        return copy.build();
    }
}
