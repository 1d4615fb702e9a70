package dev.cutter.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;

/**
 * What the local FAKES of forge APIs share ({@link FakeGitHub}, {@link FakeGitLab},
 * {@link FakeGitea}). They are fakes, not the services: GitHub, GitLab and Gitea cannot be
 * reached from the test machines, and none of them can be installed there. Each subclass is
 * written from its service's documented requests and answers (the URLs and JSON shapes are in its
 * comments), keeps state (releases, drafts, assets), and enforces what the real service enforces
 * where a store's correctness depends on it.
 *
 * <p>This base runs a real HTTP server ({@code com.sun.net.httpserver}) on a loopback port,
 * records every request in order (method, path, headers, how much body arrived and whether all of
 * it did, the status answered), checks tokens, pages lists with {@code Link} headers, and injects
 * faults on chosen requests: 500, 502, 429 with {@code Retry-After}, a connection dropped before
 * the request is handled, or dropped after it was (its answer lost).
 */
public abstract class FakeForge implements AutoCloseable {
    protected static final ObjectMapper JSON = JsonMapper.builder().build();

    /** What a token may do. */
    public enum Access { READ, WRITE }

    /** A fault to inject instead of (or after) handling a request. */
    public enum Fault {
        ERROR_500, BAD_GATEWAY_502, TOO_MANY_REQUESTS_429,
        /** The connection closes before the request is handled: nothing happened. */
        DROP_BEFORE,
        /** The request is handled, then the connection closes: it happened, but its answer is lost. */
        DROP_AFTER
    }

    /**
     * One request as the fake saw it.
     *
     * @param headers the first value of each header, names in lower case
     * @param bodyComplete whether the whole body announced by Content-Length arrived
     * @param status what was answered; -1 when the connection was dropped
     */
    public record Request(String method, String path, String query, Map<String, String> headers, long bodyBytes,
            boolean bodyComplete, int status) {
        public boolean isWrite() {
            return !method.equals("GET") && !method.equals("HEAD");
        }

        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        @Override
        public String toString() {
            return method + " " + path + (query == null ? "" : "?" + query) + " → " + status;
        }
    }

    /** A request being handled: its decoded path, query parameters, body, and the caller's access. */
    protected record Call(String method, String path, String rawPath, Map<String, String> query, byte[] body, boolean bodyComplete,
            Map<String, String> headers, Optional<Access> access, URI uri) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        public JsonNode json() {
            try {
                JsonNode node = JSON.readTree(body);
                return node == null ? JSON.createObjectNode() : node;
            } catch (IOException e) {
                throw new Refusal(400, JSON.createObjectNode().put("message", "Problems parsing JSON"));
            }
        }

