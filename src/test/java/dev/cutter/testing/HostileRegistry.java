package dev.cutter.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Test fixture: a registry that answers the distribution API wrongly, on purpose. It is a proxy
 * on loopback in front of a real registry (Debian's docker-registry), passing every request on
 * and playing one {@link Trick} on the answers it concerns; nothing here is a fake registry, the
 * honest parts are the real one. Each trick is what a broken or malicious registry, cache or
 * middlebox has been seen to do; a client must refuse it quickly and clearly.
 */
public final class HostileRegistry implements AutoCloseable {
    /** What the registry does wrong. */
    public enum Trick {
        /** A manifest GET answers other bytes than the digest asked for (and announced) has. */
        WRONG_DIGEST,
        /** A manifest GET by tag answers 100 MB of JSON, with no Content-Length. */
        HUGE_MANIFEST,
        /** A blob GET redirects to itself, for ever. */
        REDIRECT_LOOP,
        /** A manifest GET by tag sends its headers, then one byte per second (slow loris). */
        SLOW_MANIFEST,
        /** A blob GET sends its headers, then one byte per second (slow loris). */
        SLOW_BLOB,
        /** A blob GET announces more bytes than it sends, then closes the connection. */
        SHORT_BLOB,
        /** After a push, HEAD and GET of a manifest by tag name another digest (a registry that lies when read back). */
        OTHER_DIGEST_ON_READ_BACK,
        /**
         * The first PUT of a platform manifest answers 400 MANIFEST_BLOB_UNKNOWN although its blobs
         * were pushed, as docker-registry does while a concurrent push rewrites the same blob's link.
         */
        BLOB_UNKNOWN_ONCE,
        /**
         * The first PUT of an index answers 400 MANIFEST_BLOB_UNKNOWN although its manifests were
         * put, as docker-registry does while a concurrent put of one of them rewrites its link (one
         * image copied to two tags of a repository at once).
         */
        INDEX_BLOB_UNKNOWN_ONCE,
        /**
         * The first PUT of a manifest by digest waits until {@link #letGo()}: a push paused after it
         * looked at the repository's tags and before it writes them, so another release can run in
         * between (the race of two releases at once, made deterministic).
         */
        HOLD_FIRST_MANIFEST,
        /** The first PUT of a manifest by tag waits until {@link #letGo()}: a push paused while it writes its tags. */
        HOLD_FIRST_TAG,
        /**
         * Amazon ECR with tag immutability on. A PUT of a manifest by a tag the repository holds at
         * another digest answers 400 TAG_INVALID, "The image tag '…' already exists in the '…'
         * repository and cannot be overwritten because the tag is immutable." (ECR's documentation:
         * "the ImageTagAlreadyExistsException error is returned if you push an image with a tag that
         * is already in the repository"; the distribution API's answer as docker and kaniko report it).
         */
        ECR_IMMUTABLE_TAGS,
        /**
         * Harbor with a tag immutability rule matching every tag: 412 Precondition Failed, code
         * PRECONDITION, "Failed to process request due to '…:…' configured as immutable." (Harbor's
         * immutable-tag middleware, and its documentation of tag immutability rules).
         */
        HARBOR_IMMUTABLE_TAGS,
        /**
         * Google Artifact Registry with immutable tags ("prevents all tags from being modified, moved
         * or deleted. This does not prevent tags from being created"): 400 with an error whose
         * message says the tag is immutable. Modelled on what users report; Google's documentation
         * gives no body.
         */
        GAR_IMMUTABLE_TAGS,
        /**
         * GitHub's container registry refusing a write to a token without {@code write:packages}
         * (or, in Actions, a job without {@code permissions: packages: write}): GHCR grants the token
         * and then answers the upload with 403, code DENIED, "permission_denied: write_package", as
         * docker and buildx report it. The real registry's refusal of a token that lacks push (401
         * insufficient_scope) is turned into that.
         */
        GHCR_DENIED_WRITE,
        /**
         * Blobs kept on another host, as registries that store them in S3, GCS or a CDN do: a blob
         * GET is redirected (307) there, and an upload's {@code Location} names that host. The
         * storage host honours the URL alone, as a presigned URL is honoured, and records every
         * Authorization header it is sent ({@link #authorizationsSeenElsewhere()}): a client must
         * keep the registry's credentials for the registry.
         */
        STORAGE_ELSEWHERE,
        /** A tag list's {@code Link} names the same page as the next one, for ever. */
        TAG_LIST_LOOP,
        /** A tag list's {@code Link} names its next page on another host. */
        TAG_LIST_ELSEWHERE
    }

    private static final long HUGE = 100L << 20;
    private final HttpServer server;
    private final String target;
    private final Trick trick;
    private final AtomicInteger played = new AtomicInteger();
    private final java.util.concurrent.CountDownLatch held = new java.util.concurrent.CountDownLatch(1);
    private final java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
    /** {@link Trick#STORAGE_ELSEWHERE}: the other host, the grant its URLs stand for, what it was sent. */
    private HttpServer storage;
    private final java.util.concurrent.atomic.AtomicReference<String> grant = new java.util.concurrent.atomic.AtomicReference<>();
    private final List<String> seenElsewhere = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final AtomicInteger servedElsewhere = new AtomicInteger();

    private HostileRegistry(HttpServer server, String target, Trick trick) {
        this.server = server;
        this.target = target;
        this.trick = trick;
    }

    /** A hostile registry in front of {@code target} (host:port of a real one) playing {@code trick}. */
    public static HostileRegistry start(String target, Trick trick) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        HostileRegistry registry = new HostileRegistry(server, target, trick);
        server.createContext("/", registry::handle);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
        if (trick == Trick.STORAGE_ELSEWHERE) {
            registry.storage = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            registry.storage.createContext("/", registry::store);
            registry.storage.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            registry.storage.start();
        }
        return registry;
    }

    /** {@link Trick#STORAGE_ELSEWHERE}: how many requests the storage host served. */
    public int servedElsewhere() {
        return servedElsewhere.get();
    }

    /** {@link Trick#STORAGE_ELSEWHERE}: the Authorization headers the storage host was sent (none, from a careful client). */
    public List<String> authorizationsSeenElsewhere() {
        return List.copyOf(seenElsewhere);
    }

    private String storageAddress() {
        return "127.0.0.1:" + storage.getAddress().getPort();
    }

    /** The storage host: serves the registry's blob URLs with the grant they stand for, never with what the client sent. */
    private void store(HttpExchange exchange) throws IOException {
        try (exchange) {
            servedElsewhere.incrementAndGet();
            String sent = exchange.getRequestHeaders().getFirst("Authorization");
            if (sent != null) {
                seenElsewhere.add(sent);
            }
            byte[] body = exchange.getRequestBody().readAllBytes();
            Upstream.reply(exchange, Upstream.forward(exchange, body, target, storageAddress(), java.util.Optional.ofNullable(grant.get())));
        }
    }

    public String address() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    /** How many answers the trick was played on. */
    public int played() {
        return played.get();
    }

    /** Waits until a request is held (the hold tricks); false when none came within {@code limit}. */
    public boolean awaitHeld(Duration limit) throws InterruptedException {
        return held.await(limit.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /** Lets the held request (and any later one) through. */
    public void letGo() {
        go.countDown();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            boolean get = method.equals("GET");
            boolean manifest = path.contains("/manifests/");
            boolean byTag = manifest && !path.contains("/manifests/sha256:");
            boolean blob = path.contains("/blobs/") && !path.contains("/blobs/uploads");
            byte[] body = exchange.getRequestBody().readAllBytes();
            if (trick == Trick.STORAGE_ELSEWHERE) {
                String authorization = exchange.getRequestHeaders().getFirst("Authorization");
                if (authorization != null) {
                    grant.set(authorization);
                }
                if (get && blob && authorization != null) {
                    played.incrementAndGet();
                    exchange.getResponseHeaders().add("Location", "http://" + storageAddress() + exchange.getRequestURI());
                    exchange.sendResponseHeaders(307, -1);
                    return;
                }
                Upstream.Answer answer = Upstream.forward(exchange, body, target, address());
                String location = answer.header("Location");
                if (location != null && location.contains("/blobs/uploads/")) {
                    played.incrementAndGet();
                    Map<String, List<String>> headers = new java.util.LinkedHashMap<>(answer.headers());
                    headers.keySet().removeIf(k -> k.equalsIgnoreCase("Location"));
                    headers.put("Location", List.of(location.replace(address(), storageAddress())));
                    answer = new Upstream.Answer(answer.status(), headers, answer.body());
                }
                Upstream.reply(exchange, answer);
                return;
            }
            if ((trick == Trick.TAG_LIST_LOOP || trick == Trick.TAG_LIST_ELSEWHERE) && get && path.endsWith("/tags/list")) {
                played.incrementAndGet();
                Upstream.Answer answer = Upstream.forward(exchange, body, target, address());
                Map<String, List<String>> headers = new java.util.LinkedHashMap<>(answer.headers());
                String next = trick == Trick.TAG_LIST_LOOP ? exchange.getRequestURI().toString()
                        : "http://127.0.0.1:1" + exchange.getRequestURI();
                headers.put("Link", List.of("<" + next + ">; rel=\"next\""));
                Upstream.reply(exchange, new Upstream.Answer(answer.status(), headers, answer.body()));
                return;
            }
            if (trick == Trick.REDIRECT_LOOP && get && blob) {
                played.incrementAndGet();
                exchange.getResponseHeaders().add("Location", "http://" + address() + path + "?again=" + played.get());
                exchange.sendResponseHeaders(307, -1);
                return;
            }
            if (trick == Trick.HUGE_MANIFEST && get && byTag) {
                played.incrementAndGet();
                exchange.getResponseHeaders().add("Content-Type", "application/vnd.oci.image.index.v1+json");
                exchange.sendResponseHeaders(200, 0); // chunked: no length announced
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write("{\"schemaVersion\":2,\"manifests\":[".getBytes(StandardCharsets.US_ASCII));
                    byte[] spaces = new byte[1 << 20];
                    Arrays.fill(spaces, (byte) ' ');
                    for (long sent = 0; sent < HUGE; sent += spaces.length) {
                        out.write(spaces);
                    }
                    out.write("]}".getBytes(StandardCharsets.US_ASCII));
                } catch (IOException clientGaveUp) {
                    // the client stopped reading: as it should
                }
                return;
            }
            boolean index = new String(body, StandardCharsets.UTF_8).contains("\"manifests\"");
            if ((trick == Trick.BLOB_UNKNOWN_ONCE && !index || trick == Trick.INDEX_BLOB_UNKNOWN_ONCE && index)
                    && method.equals("PUT") && manifest && !byTag && played.compareAndSet(0, 1)) {
                byte[] refusal = ("{\"errors\":[{\"code\":\"DIGEST_INVALID\",\"message\":\"provided digest did not match uploaded content\"},"
                        + "{\"code\":\"MANIFEST_BLOB_UNKNOWN\",\"message\":\"blob unknown to registry\"}]}").getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(400, refusal.length);
                exchange.getResponseBody().write(refusal);
                return;
            }
            boolean putManifest = method.equals("PUT") && manifest;
            if ((trick == Trick.HOLD_FIRST_MANIFEST && putManifest && !byTag || trick == Trick.HOLD_FIRST_TAG && putManifest && byTag)
                    && played.compareAndSet(0, 1)) {
                held.countDown();
                try {
                    go.await(5, java.util.concurrent.TimeUnit.MINUTES); // until the test lets it go
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if ((trick == Trick.ECR_IMMUTABLE_TAGS || trick == Trick.HARBOR_IMMUTABLE_TAGS || trick == Trick.GAR_IMMUTABLE_TAGS)
                    && putManifest && byTag && movesATag(path, body)) {
                played.incrementAndGet();
                String tag = path.substring(path.lastIndexOf('/') + 1);
                String name = path.substring("/v2/".length(), path.indexOf("/manifests/"));
                int status = trick == Trick.HARBOR_IMMUTABLE_TAGS ? 412 : 400;
                String error = switch (trick) {
                    case ECR_IMMUTABLE_TAGS -> "{\"code\":\"TAG_INVALID\",\"message\":\"The image tag '" + tag + "' already exists in the '"
                            + name + "' repository and cannot be overwritten because the tag is immutable.\"}";
                    case HARBOR_IMMUTABLE_TAGS -> "{\"code\":\"PRECONDITION\",\"message\":\"Failed to process request due to '"
                            + name.substring(name.lastIndexOf('/') + 1) + ":" + tag + "' configured as immutable.\"}";
                    default -> "{\"code\":\"MANIFEST_INVALID\",\"message\":\"Failed to update tag " + tag + ": tag is immutable\"}";
                };
                byte[] refusal = ("{\"errors\":[" + error + "]}").getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(status, refusal.length);
                exchange.getResponseBody().write(refusal);
                return;
            }
            Upstream.Answer answer = Upstream.forward(exchange, body, target, address());
            if (trick == Trick.GHCR_DENIED_WRITE && answer.status() == 401 && !get && !method.equals("HEAD")
                    && exchange.getRequestHeaders().getFirst("Authorization") != null) {
                played.incrementAndGet();
                byte[] refusal = "{\"errors\":[{\"code\":\"DENIED\",\"message\":\"permission_denied: write_package\"}]}"
                        .getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(403, refusal.length);
                exchange.getResponseBody().write(refusal);
                return;
            }
            if (answer.status() != 200 || !get && !(method.equals("HEAD") && trick == Trick.OTHER_DIGEST_ON_READ_BACK)) {
                Upstream.reply(exchange, answer);
                return;
            }
            switch (trick) {
                case WRONG_DIGEST -> {
                    if (manifest) {
                        played.incrementAndGet();
                        byte[] other = Arrays.copyOf(answer.body(), answer.body().length + 1);
                        other[other.length - 1] = '\n'; // the same JSON, other bytes
                        answer = new Upstream.Answer(200, answer.headers(), other);
                    }
                }
                case SLOW_MANIFEST, SLOW_BLOB -> {
                    if (trick == Trick.SLOW_MANIFEST ? byTag : blob) {
                        played.incrementAndGet();
                        trickle(exchange, answer);
                        return;
                    }
                }
                case SHORT_BLOB -> {
                    if (blob && answer.body().length > 0) {
                        played.incrementAndGet();
                        answer.headers().forEach((name, values) -> values.forEach(v -> exchange.getResponseHeaders().add(name, v)));
                        exchange.getResponseHeaders().set("Content-Length", String.valueOf(answer.body().length + 4096));
                        exchange.sendResponseHeaders(200, answer.body().length + 4096L);
                        OutputStream out = exchange.getResponseBody();
                        out.write(answer.body());
                        out.flush();
                        throw new IOException("the hostile registry closes the connection short of what it announced");
                    }
                }
                case OTHER_DIGEST_ON_READ_BACK -> {
                    if (byTag) {
                        played.incrementAndGet();
                        String lie = "sha256:" + "0".repeat(64);
                        Map<String, List<String>> headers = new java.util.LinkedHashMap<>(answer.headers());
                        headers.keySet().removeIf(k -> k.equalsIgnoreCase("Docker-Content-Digest"));
                        headers.put("Docker-Content-Digest", List.of(lie));
                        answer = new Upstream.Answer(200, headers, answer.body());
                    }
                }
                default -> { }
            }
            Upstream.reply(exchange, answer);
        }
    }

    /** Headers at once, then the body one byte per second, until the client gives up. */
    private static void trickle(HttpExchange exchange, Upstream.Answer answer) throws IOException {
        answer.headers().forEach((name, values) -> values.forEach(v -> exchange.getResponseHeaders().add(name, v)));
        exchange.sendResponseHeaders(200, answer.body().length);
        OutputStream out = exchange.getResponseBody();
        try {
            for (byte b : answer.body()) {
                out.write(b);
                out.flush();
                FaultyProxy.pause(Duration.ofSeconds(1)); // the slow loris's pace
            }
        } catch (IOException clientGaveUp) {
            // as it should
        }
    }

    @Override
    public void close() {
        server.stop(0);
        if (storage != null) {
            storage.stop(0);
        }
    }

    /** Whether a PUT of {@code body} at {@code path} (a manifest by tag) would point a tag the registry has at another digest. */
    private boolean movesATag(String path, byte[] body) throws IOException {
        String now = Upstream.digestAt(target, path);
        return now != null && !now.equals("sha256:" + java.util.HexFormat.of().formatHex(sha256(body)));
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
