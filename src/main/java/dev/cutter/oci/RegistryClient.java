package dev.cutter.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.cutter.content.Digest;
import dev.cutter.http.Backoff;
import dev.cutter.http.HttpException;
import dev.cutter.http.Loopback;
import dev.cutter.http.Retries;
import dev.cutter.http.Sender;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A client of the OCI Distribution API on {@code java.net.http}: blobs (HEAD, monolithic upload
 * streamed from a file, cross-repository mount), manifests and indexes (HEAD, GET verified by
 * digest, PUT), and tag lists with pagination. Anonymous, basic and bearer-token auth (the token
 * fetched for the repository's scope on the first 401 and cached; an identity token exchanged for
 * it, see {@link TokenService}); retries with backoff on 429,
 * 5xx and dropped connections, honouring Retry-After, through the shared {@link Sender}.
 * Loopback registries are spoken to in plain
 * HTTP, as Docker does; others over HTTPS unless declared insecure.
 */
public final class RegistryClient {
    /** What HEAD and GET of a manifest ask for: every manifest and index type Cutter reads. */
    static final String ACCEPT = String.join(", ", MediaTypes.OCI_INDEX, MediaTypes.OCI_MANIFEST,
            MediaTypes.DOCKER_MANIFEST_LIST, MediaTypes.DOCKER_MANIFEST);
    private static final ObjectMapper JSON = JsonMapper.builder().build();
        private static final Pattern NEXT = Pattern.compile("<([^>]+)>\\s*;\\s*rel=\"?next\"?");
    private static final int ATTEMPTS = 5;
    /** The largest manifest or index read: registries refuse larger ones too (distribution's limit is 4 MiB). */
    static final int MAX_MANIFEST = ManifestContent.MAX_SIZE;
    /** The largest tag list read (about 300,000 tags). */
    private static final int MAX_TAG_LIST = 16 << 20;

    /** A manifest or index as a registry holds it. */
    public record Manifest(String mediaType, Digest digest, byte[] bytes) {}

    /** What HEAD tells about a manifest without fetching it. */
    public record ManifestHead(String mediaType, Digest digest, long size) {}

    /**
     * How a client speaks to registries, fixed when it is built: hosts reached over plain HTTP
     * (loopback always is), bytes per PATCH when uploading in chunks (0 sends a blob in one
     * request), how long a registry may take to answer a request that sends no body (headers),
     * to send a manifest, or between two 64 KiB of a blob, and tags asked for per page.
     */
    public record Options(Set<String> insecure, long chunkSize, Duration timeout, int pageSize) {
        public Options {
            insecure = Set.copyOf(insecure);
        }

        public static Options defaults() {
            return new Options(Set.of(), 0, DEFAULT_TIMEOUT, 1000);
        }

        public Options withInsecure(Set<String> hosts) {
            return new Options(hosts, chunkSize, timeout, pageSize);
        }

        public Options withChunkSize(long bytes) {
            return new Options(insecure, bytes, timeout, pageSize);
        }

        public Options withTimeout(Duration timeout) {
            return new Options(insecure, chunkSize, timeout, pageSize);
        }

        Options withPageSize(int n) {
            return new Options(insecure, chunkSize, timeout, n);
        }
    }

    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    private final HttpClient http;
    private final Credentials credentials;
    private final Backoff backoff;
    private final Sender sender;
    private final Options options;
    /** The run's request budgets per registry (see {@link RateLimits}); shared by the clients made from this one. */
    private final RateLimits rateLimits;
    /** The Authorization header held per host and scopes (a Bearer token, or Basic credentials). */
    private final Map<String, String> tokens;
    /** One renewal at a time per host and scopes: requests that met a 401 together share its token. */
    private final Map<String, java.util.concurrent.locks.ReentrantLock> renewing;
    /** Where blobs are on each registry, for mounts; shared by the clients made from this one. */
    private final BlobHomes homes;
    /**
     * Hosts that answered a referrers request 404 or 405 other than as a registry error: they have
     * no referrers API (the distribution spec forbids a 404 from one that has), so they are not asked again.
     */
    private final Set<String> noReferrersApi;