        public boolean canWrite() {
            return access.filter(a -> a == Access.WRITE).isPresent();
        }
    }

    /** An answer: status, headers and body. */
    protected record Reply(int status, Map<String, String> headers, byte[] body) {
        public static Reply json(int status, JsonNode json) {
            return new Reply(status, Map.of("Content-Type", "application/json; charset=utf-8"), json.toString().getBytes(StandardCharsets.UTF_8));
        }

        public static Reply empty(int status) {
            return new Reply(status, Map.of(), new byte[0]);
        }

        public Reply with(String header, String value) {
            Map<String, String> all = new LinkedHashMap<>(headers);
            all.put(header, value);
            return new Reply(status, all, body);
        }
    }

    /** Thrown by a handler to answer with an error the service documents. */
    protected static final class Refusal extends RuntimeException {
        final transient Reply reply;

        public Refusal(int status, JsonNode json) {
            super(status + " " + json, null, false, false);
            this.reply = Reply.json(status, json);
        }

        public Refusal(Reply reply) {
            super(reply.status() + "", null, false, false);
            this.reply = reply;
        }
    }

    /** Thrown by a handler to close the connection without an answer (an upload that broke off). */
    protected static final class Dropped extends RuntimeException {
        public Dropped(String why) {
            super(why, null, false, false);
        }
    }

    private record Rule(String method, Pattern path, Fault fault, int[] skip, int[] times) {}

    private record Hook(String method, Pattern path, Runnable action) {}

    private final HttpServer server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final List<Rule> faults = new CopyOnWriteArrayList<>();
    private final List<Hook> hooks = new CopyOnWriteArrayList<>();
    private final Map<String, Access> tokens = new ConcurrentHashMap<>();
    private volatile int maxPerPage = Integer.MAX_VALUE;
    /** Where next-page links point, when not here: a hostile or misconfigured API naming another host. */
    private volatile String pagesOn;
    private volatile boolean publicRepository = true;
    /** What answers' bodies are turned into before they are sent: a hostile or broken API's. */
    private volatile java.util.function.UnaryOperator<String> rewrite;

    protected FakeForge() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException("no loopback port for the fake: " + e, e);
        }
        server.createContext("/", this::serve);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
    }

    /**
     * The git side of the fake repository, as far as a release needs it: what a missing tag may be
     * made from. By default the fake stands for the repository the project's checkout was pushed
     * to, so it holds every commit a test makes ({@link #holdsEveryCommit}); {@link #standAlone}
     * makes it another repository (KM's {@code km-releases}), which has only its default branch
     * and the commits given.
     */
    protected volatile boolean holdsEveryCommit = true;
    protected volatile String defaultBranch = "main";
    protected final java.util.Set<String> commits = ConcurrentHashMap.newKeySet();

    /** Makes this fake a repository of its own, holding {@code defaultBranch} and {@code commits} only. */
    public void standAlone(String defaultBranch, String... commits) {
        this.holdsEveryCommit = false;
        this.defaultBranch = defaultBranch;
        this.commits.addAll(List.of(commits));
    }

    /** Whether this repository has {@code commitish}: its default branch, a commit it holds, or one of {@code tags}. */
    protected boolean has(String commitish, java.util.Collection<String> tags) {
        return commitish.equals(defaultBranch) || tags.contains(commitish) || commits.contains(commitish)
                || holdsEveryCommit && commitish.matches("[0-9a-f]{7,40}");
    }

    /** The pull requests it serves, once {@link #pulls} gave it a repository. */
    protected volatile FakePulls pulls;

    /**
     * Serves pull (merge) requests of the bare repository {@code bare} on this service's endpoints,
     * merging into it for real ({@link FakePulls}); returns them, for a test to steer.
     */
    public FakePulls pulls(java.nio.file.Path bare) {
        this.pulls = new FakePulls(bare);
        return pulls;
    }

    /** {@code http://127.0.0.1:PORT}. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** {@code 127.0.0.1:PORT}. */
    public String address() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    /** The same server under another host name, as a forge's storage host is another host than its API. */
    protected String otherHostUrl() {
        return "http://localhost:" + server.getAddress().getPort();
    }

    /** Accepts {@code token} with {@code access}. */
    public FakeForge token(String token, Access access) {
        tokens.put(token, access);
        return this;
    }

    /** Whether anyone may read the repository without a token (default: yes). */
    public FakeForge publicRepository(boolean open) {
        this.publicRepository = open;
        return this;
    }

    /** Pages lists at most {@code n} items at a time, whatever the request asks for. */
    /** Next-page links name {@code url} (scheme, host and port) instead of this fake. */
    public FakeForge pagesOn(String url) {
        this.pagesOn = url;
        return this;
    }

    /**
     * Every URL of this fake in an answer's body (asset, download and upload links) says
     * {@code prefix} instead of its scheme, host and port, e.g. {@code file://} or a malformed one.
     */
    public FakeForge linksOn(String prefix) {
        return answers(body -> body.replace(url(), prefix));
    }

    /** Every answer's body goes through {@code rewrite} before it is sent: what a hostile or broken API would say. */
    public FakeForge answers(java.util.function.UnaryOperator<String> rewrite) {
        this.rewrite = rewrite;
        return this;
    }

    public FakeForge maxPerPage(int n) {
        this.maxPerPage = n;
        return this;
    }

    /**
     * Answers the requests of {@code method} whose path matches {@code pathRegex} with {@code fault},
     * {@code times} times, after letting the first {@code skip} such requests through.
     */
    public FakeForge fault(String method, String pathRegex, Fault fault, int skip, int times) {
        faults.add(new Rule(method, Pattern.compile(pathRegex), fault, new int[] {skip}, new int[] {times}));
        return this;
    }

    /**
     * Runs {@code action} once, just before handling the next request of {@code method} whose path
     * matches {@code pathRegex}: what someone else does on the forge while a store is at work.
     */
    public FakeForge before(String method, String pathRegex, Runnable action) {
        hooks.add(new Hook(method, Pattern.compile(pathRegex), action));
        return this;
    }

    public void clearFaults() {
        faults.clear();
    }

    /** Every request so far, in order. */
    public List<Request> requests() {
        return List.copyOf(requests);
    }

    /** The requests that change something (neither GET nor HEAD). */
    public List<Request> writes() {
        return requests.stream().filter(Request::isWrite).toList();
    }

    public void forgetRequests() {
        requests.clear();
    }

    /** The caller's access from its headers: empty when it sent no token; a refusal when the token is unknown. */
    protected abstract Optional<String> token(Map<String, String> headers);

    /** The answer to a request; refusals are thrown as {@link Refusal}. */
    protected abstract Reply handle(Call call);

    /** Whether {@code path} is served to anyone, whether the repository is public or not (a signed storage URL). */
    protected boolean open(String path) {
        return false;
    }

    /** What this service answers to a request with an unknown token. */
    protected abstract Reply badCredentials();

    /** What this service answers to a read of a private repository without a token. */
    protected abstract Reply notFound();

    private synchronized Optional<Fault> fault(String method, String path) {
        for (Rule rule : faults) {
            if (rule.method().equals(method) && rule.path().matcher(path).matches() && rule.times()[0] > 0) {
                if (rule.skip()[0] > 0) {
                    rule.skip()[0]--;
                    continue;
                }
                rule.times()[0]--;
                return Optional.of(rule.fault());
            }
        }
        return Optional.empty();
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            URI uri = exchange.getRequestURI();
            Map<String, String> headers = new LinkedHashMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), values.get(0)));
            Optional<Fault> fault = fault(method, uri.getPath());
            if (fault.filter(f -> f == Fault.DROP_BEFORE).isPresent()) {
                requests.add(new Request(method, uri.getPath(), uri.getRawQuery(), headers, 0, false, -1));
                throw new IOException("fault injected: the connection closes before the request is handled");
            }
            for (Hook hook : hooks) {
                if (hook.method().equals(method) && hook.path().matcher(uri.getPath()).matches() && hooks.remove(hook)) {
                    hook.action().run();
                }
            }
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            boolean complete = true;
            try (InputStream in = exchange.getRequestBody()) {
                in.transferTo(body);
            } catch (IOException e) {
                complete = false; // the client stopped sending
            }
            String length = headers.get("content-length");
            complete &= length == null || Long.parseLong(length) == body.size();
            Reply reply;
            if (fault.isPresent() && fault.get() != Fault.DROP_AFTER) {
                reply = switch (fault.get()) {
                    case ERROR_500 -> Reply.json(500, JSON.createObjectNode().put("message", "Server Error (fault injected)"));
                    case BAD_GATEWAY_502 -> Reply.json(502, JSON.createObjectNode().put("message", "Bad Gateway (fault injected)"));
                    default -> Reply.json(429, JSON.createObjectNode().put("message", "Too Many Requests (fault injected)"))
                            .with("Retry-After", "1");
                };
            } else {
                try {
                    Optional<String> token = token(headers);
                    Optional<Access> access = token.map(tokens::get);
                    if (token.isPresent() && access.isEmpty()) {
                        throw new Refusal(badCredentials());
                    }
                    if (access.isEmpty() && !publicRepository && !open(uri.getPath())) {
                        throw new Refusal(notFound());
                    }
                    reply = handle(new Call(method, uri.getPath(), uri.getRawPath(), query(uri.getRawQuery()), body.toByteArray(), complete,
                            headers, access, uri));
                } catch (Refusal refusal) {
                    reply = refusal.reply;
                } catch (Dropped dropped) {
                    requests.add(new Request(method, uri.getPath(), uri.getRawQuery(), headers, body.size(), complete, -1));
                    throw new IOException(dropped.getMessage());
                }
            }
            if (fault.filter(f -> f == Fault.DROP_AFTER).isPresent()) {
                requests.add(new Request(method, uri.getPath(), uri.getRawQuery(), headers, body.size(), complete, -1));
                throw new IOException("fault injected: the request was handled, then the connection closed before the answer");
            }
            requests.add(new Request(method, uri.getPath(), uri.getRawQuery(), headers, body.size(), complete, reply.status()));
            reply.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
            if (rewrite != null) {
                reply = new Reply(reply.status(), reply.headers(),
                        rewrite.apply(new String(reply.body(), StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
            }
            boolean none = reply.body().length == 0 || method.equals("HEAD") || reply.status() == 204;
            exchange.sendResponseHeaders(reply.status(), none ? -1 : reply.body().length);
            if (!none) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(reply.body());
                }
            }
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            out.put(name, eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }

    /**
     * One page of {@code items}: {@code page} (from 1) of {@code perParam} items (its default
     * {@code defaultPer}, at most {@code maxPer} as the service documents, and at most what the
     * test set), with a {@code Link} header to the next and last pages as the services send it.
     */
    protected Reply page(Call call, List<? extends JsonNode> items, String perParam, int defaultPer, int maxPer) {
        int per = Math.max(1, Math.min(Math.min(parse(call.query().get(perParam), defaultPer), maxPer), maxPerPage));
        int page = Math.max(1, parse(call.query().get("page"), 1));
        int from = Math.min(items.size(), (page - 1) * per);
        int to = Math.min(items.size(), from + per);
        var array = JSON.createArrayNode();
        items.subList(from, to).forEach(array::add);
        Reply reply = Reply.json(200, array).with("X-Total", String.valueOf(items.size()))
                .with("X-Total-Count", String.valueOf(items.size()));
        int last = Math.max(1, (items.size() + per - 1) / per);
        List<String> links = new ArrayList<>();
        if (page < last) {
            links.add("<" + pageUrl(call, page + 1) + ">; rel=\"next\"");
            reply = reply.with("X-Next-Page", String.valueOf(page + 1));
        } else {
            reply = reply.with("X-Next-Page", "");
        }
        links.add("<" + pageUrl(call, last) + ">; rel=\"last\"");
        return reply.with("Link", String.join(", ", links));
    }

    private String pageUrl(Call call, int page) {
        String raw = call.uri().getRawQuery() == null ? "" : call.uri().getRawQuery().replaceAll("(^|&)page=\\d+", "");
        raw = raw.startsWith("&") ? raw.substring(1) : raw;
        return (pagesOn == null ? url() : pagesOn) + call.rawPath() + "?" + (raw.isEmpty() ? "" : raw + "&") + "page=" + page;
    }

    private static int parse(String value, int fallback) {
        try {
            return value == null ? fallback : Integer.parseInt(value);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    /** The token after {@code Bearer } or {@code token } in an Authorization header. */
    protected static Optional<String> authorization(Map<String, String> headers) {
        String value = headers.get("authorization");
        if (value == null) {
            return Optional.empty();
        }
        int space = value.indexOf(' ');
        return Optional.of(space < 0 ? value : value.substring(space + 1).strip());
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