    /**
     * The HTTP client registries are spoken to with: HTTP/1.1 (blobs travel on parallel
     * connections rather than multiplexed on one; it also starts faster), redirects followed
     * (registries hand blobs off to storage), 10 s to connect, the platform's trust store read at
     * the first TLS handshake ({@link dev.cutter.http.LazyTrust}), not before a plain-HTTP run.
     */
    public static HttpClient http() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NORMAL).sslContext(dev.cutter.http.LazyTrust.context()).build();
    }

    public RegistryClient(HttpClient http, Credentials credentials, Set<String> insecureHosts) {
        this(http, credentials, Options.defaults().withInsecure(insecureHosts));
    }

    public RegistryClient(HttpClient http, Credentials credentials, Set<String> insecureHosts, Duration maxBackoff) {
        this(http, credentials, Options.defaults().withInsecure(insecureHosts), maxBackoff);
    }

    public RegistryClient(HttpClient http, Credentials credentials, Options options) {
        this(http, credentials, options, Duration.ofSeconds(30));
    }

    public RegistryClient(HttpClient http, Credentials credentials, Options options, Duration maxBackoff) {
        this.http = http;
        this.credentials = credentials;
        this.options = options;
        this.backoff = new Backoff(ATTEMPTS, Duration.ofMillis(500), maxBackoff, Duration.ofMinutes(2));
        this.sender = new Sender(http, backoff);
        this.rateLimits = new RateLimits();
        this.tokens = new ConcurrentHashMap<>();
        this.renewing = new ConcurrentHashMap<>();
        this.homes = new BlobHomes();
        this.noReferrersApi = ConcurrentHashMap.newKeySet();
    }

    /** The same client (its connections and the tokens it holds) speaking with other options. */
    private RegistryClient(RegistryClient shared, Options options) {
        this(shared, options, shared.rateLimits);
    }

    private RegistryClient(RegistryClient shared, Options options, RateLimits rateLimits) {
        this.rateLimits = rateLimits;
        this.http = shared.http;
        this.credentials = shared.credentials;
        this.backoff = shared.backoff;
        this.sender = shared.sender;
        this.tokens = shared.tokens;
        this.renewing = shared.renewing;
        this.homes = shared.homes;
        this.noReferrersApi = shared.noReferrersApi;
        this.options = options;
    }

    public Options options() {
        return options;
    }

    /**
     * This client counting its requests against {@code limits}, the budgets of the run's registries
     * that every client of the run shares; it shares the tokens held.
     */
    public RegistryClient paced(RateLimits limits) {
        return new RegistryClient(this, options, limits);
    }

    /** The request budgets this client counts against and teaches what registries report. */
    public RateLimits rateLimits() {
        return rateLimits;
    }

    /** This client with {@code options}; it shares the tokens held, so a run authenticates once per scope. */
    public RegistryClient with(Options options) {
        return new RegistryClient(this, options);
    }

    /**
     * This client uploading blobs in chunks of {@code bytes} (raised to the registry's
     * OCI-Chunk-Min-Length), each a PATCH with its Content-Range, resuming from the registry's
     * Range after a failure.
     */
    public RegistryClient chunked(long bytes) {
        return with(options.withChunkSize(bytes));
    }

    /** This client with the time-out described at {@link Options}. */
    public RegistryClient timeout(Duration timeout) {
        return with(options.withTimeout(timeout));
    }

    /** A time-out given as a number of seconds (as {@code CUTTER_REGISTRY_TIMEOUT} is); none: 60 s. */
    public static Duration timeoutFrom(String seconds) {
        if (seconds == null || seconds.isBlank()) {
            return DEFAULT_TIMEOUT;
        }
        try {
            return Duration.ofMillis((long) (Double.parseDouble(seconds.strip()) * 1000));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("CUTTER_REGISTRY_TIMEOUT='" + seconds + "' is not a number of seconds");
        }
    }

    /** Asks for tag lists {@code n} at a time (1000 unless a test wants to see the pages). */
    RegistryClient pageSize(int n) {
        return with(options.withPageSize(n));
    }

    /** Where {@code repo}'s API is: Docker Hub's names ({@code docker.io}, …) answer at {@value RegistryHost#DOCKER_HUB_API}. */
    private URI uri(Repository repo, String path) {
        String scheme = inPlain(repo.host()) ? "http" : "https";
        return URI.create(scheme + "://" + RegistryHost.apiHostOf(repo.host()) + "/v2/" + repo.path() + path);
    }

    // ---- blobs -----------------------------------------------------------------------------------

    public boolean blobExists(Repository repo, Digest digest) {
        HttpResponse<InputStream> r = send(repo, "pull", () -> HttpRequest.newBuilder(uri(repo, "/blobs/" + digest))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()));
        close(r);
        if (r.statusCode() == 200) {
            homes.seen(repo, digest);
            return true;
        }
        if (r.statusCode() == 404) {
            return false;
        }
        throw failure(r, "HEAD blob " + digest);
    }

    /**
     * Puts a blob into {@code repo}: mounted from {@code mountFrom} (another repository of the same
     * registry) when the registry agrees, else uploaded in one streamed PUT.
     */
    public void putBlob(Repository repo, Digest digest, Path file, Optional<String> mountFrom) {
        putBlob(repo, digest, d -> file, mountFrom);
    }

    /**
     * As above; {@code bytes} is asked for the file only when the blob must really be uploaded.
     * Without {@code mountFrom}, a blob this client saw or put in another repository of the same
     * registry is mounted from there; sends of one blob to one registry wait for each other
     * ({@link BlobHomes}), so a layer shared by several images goes to each registry once.
     */
    public void putBlob(Repository repo, Digest digest, Blobs bytes, Optional<String> mountFrom) {
        homes.sendAlone(repo, digest, waited -> {
            if (waited && homes.in(repo, digest)) {
                return; // the send this one waited for put it here
            }
            send(repo, digest, bytes, mountFrom.isPresent() ? mountFrom : homes.elsewhere(repo, digest));
            homes.seen(repo, digest);
        });
    }

    private void send(Repository repo, Digest digest, Blobs bytes, Optional<String> mountFrom) {
        String start = "/blobs/uploads/" + mountFrom.map(from -> "?mount=" + encode(digest.toString()) + "&from=" + encode(from)).orElse("");
        // a mount needs pull on the source too: the registry checks both, in one token
        List<String> mountScopes = mountFrom.map(from -> List.of(scope(repo, "pull,push"), "repository:" + from + ":pull"))
                .orElse(List.of(scope(repo, "pull,push")));
        HttpResponse<InputStream> opened = send(repo, mountScopes,
                () -> HttpRequest.newBuilder(uri(repo, start)).POST(HttpRequest.BodyPublishers.noBody()));
        List<String> scopes = mountScopes;
        if (mountFrom.isPresent() && opened.statusCode() != 201 && opened.statusCode() != 202) {
            // the mount was refused (no pull on the source, mounting not allowed there, …): upload instead
            close(opened);
            scopes = List.of(scope(repo, "pull,push"));
            opened = send(repo, scopes, () -> HttpRequest.newBuilder(uri(repo, "/blobs/uploads/")).POST(HttpRequest.BodyPublishers.noBody()));
        }
        HttpResponse<InputStream> r = opened;
        List<String> sessionScopes = scopes; // the session's requests go with the token that opened it
        if (r.statusCode() != 201 && r.statusCode() != 202) {
            throw failure(r, "start an upload of " + digest);
        }
        close(r);
        if (r.statusCode() == 201) {
            return; // mounted: the registry had it in the other repository
        }
        URI location = location(r)
                .orElseThrow(() -> new RegistryException(r.uri().toString(), 202, "the registry opened an upload without a Location", false, null));
        String separator = location.getQuery() == null ? "?" : "&";
        // (chunked uploads move the session's location along as the registry answers each PATCH)
        Path file;
        try {
            file = bytes.path(digest);
        } catch (IOException e) {
            throw new RegistryException(repo.toString(), 0, "the bytes of " + digest + " could not be had: " + e.getMessage(), true, e);
        }
        if (options.chunkSize() > 0) {
            long min = r.headers().firstValueAsLong("OCI-Chunk-Min-Length").orElse(0);
            location = patchChunks(repo, sessionScopes, location, file, Math.max(options.chunkSize(), min));
            separator = location.getQuery() == null ? "?" : "&";
        }
        boolean bodyLeft = options.chunkSize() == 0;
        URI put = URI.create(location + separator + "digest=" + encode(digest.toString()));
        HttpResponse<InputStream> done;
        try {
            done = send(repo, sessionScopes, () -> {
            try {
                return HttpRequest.newBuilder(put).header("Content-Type", "application/octet-stream")
                        .PUT(bodyLeft ? HttpRequest.BodyPublishers.ofFile(file) : HttpRequest.BodyPublishers.noBody());
            } catch (java.io.FileNotFoundException e) {
                throw new RegistryException(file.toString(), 0, "the blob file " + file + " is missing", false, e);
            }
            });
        } catch (RegistryException e) {
            if (e.retryable() && blobExists(repo, digest)) {
                return; // the upload completed but its answer was lost
            }
            throw e;
        }
        if (done.statusCode() != 201) {
            if (blobExists(repo, digest)) {
                close(done);
                return; // a retried PUT found its session used up by the attempt whose answer was lost
            }
            throw failure(done, "upload " + digest);
        }
        close(done);
    }

    /**
     * Streams a blob into {@code target} (a new file), its digest checked on the way: a blob that
     * does not match what it was asked for is never kept.
     */
    public void getBlob(Repository repo, Digest digest, Path target) {
        for (int attempt = 1; ; attempt++) {
            HttpResponse<InputStream> r = send(repo, "pull", () -> HttpRequest.newBuilder(uri(repo, "/blobs/" + digest)).GET());
            if (r.statusCode() != 200) {
                throw failure(r, "GET blob " + digest);
            }
            try {
                readBlob(r, digest, target);
                return;
            } catch (RegistryException e) {
                if (!e.retryable() || attempt >= ATTEMPTS) {
                    throw e;
                }
                sleep(backoff.delay(attempt, Optional.empty())); // the body broke off or arrived wrong: fetch it again
            }
        }
    }

    private void readBlob(HttpResponse<InputStream> r, Digest digest, Path target) {
        Digest actual;
        WatchedBody in = WatchedBody.steady(r.body(), options.timeout());
        try (in; Digest.Counting out = new Digest.Counting(new java.io.BufferedOutputStream(java.nio.file.Files.newOutputStream(target), 1 << 16))) {
            in.transferTo(out);
            out.flush();
            actual = out.digest();
        } catch (IOException e) {
            if (in.expired()) {
                throw stalled(r, "blob " + digest, in);
            }
            long announced = r.headers().firstValueAsLong("Content-Length").orElse(-1);
            String got = announced > in.count() ? " after " + in.count() + " of the " + announced + " bytes it announced" : "";
            throw new RegistryException(r.uri().toString(), 0, "reading blob " + digest + " from " + r.uri() + " failed" + got
                    + ": " + e.getMessage(), true, e);
        }
        if (!actual.equals(digest)) {
            try {
                java.nio.file.Files.deleteIfExists(target);
            } catch (IOException ignored) {
                // the caller's temporary file
            }
            throw new RegistryException(r.uri().toString(), 200, "blob " + digest + " arrived as " + actual
                    + "; the registry or something between answered wrongly", true, null);
        }
    }

    /**
     * Sends {@code file} as PATCHes of {@code chunk} bytes. After a failed PATCH the session's
     * status (GET on its location) says how much arrived, and sending resumes from there.
     * Returns the session's location for the closing PUT.
     */
    private URI patchChunks(Repository repo, List<String> scopes, URI location, Path file, long chunk) {
        long size;
        try {
            size = java.nio.file.Files.size(file);
        } catch (IOException e) {
            throw new RegistryException(file.toString(), 0, "cannot read " + file + ": " + e.getMessage(), false, e);
        }
        long offset = 0;
        int failures = 0;
        boolean renewed = false;
        String key = key(repo, scopes);
        while (offset < size) {
            long length = Math.min(chunk, size - offset);
            long start = offset;
            Optional<Duration> asked = Optional.empty();
            try {
                String token = tokens.get(key);
                HttpRequest request = authorized(repo, token, HttpRequest.newBuilder(location)
                        .header("Content-Type", "application/octet-stream")
                        .header("Content-Range", start + "-" + (start + length - 1))
                        .timeout(Duration.ofMinutes(10))
                        .method("PATCH", HttpRequest.BodyPublishers.fromPublisher(
                                HttpRequest.BodyPublishers.ofInputStream(() -> slice(file, start, length)), length)));
                HttpResponse<InputStream> answer = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
                if (answer.statusCode() == 202) {
                    close(answer);
                    location = location(answer).orElse(location);
                    offset = rangeEnd(answer).orElse(start + length - 1) + 1;
                    failures = 0;
                    renewed = false;
                    continue;
                }
                if (answer.statusCode() == 401 && !atRegistry(repo, answer.uri())) {
                    close(answer);
                    throw refusedElsewhere(repo, answer);
                }
                if (answer.statusCode() == 401 && !renewed) {
                    // the token ran out during the upload (the registry checks it before taking any byte): renew, resend
                    close(answer);
                    authenticate(repo, scopes, key, token, answer.headers().firstValue("WWW-Authenticate").orElse(""));
                    renewed = true;
                    continue;
                }
                if (answer.statusCode() != 416 && !Retries.retryable(answer.statusCode(), answer.headers())) {
                    throw failure(answer, "upload a chunk at " + start);
                }
                asked = Retries.asked(answer.headers(), java.time.Instant.now());
                close(answer);
            } catch (IOException e) {
                // the connection broke mid-chunk: ask the registry how far it got
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RegistryException(location.toString(), 0, "interrupted", false, e);
            }
            if (++failures > ATTEMPTS) {
                throw new RegistryException(location.toString(), 0, "the upload of " + file + " kept failing at byte " + offset, true, null);
            }
            sleep(backoff.delay(failures, asked));
            URI statusAt = location;
            HttpResponse<InputStream> status = send(repo, scopes, () -> HttpRequest.newBuilder(statusAt).GET());
            close(status);
            if (status.statusCode() == 204 || status.statusCode() == 202) {
                location = location(status).orElse(location);
                offset = rangeEnd(status).map(end -> end + 1).orElse(0L);
            } else {
                throw new RegistryException(location.toString(), status.statusCode(), "the upload session of " + file
                        + " is gone (status " + status.statusCode() + "); the blob will be sent again", true, null);
            }
        }
        return location;
    }

    /**
     * Where {@code response}'s {@code Location} points, resolved against the URL it answered; empty
     * when it names none. A Location that is not an http(s) URL (a file URL, a malformed one) is the
     * registry's fault and is said so, never followed.
     */
    private static Optional<URI> location(HttpResponse<?> response) {
        Optional<String> header = response.headers().firstValue("Location");
        if (header.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(dev.cutter.http.Origin.resolveHttp(response.uri(), header.get()).orElseThrow(() -> new RegistryException(
                HttpException.safe(response.uri()), response.statusCode(), HttpException.safe(response.uri())
                        + " answered with a Location that is not an http(s) URL; the registry is broken or hostile", false, null)));
    }

    /** The last byte the registry holds, from its {@code Range: 0-N} header. */
    private static Optional<Long> rangeEnd(HttpResponse<?> response) {
        return response.headers().firstValue("Range").map(r -> r.replaceFirst("^bytes=", ""))
                .filter(r -> r.matches("\\d+-\\d+")).map(r -> Long.parseLong(r.substring(r.indexOf('-') + 1)));
    }

    private static InputStream slice(Path file, long start, long length) {
        try {
            var channel = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.READ);
            channel.position(start);
            InputStream in = java.nio.channels.Channels.newInputStream(channel);
            return new java.io.FilterInputStream(in) {
                private long left = length;

                @Override
                public int read() throws IOException {
                    if (left <= 0) {
                        return -1;
                    }
                    int b = super.read();
                    if (b >= 0) {
                        left--;
                    }
                    return b;
                }

                @Override
                public int read(byte[] buffer, int off, int len) throws IOException {
                    if (left <= 0) {
                        return -1;
                    }
                    int n = super.read(buffer, off, (int) Math.min(len, left));
                    if (n > 0) {
                        left -= n;
                    }
                    return n;
                }
            };
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * A request with {@code token} (the Authorization header held for its scopes), if any, when it
     * goes to {@code repo}'s registry. A request to any other origin (a blob store an upload's
     * {@code Location} names, as registries that keep blobs in S3 or GCS do) goes without it: such
     * URLs carry their own grant, and the registry's password or token is for the registry alone,
     * as Docker's and containerd's clients keep it (they authorize per host).
     */
    private HttpRequest authorized(Repository repo, String token, HttpRequest.Builder builder) {
        HttpRequest request = builder.build();
        if (token == null || !atRegistry(repo, request.uri())) {
            return request;
        }
        return HttpRequest.newBuilder(request, (name, value) -> true).header("Authorization", token).build();
    }

    /** Whether {@code where} is {@code repo}'s registry: the same scheme, host and port as its API. */
    private boolean atRegistry(Repository repo, URI where) {
        return dev.cutter.http.Origin.same(uri(repo, ""), where);
    }

    /**
     * A 401 from somewhere other than the registry (a blob store it sent the request to): Cutter
     * never answers it with the registry's credentials, nor follows its challenge's realm.
     */
    private RegistryException refusedElsewhere(Repository repo, HttpResponse<?> response) {
        return new RegistryException(HttpException.safe(response.uri()), 401, response.uri().getAuthority() + ", where "
                + repo.host() + " sent " + HttpException.safe(response.uri()) + ", wants credentials; Cutter sends the credentials of "
                + repo.host() + " to " + repo.host() + " only, so the registry's storage must accept the URL the registry gave",
                false, null);
    }

    // ---- manifests -------------------------------------------------------------------------------

    public Optional<ManifestHead> headManifest(Repository repo, String reference) {
        HttpResponse<InputStream> r = send(repo, "pull", () -> HttpRequest.newBuilder(uri(repo, "/manifests/" + reference))
                .header("Accept", ACCEPT).method("HEAD", HttpRequest.BodyPublishers.noBody()));
        close(r);
        if (r.statusCode() == 404) {
            return Optional.empty();
        }
        if (r.statusCode() != 200) {
            throw failure(r, "HEAD manifest " + reference);
        }
        String digest = r.headers().firstValue("Docker-Content-Digest").orElse(null);
        if (digest == null) { // some registries answer HEAD without it: fetch once to know
            return getManifest(repo, reference).map(m -> new ManifestHead(m.mediaType(), m.digest(), m.bytes().length));
        }
        return Optional.of(new ManifestHead(r.headers().firstValue("Content-Type").orElse(""), Digest.parse(digest),
                r.headers().firstValueAsLong("Content-Length").orElse(-1)));
    }

    /** The manifest, its bytes checked against the digest asked for or announced. */
    public Optional<Manifest> getManifest(Repository repo, String reference) {
        for (int attempt = 1; ; attempt++) {
            HttpResponse<InputStream> r = send(repo, "pull", () -> HttpRequest.newBuilder(uri(repo, "/manifests/" + reference))
                    .header("Accept", ACCEPT).GET());
            if (r.statusCode() == 404) {
                close(r);
                return Optional.empty();
            }
            if (r.statusCode() != 200) {
                throw failure(r, "GET manifest " + reference);
            }
            try {
                return Optional.of(readManifest(r, reference));
            } catch (RegistryException e) {
                if (!e.retryable() || attempt >= ATTEMPTS) {
                    throw e;
                }
                sleep(backoff.delay(attempt, Optional.empty())); // the body broke off or arrived wrong: fetch it again
            }
        }
    }

    private Manifest readManifest(HttpResponse<InputStream> r, String reference) {
        byte[] bytes = limited(r, "the manifest " + reference, MAX_MANIFEST);
        Digest actual = Digest.sha256(bytes);
        String expected = reference.startsWith("sha256:") ? reference : r.headers().firstValue("Docker-Content-Digest").orElse(null);
        if (expected != null && !expected.equals(actual.toString())) {
            throw new RegistryException(r.uri().toString(), 200, "the manifest's bytes at " + r.uri() + " have digest " + actual + ", not " + expected
                    + "; the registry or something between answered wrongly", true, null);
        }
        return new Manifest(r.headers().firstValue("Content-Type").orElse(""), actual, bytes);
    }

    /**
     * The referrers API's answer for {@code subject} (an image index of its referrers); empty when
     * the registry has no such API (it answers 404, as the distribution spec tells one without it to).
     */
    public Optional<byte[]> referrers(Repository repo, Digest subject) {
        if (noReferrersApi.contains(repo.host())) {
            return Optional.empty();
        }
        HttpResponse<InputStream> r = send(repo, "pull", () -> HttpRequest.newBuilder(uri(repo, "/referrers/" + subject))
                .header("Accept", MediaTypes.OCI_INDEX).GET());
        if (r.statusCode() == 404 || r.statusCode() == 405) {
            byte[] said = r.statusCode() == 404 ? limited(r, "the answer to a referrers request", 64 << 10) : new byte[0];
            close(r);
            if (!new String(said, StandardCharsets.UTF_8).contains("\"errors\"")) { // no route, not a repository unknown
                noReferrersApi.add(repo.host());
            }
            return Optional.empty();
        }
        if (r.statusCode() != 200) {
            throw failure(r, "GET referrers of " + subject);
        }
        return Optional.of(limited(r, "the referrers of " + subject, MAX_MANIFEST));
    }

    public void putManifest(Repository repo, String reference, String mediaType, byte[] bytes) {
        HttpResponse<InputStream> r = send(repo, "pull,push", () -> HttpRequest.newBuilder(uri(repo, "/manifests/" + reference))
                .header("Content-Type", mediaType).PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)));
        if (r.statusCode() != 201) {
            RegistryException failure = failure(r, "PUT manifest " + reference);
            if (!reference.startsWith(Digest.SHA256 + ":") && refusesAnImmutableTag(failure.status(), failure.getMessage())) {
                throw RegistryException.immutableTag(failure.url(), failure.status(), repo + ":" + reference + " is immutable in the "
                        + "registry: it refused to point the tag elsewhere (" + failure.getMessage() + ")");
            }
            throw failure;
        }
        close(r);
    }

    /**
     * Whether a 403 is GHCR refusing a write for want of {@code write:packages}, in each of the
     * ways it says so: "permission_denied: write_package", "permission_denied: The token provided
     * does not match expected scopes.", "installation not allowed to Write organization package".
     */
    static boolean ghcrRefusesAWrite(String said) {
        String s = said.toLowerCase(java.util.Locale.ROOT);
        return s.contains("write_package") || s.contains("does not match expected scopes") || s.contains("write organization package");
    }

    /**
     * Whether a refused PUT of a manifest by tag is the registry's own tag immutability, as each
     * registry says it: ECR 400 {@code TAG_INVALID} "… already exists … cannot be overwritten because
     * the tag is immutable"; Harbor 412 {@code PRECONDITION} "… configured as immutable"; Artifact
     * Registry 400 "… tag is immutable"; Docker Hub 403 naming its immutable tags.
     */
    static boolean refusesAnImmutableTag(int status, String message) {
        String said = message.toLowerCase(java.util.Locale.ROOT);
        return (status == 400 || status == 403 || status == 409 || status == 412)
                && (said.contains("immutable") || said.contains("tag_invalid") && said.contains("already exists"));
    }

    /**
     * Whether these credentials may push to {@code repo}, asked without pushing: an upload is
     * opened with a push token, as a push begins, and cancelled at once (the distribution API's
     * {@code DELETE} of an upload session; a registry that cannot cancel lets it expire). Nothing
     * is written to the repository.
     *
     * @throws RegistryException when the registry refuses (401, 403: the credentials lack push) or
     *     cannot be reached
     */
    public void mayPush(Repository repo) {
        HttpResponse<InputStream> opened = send(repo, "pull,push",
                () -> HttpRequest.newBuilder(uri(repo, "/blobs/uploads/")).POST(HttpRequest.BodyPublishers.noBody()));
        if (opened.statusCode() != 202 && opened.statusCode() != 201) {
            throw failure(opened, "open an upload (the first step of a push)");
        }
        close(opened);
        Optional<URI> session = location(opened);
        session.ifPresent(location -> {
            try {
                close(send(repo, "pull,push", () -> HttpRequest.newBuilder(location).DELETE()));
            } catch (RegistryException notCancelled) {
                // the session expires by itself; nothing was written
            }
        });
    }

    /** The most pages of a tag list read: at the default page size, ten million tags. */
    static final int MAX_TAG_PAGES = 10_000;

    /** Every tag of {@code repo}, following pagination; an unknown repository has none. */
    public List<String> tags(Repository repo) {
        List<String> tags = new ArrayList<>();
        URI next = uri(repo, "/tags/list?n=" + options.pageSize());
        java.util.Set<URI> seen = new java.util.HashSet<>(java.util.Set.of(next));
        while (next != null) {
            URI page = next;
            HttpResponse<InputStream> r = send(repo, "pull", () -> HttpRequest.newBuilder(page).GET());
            if (r.statusCode() == 404) {
                close(r);
                return tags;
            }
            if (r.statusCode() != 200) {
                throw failure(r, "list tags");
            }
            try {
                JsonNode body = JSON.readTree(limited(r, "the tag list", MAX_TAG_LIST));
                body.path("tags").forEach(t -> tags.add(t.asText()));
            } catch (IOException e) {
                throw new RegistryException(r.uri().toString(), 200, "the tag list is not JSON: " + e.getMessage(), true, e);
            }
            Optional<String> link = r.headers().firstValue("Link").map(NEXT::matcher).filter(Matcher::find).map(m -> m.group(1));
            next = link.map(l -> dev.cutter.http.Origin.resolveHttp(page, l).orElseThrow(() -> new RegistryException(
                    HttpException.safe(page), 200, "the tag list of " + repo + " names a next page that is not an http(s) URL", false, null)))
                    .orElse(null);
            if (next != null && !atRegistry(repo, next)) {
                throw new RegistryException(HttpException.safe(page), 200, "the tag list of " + repo + " names its next page on another"
                        + " host (" + HttpException.safe(next) + "); Cutter reads a registry's tags from the registry only", false, null);
            }
            if (next != null && (!seen.add(next) || seen.size() > MAX_TAG_PAGES)) {
                throw new RegistryException(HttpException.safe(page), 200, "the tag list of " + repo + " does not end: "
                        + (seen.size() > MAX_TAG_PAGES ? "more than " + MAX_TAG_PAGES + " pages" : "its pages go round in a loop, back to "
                        + HttpException.safe(next)), false, null);
            }
        }
        return tags;
    }

    // ---- transport -------------------------------------------------------------------------------

    /** {@code repository:PATH:ACTIONS}, as a token is asked for. */
    private static String scope(Repository repo, String actions) {
        return "repository:" + repo.path() + ":" + actions;
    }

    /** Where the Authorization for these scopes of this host is held. */
    private static String key(Repository repo, List<String> scopes) {
        return repo.host() + " " + String.join(" ", scopes);
    }

    private HttpResponse<InputStream> send(Repository repo, String actions, Supplier<HttpRequest.Builder> request) {
        return send(repo, List.of(scope(repo, actions)), request);
    }

    /**
     * Sends through the shared {@link Sender} (which tries passing failures again) with the
     * Authorization held for the scopes; a 401 is answered once by authenticating, then sent again.
     */
    private HttpResponse<InputStream> send(Repository repo, List<String> scopes, Supplier<HttpRequest.Builder> request) {
        String scopeKey = key(repo, scopes);
        for (boolean authenticated = false; ; authenticated = true) {
            String[] sent = new String[1];
            HttpRequest[] built = new HttpRequest[1];
            HttpResponse<InputStream> response;
            try {
                response = sender.send(() -> {
                    sent[0] = tokens.get(scopeKey);
                    HttpRequest r = authorized(repo, sent[0], request.get().timeout(Duration.ofMinutes(10)));
                    if (r.bodyPublisher().map(p -> p.contentLength() == 0).orElse(true)) { // an upload may take longer
                        r = HttpRequest.newBuilder(r, (name, value) -> true).timeout(options.timeout()).build();
                    }
                    built[0] = r;
                    if (RateLimits.counted(r.method(), r.uri())) {
                        take(repo);
                    }
                    return r;
                });
            } catch (HttpException e) {
                if (e.status() == 429) {
                    rateLimits.observe(repo.host(), e.headers());
                    throw rateLimited(repo, e);
                }
                if (e.getCause() instanceof java.net.http.HttpTimeoutException) { // twice: a registry that stalls, not a blip
                    throw new RegistryException(HttpException.safe(e.uri()), 0, built[0].method() + " " + HttpException.safe(e.uri())
                            + " got no answer within " + seconds(options.timeout()) + ", twice; the registry is stalled"
                            + " (CUTTER_REGISTRY_TIMEOUT sets the time-out)", false, e);
                }
                throw e.status() == 0
                        ? new RegistryException(repo.host(), 0, "cannot reach the registry " + repo.host() + ": " + e.getMessage(),
                                e.retryable(), e)
                        : new RegistryException(HttpException.safe(e.uri()), e.status(), "the registry kept failing: " + e.getMessage(),
                                e.retryable(), e);
            }
            rateLimits.observe(repo.host(), response.headers());
            int status = response.statusCode();
            if (status >= 301 && status <= 308 && status != 304 && http.followRedirects() != HttpClient.Redirect.NEVER
                    && response.headers().firstValue("Location").isPresent()) {
                close(response); // the client follows redirects: one that is still a redirect went round in a loop
                throw new RegistryException(response.uri().toString(), status, built[0].method() + " " + built[0].uri()
                        + " was redirected again and again, lastly to " + response.uri()
                        + " (a redirect loop); the registry or its storage is misconfigured", false, null);
            }
            if (status == 401 && !atRegistry(repo, response.uri())) {
                close(response);
                throw refusedElsewhere(repo, response);
            }
            if (status == 401 && !authenticated) {
                close(response);
                authenticate(repo, scopes, scopeKey, sent[0], response.headers().firstValue("WWW-Authenticate").orElse(""));
                continue;
            }
            return response;
        }
    }

    /** Waits for a request of {@code repo}'s registry budget (a pull or a push of a manifest). */
    private void take(Repository repo) {
        try {
            rateLimits.take(repo.host());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryException(repo.host(), 0, "interrupted while waiting for the rate limit of " + repo.host(), false, e);
        }
    }

    /**
     * A registry that keeps answering 429 (Docker Hub's {@code TOOMANYREQUESTS} when its pull limit
     * is spent), after the waits it asked for or at once when it asks for more than Cutter waits:
     * what it said, what it reports left, and what to do.
     */
    private RegistryException rateLimited(Repository repo, HttpException e) {
        String host = RegistryHost.of(repo.host()).name();
        String left = rateLimits.reported(repo.host()).map(r -> "; it reports " + r).orElse("");
        return new RegistryException(HttpException.safe(e.uri()), 429, host + " refuses more requests for now (rate limit): "
                + e.getMessage() + left + ". Log in (`cutter login " + host + "`: signed-in accounts have a higher limit),"
                + " declare the registry's budget (ratelimit: REQUESTS/PERIOD in cutter.yaml) so Cutter paces its requests,"
                + " or run again once the window has passed", false, e);
    }

    /**
     * Answers a 401 to a request sent with {@code sent} (null: none): Basic with the host's
     * credentials, or a Bearer token for the scopes. Requests refused together renew once: a
     * request that finds the held authorization changed while it waited just uses the new one.
     */
    private void authenticate(Repository repo, List<String> scopes, String scopeKey, String sent, String challenge) {
        var lock = renewing.computeIfAbsent(scopeKey, k -> new java.util.concurrent.locks.ReentrantLock());
        lock.lock();
        try {
            String held = tokens.get(scopeKey);
            if (held != null && !held.equals(sent)) {
                return; // renewed by another request meanwhile
            }
            renew(repo, scopes, scopeKey, challenge);
        } finally {
            lock.unlock();
        }
    }

    private void renew(Repository repo, List<String> scopes, String scopeKey, String header) {
        Optional<Credentials.Login> login;
        try {
            login = credentials.find(repo);
        } catch (LoginFileException e) { // changed since it was checked, before the run
            throw new RegistryException(repo.host(), 0, e.getMessage(), false, e);
        }
        TokenService.Challenge challenge = TokenService.Challenge.parse(header);
        if (challenge.is("Basic")) {
            switch (login.orElse(null)) {
                case null -> throw new RegistryException(repo.host(), 401, repo.host() + " wants credentials; `cutter login "
                        + repo.host() + "` (or docker login) or set username and password on the registry in cutter.yaml", false, null);
                case Credentials.IdentityToken token -> throw new RegistryException(repo.host(), 401, repo.host()
                        + " asks for a username and password (Basic), but its login is an identity token; log in again with"
                        + " `cutter login " + repo.host() + "`", false, null);
                case Credentials.UsernamePassword up -> tokens.put(scopeKey, "Basic " + TokenService.basic(up));
            }
            return;
        }
        if (!challenge.is("Bearer")) {
            throw new RegistryException(repo.host(), 401, repo.host() + " asks for an authentication scheme Cutter does not speak: "
                    + challenge.scheme(), false, null);
        }
        TokenService.Token token = tokenService().fetch(repo.host(), challenge, scopes, login, false, inPlain(repo.host()));
        tokens.put(scopeKey, "Bearer " + token.value());
    }

    /** Whether {@code host}'s registry is spoken to in plain HTTP: loopback, or marked insecure. */
    private boolean inPlain(String host) {
        return Loopback.is(host) || options.insecure().contains(host);
    }

    private TokenService tokenService() {
        return new TokenService(http, options.timeout());
    }

    /**
     * Checks {@code login} against the registry at {@code host} as {@code docker login} does: its
     * base ({@code GET /v2/}) asked with Basic credentials, or with a token the registry's token
     * service gave for them (asked for a refresh token too). A registry that asks for no
     * credentials takes any. Returns the identity token the token service gave, if it gave one:
     * the login to keep instead of the password, as Docker keeps it.
     *
     * @throws RegistryException 401 when the registry or its token service refuses the login
     */
    public Optional<Credentials.IdentityToken> login(String host, Credentials.UsernamePassword login) {
        Repository base = new Repository(host, "");
        URI uri = URI.create(uri(base, "").toString().replaceAll("/+$", "/"));
        HttpResponse<InputStream> first = base(uri, null);
        close(first);
        if (first.statusCode() == 200) {
            return Optional.empty();
        }
        if (first.statusCode() != 401) {
            throw failure(first, "log in");
        }
        TokenService.Challenge challenge = TokenService.Challenge.parse(first.headers().firstValue("WWW-Authenticate").orElse(""));
        String authorization;
        Optional<Credentials.IdentityToken> identity = Optional.empty();
        if (challenge.is("Basic")) {
            authorization = "Basic " + TokenService.basic(login);
        } else if (challenge.is("Bearer")) {
            TokenService.Token token = tokenService().fetch(host, challenge, List.of(), Optional.of(login), true, inPlain(host));
            authorization = "Bearer " + token.value();
            identity = token.refresh().map(Credentials.IdentityToken::new);
        } else {
            throw new RegistryException(host, 401, host + " asks for an authentication scheme Cutter does not speak: " + challenge.scheme(),
                    false, null);
        }
        HttpResponse<InputStream> checked = base(uri, authorization);
        close(checked);
        if (checked.statusCode() == 401 || checked.statusCode() == 403) {
            throw new RegistryException(uri.toString(), checked.statusCode(), host + " refused the login of " + login.username()
                    + " (" + checked.statusCode() + " at " + uri + "); check the username and password", false, null);
        }
        if (checked.statusCode() != 200) {
            throw failure(checked, "log in");
        }
        return identity;
    }

    private HttpResponse<InputStream> base(URI uri, String authorization) {
        try {
            return sender.send(() -> {
                HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(options.timeout()).GET();
                return (authorization == null ? request : request.header("Authorization", authorization)).build();
            });
        } catch (HttpException e) {
            throw new RegistryException(uri.getAuthority(), e.status(), "cannot reach the registry " + uri.getAuthority() + ": "
                    + e.getMessage(), e.retryable(), e);
        }
    }

    /** An error naming the URL, the status and the registry's own error codes and messages. */
    private RegistryException failure(HttpResponse<InputStream> r, String what) {
        HttpException answer = sender.failure(r);
        String detail = answer.serviceMessage().isEmpty() ? "" : " (" + answer.serviceMessage() + ")";
        int status = r.statusCode();
        String hint = status == 401 || status == 403 ? "; check the credentials for " + r.uri().getHost() + " (cutter login or docker login, or username/password in cutter.yaml)" : "";
        Map<String, String> challenge = TokenService.Challenge.parse(r.headers().firstValue("WWW-Authenticate").orElse("")).parameters();
        if (status == 403 && ghcrRefusesAWrite(answer.serviceMessage())) {
            hint = "; GitHub's registry refuses writes by a token without write:packages: log in with one that has it (a classic"
                    + " token with write:packages; in GitHub Actions, `permissions: packages: write` on the job, and write access for"
                    + " the workflow's repository in the package's Manage Actions access)";
        }
        if (status == 401 && "insufficient_scope".equals(challenge.get("error"))) { // signed in, but not allowed this
            hint = "; the token service did not grant " + challenge.getOrDefault("scope", "the access this needs")
                    + " (insufficient_scope): the account used for " + r.uri().getAuthority()
                    + " (anonymous if none is set) is not allowed that";
        }
        return new RegistryException(r.uri().toString(), status, "tried to " + what + " at " + r.uri() + " but the registry answered "
                + status + detail + hint, answer.retryable(), null);
    }

    /**
     * The whole body of {@code r}, at most {@code max} bytes, arriving within the time-out: a
     * larger one (announced or sent) or a slower one is refused, naming the URL.
     */
    private byte[] limited(HttpResponse<InputStream> r, String what, int max) {
        long announced = r.headers().firstValueAsLong("Content-Length").orElse(-1);
        if (announced > max) {
            close(r);
            throw tooLarge(r, what, announced + " bytes", max);
        }
        WatchedBody in = WatchedBody.whole(r.body(), options.timeout());
        try (in) {
            byte[] bytes = in.readNBytes(max + 1);
            if (bytes.length > max) {
                throw tooLarge(r, what, "more than " + max + " bytes", max);
            }
            return bytes;
        } catch (IOException e) {
            if (in.expired()) {
                throw stalled(r, what, in);
            }
            throw new RegistryException(r.uri().toString(), 0, "reading " + what + " from " + r.uri() + " failed: "
                    + e.getMessage(), true, e);
        }
    }

    private static RegistryException tooLarge(HttpResponse<InputStream> r, String what, String size, int max) {
        return new RegistryException(r.uri().toString(), r.statusCode(), what + " at " + r.uri() + " is " + size
                + "; Cutter reads at most " + (max >> 20) + " MiB of it; the registry answered wrongly", false, null);
    }

    private static RegistryException stalled(HttpResponse<InputStream> r, String what, WatchedBody in) {
        String pace = in.isWhole() ? in.count() + " bytes in " + seconds(in.window()) + ", not all of it"
                : in.count() + " bytes, then less than " + (WatchedBody.MIN_BYTES >> 10) + " KiB in " + seconds(in.window());
        return new RegistryException(r.uri().toString(), 0, "the registry sent " + what + " from " + r.uri() + " too slowly ("
                + pace + "); gave up (CUTTER_REGISTRY_TIMEOUT sets the time-out)", false, null);
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() / 1000.0 + " s";
    }

    private static void close(HttpResponse<InputStream> r) {
        try {
            r.body().close();
        } catch (IOException ignored) {
            // nothing to read
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis()); // backing off before trying the registry again
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryException("", 0, "interrupted", false, e);
        }
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
