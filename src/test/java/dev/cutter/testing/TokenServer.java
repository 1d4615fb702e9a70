package dev.cutter.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A stand-in for a registry's token service, as Docker Hub's {@code auth.docker.io} is for
 * {@code registry-1.docker.io}: the Docker/OCI token authentication protocol on a loopback port.
 * It is not a mock of the registry: the registry ({@link LocalRegistry#withTokenAuth}) is the
 * real distribution, configured to trust this service's certificate, and it verifies every
 * token itself (signature against its {@code rootcertbundle}, issuer, audience, expiry, and the
 * actions granted for each repository).
 *
 * <p>{@code GET /token?service=S&scope=repository:NAME:ACTIONS[&scope=…]}, with Basic credentials
 * or none (anonymous), answers {@code {"token", "access_token", "expires_in", "issued_at"}}. The
 * token is a JWT signed with a fresh key (ES256 on P-256, or RS256) whose header carries the
 * self-signed certificate in {@code x5c}; its claims are {@code iss}, {@code sub} (the user, empty
 * when anonymous), {@code aud} (the service), {@code exp}, {@code nbf}, {@code iat}, {@code jti}
 * and {@code access}: of the actions asked for, those the user is allowed. Asking is never
 * refused for lack of rights (the registry refuses the request instead, as with Docker Hub);
 * wrong credentials are, with 401. Every request is recorded for assertions.
 *
 * <p>The OAuth2 side of the protocol, as the distribution token specification's "OAuth2 token
 * authentication" describes it: {@code POST /token} with a form {@code grant_type=refresh_token},
 * {@code refresh_token}, {@code service}, {@code scope} (space-separated, or repeated) and a
 * required {@code client_id} answers {@code {"access_token", "expires_in", "issued_at"}} with the
 * rights of the refresh token's user; an unknown refresh token, or another grant type, is
 * refused with 400 and an OAuth2 {@code error} (RFC 6749 5.2). A GET with
 * {@code offline_token=true} and valid credentials gets a {@code refresh_token} in its answer when
 * {@link #refreshTokens} says so.
 */
public final class TokenServer implements AutoCloseable {
    public static final String SERVICE = "cutter-test";
    public static final String ISSUER = "cutter-test-issuer";
    /** What distribution adds to {@code exp} (and takes from {@code nbf}) for clock skew. */
    public static final Duration REGISTRY_LEEWAY = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    public enum Algorithm {
        ES256("SHA256withECDSAinP1363Format", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"),
        RS256("SHA256withRSA", "rsa", "-pkeyopt", "rsa_keygen_bits:2048");

        final String jca;
        final List<String> keyArgs;

        Algorithm(String jca, String... keyArgs) {
            this.jca = jca;
            this.keyArgs = List.of(keyArgs);
        }
    }

    /**
     * One token request: who asked (empty: anonymous), for which service, the scopes asked for and
     * granted, how ({@code anonymous}, {@code basic}: a GET; {@code refresh_token} or another
     * OAuth2 grant: a POST) and the {@code client_id} it gave.
     */
    public record Request(Optional<String> user, String service, List<String> scopes, List<String> granted, String grant,
            String clientId) {}

    private record User(String password, Map<String, Set<String>> allowed) {}

    private final HttpServer server;
    private final Algorithm algorithm;
    private final PrivateKey key;
    private final X509Certificate certificate;
    private final Path certificateFile;
    private final Map<String, User> users = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> anonymous = new ConcurrentHashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private volatile Duration lifetime = Duration.ofMinutes(5);
    private volatile boolean accessTokenOnly;
    private volatile boolean issuesRefreshTokens;
    /** Refresh tokens (identity tokens) by value, each naming its user. */
    private final Map<String, String> refreshTokens = new ConcurrentHashMap<>();

    private TokenServer(HttpServer server, Algorithm algorithm, PrivateKey key, X509Certificate certificate, Path certificateFile) {
        this.server = server;
        this.algorithm = algorithm;
        this.key = key;
        this.certificate = certificate;
        this.certificateFile = certificateFile;
    }

    /** An ES256 token service; its key and certificate are written into {@code dir}. */
    public static TokenServer start(Path dir) throws IOException, InterruptedException {
        return start(dir, Algorithm.ES256);
    }

    public static TokenServer start(Path dir, Algorithm algorithm) throws IOException, InterruptedException {
        Path openssl = Tools.require("openssl", "openssl");
        Files.createDirectories(dir);
        Path keyFile = dir.resolve("token-key.pem");
        Path certFile = dir.resolve("token-cert.pem");
        List<String> command = new ArrayList<>(List.of(openssl.toString(), "req", "-x509", "-newkey", algorithm.keyArgs.get(0)));
        command.addAll(algorithm.keyArgs.subList(1, algorithm.keyArgs.size()));
        command.addAll(List.of("-nodes", "-keyout", keyFile.toString(), "-out", certFile.toString(), "-days", "2",
                "-subj", "/CN=cutter-test-token-issuer"));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("openssl could not make the token service's key: " + out);
        }
        PrivateKey key;
        X509Certificate certificate;
        try {
            String pem = Files.readString(keyFile); // PKCS#8 ("BEGIN PRIVATE KEY"), as OpenSSL 3 writes it
            byte[] der = Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
            key = KeyFactory.getInstance(algorithm == Algorithm.ES256 ? "EC" : "RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
            try (var in = Files.newInputStream(certFile)) {
                certificate = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
            }
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("the key openssl made cannot be read: " + e, e);
        }
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        TokenServer tokens = new TokenServer(server, algorithm, key, certificate, certFile);
        server.createContext("/token", tokens::handle);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
        return tokens;
    }

    /** A user known by password, allowed nothing until {@link #allow}ed. */
    public TokenServer user(String name, String password) {
        users.put(name, new User(password, new ConcurrentHashMap<>()));
        return this;
    }

    /**
     * Lets {@code user} (null: anyone, signed in or not) do {@code actions} ("pull", "push",
     * "delete", "*") on {@code repository} (a name; {@code *} stands for any characters, so {@code acme/*} or {@code *}).
     */
    public TokenServer allow(String user, String repository, String... actions) {
        Map<String, Set<String>> rights = user == null ? anonymous : users.get(user).allowed();
        rights.computeIfAbsent(repository, r -> ConcurrentHashMap.newKeySet()).addAll(List.of(actions));
        return this;
    }

    /**
     * Tokens the registry accepts for {@code lifetime} from their issue, and {@code expires_in} saying
     * so. (The {@code exp} claim is set {@link #REGISTRY_LEEWAY} earlier, which distribution adds back.)
     */
    public TokenServer lifetime(Duration lifetime) {
        this.lifetime = lifetime;
        return this;
    }

    /** Answers {@code access_token} alone, as an OAuth2 server does, without the {@code token} Docker's clients read first. */
    public TokenServer accessTokenOnly() {
        this.accessTokenOnly = true;
        return this;
    }

    /**
     * Answers a GET that asks {@code offline_token=true} with valid credentials with a
     * {@code refresh_token} too, as a registry that gives identity tokens at login does (ACR).
     */
    public TokenServer refreshTokens() {
        this.issuesRefreshTokens = true;
        return this;
    }

    /** The refresh token (an identity token, for config.json's {@code identitytoken}) of {@code user}, made on first asking. */
    public String refreshTokenFor(String user) {
        if (!users.containsKey(user)) {
            throw new IllegalArgumentException("no user " + user);
        }
        return refreshTokens.entrySet().stream().filter(e -> e.getValue().equals(user)).map(Map.Entry::getKey).findFirst()
                .orElseGet(() -> {
                    String token = "rt-" + UUID.randomUUID();
                    refreshTokens.put(token, user);
                    return token;
                });
    }

    /** Forgets every refresh token, as a revoked login is forgotten. */
    public void revokeRefreshTokens() {
        refreshTokens.clear();
    }

    /** {@code http://127.0.0.1:PORT/token}. */
    public String realm() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/token";
    }

    /** The PEM certificate a registry is told to trust ({@code rootcertbundle}). */
    public Path certificate() {
        return certificateFile;
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    public void forget() {
        requests.clear();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            boolean post = exchange.getRequestMethod().equals("POST");
            if (!post && !exchange.getRequestMethod().equals("GET")) {
                answer(exchange, 405, "{\"details\":\"GET or POST only\"}");
                return;
            }
            // GET: the parameters in the query; POST (OAuth2): an application/x-www-form-urlencoded body
            Map<String, List<String>> params = post
                    ? form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8))
                    : form(exchange.getRequestURI().getRawQuery());
            String service = params.getOrDefault("service", List.of()).stream().findFirst().orElse(null);
            List<String> scopes = new ArrayList<>();
            for (String value : params.getOrDefault("scope", List.of())) {
                for (String s : value.split(" ")) { // several scopes: repeated, or space-separated in one
                    if (!s.isEmpty()) {
                        scopes.add(s);
                    }
                }
            }
            String clientId = params.getOrDefault("client_id", List.of("")).getFirst();
            Optional<String> user = Optional.empty();
            Map<String, Set<String>> rights = anonymous;
            String grant;
            if (post) {
                grant = params.getOrDefault("grant_type", List.of("")).getFirst();
                if (!grant.equals("refresh_token")) {
                    requests.add(new Request(Optional.empty(), String.valueOf(service), List.copyOf(scopes), List.of(), grant, clientId));
                    answer(exchange, 400, "{\"error\":\"unsupported_grant_type\",\"error_description\":\"grant_type "
                            + grant + " is not supported here\"}");
                    return;
                }
                String owner = refreshTokens.get(params.getOrDefault("refresh_token", List.of("")).getFirst());
                if (owner == null || clientId.isEmpty()) { // RFC 6749 5.2: an unknown refresh token is an invalid grant
                    requests.add(new Request(Optional.of("?"), String.valueOf(service), List.copyOf(scopes), List.of(), grant, clientId));
                    answer(exchange, 400, "{\"error\":\"invalid_grant\",\"error_description\":\""
                            + (owner == null ? "unknown or revoked refresh token" : "client_id is required") + "\"}");
                    return;
                }
                user = Optional.of(owner);
                rights = users.get(owner).allowed();
            } else {
                grant = "basic";
                String authorization = exchange.getRequestHeaders().getFirst("Authorization");
                if (authorization == null) {
                    grant = "anonymous";
                } else {
                    String[] parts = authorization.split(" ", 2);
                    String decoded = parts.length == 2 && parts[0].equalsIgnoreCase("Basic")
                            ? new String(Base64.getDecoder().decode(parts[1].trim()), StandardCharsets.UTF_8) : "";
                    int colon = decoded.indexOf(':');
                    User known = colon > 0 ? users.get(decoded.substring(0, colon)) : null;
                    if (known == null || !known.password().equals(decoded.substring(colon + 1))) {
                        requests.add(new Request(Optional.of(colon > 0 ? decoded.substring(0, colon) : "?"), String.valueOf(service),
                                List.copyOf(scopes), List.of(), grant, clientId));
                        answer(exchange, 401, "{\"details\":\"incorrect username or password\"}");
                        return;
                    }
                    user = Optional.of(decoded.substring(0, colon));
                    rights = known.allowed();
                }
            }
            if (!SERVICE.equals(service)) {
                answer(exchange, 400, "{\"details\":\"unknown service " + service + "\"}");
                return;
            }
            ArrayNode access = JSON.createArrayNode();
            List<String> granted = new ArrayList<>();
            for (String scope : scopes) {
                int first = scope.indexOf(':');
                int last = scope.lastIndexOf(':');
                if (first < 0 || last == first) {
                    continue;
                }
                String type = scope.substring(0, first);
                String name = scope.substring(first + 1, last);
                Set<String> allowed = new LinkedHashSet<>();
                if (type.equals("repository")) {
                    allowed.addAll(allowed(rights, name));
                    allowed.addAll(allowed(anonymous, name)); // what anyone may do, a signed-in user may too
                }
                Set<String> actions = new LinkedHashSet<>();
                for (String action : scope.substring(last + 1).split(",")) {
                    if (allowed.contains(action) || allowed.contains("*")) {
                        actions.add(action);
                    }
                }
                if (!actions.isEmpty()) {
                    ObjectNode entry = access.addObject().put("type", type).put("name", name);
                    actions.forEach(entry.putArray("actions")::add);
                    granted.add(type + ":" + name + ":" + String.join(",", actions));
                }
            }
            requests.add(new Request(user, service, List.copyOf(scopes), List.copyOf(granted), grant, clientId));
            Instant now = Instant.now();
            String jwt = sign(user.orElse(""), access, now);
            ObjectNode body = JSON.createObjectNode();
            if (!accessTokenOnly && !post) {
                body.put("token", jwt);
            }
            body.put("access_token", jwt).put("expires_in", lifetime.toSeconds()).put("issued_at", now.toString());
            boolean offline = params.getOrDefault("offline_token", List.of("")).getFirst().equals("true");
            if (issuesRefreshTokens && offline && !post && user.isPresent()) {
                body.put("refresh_token", refreshTokenFor(user.get()));
            }
            answer(exchange, 200, JSON.writeValueAsString(body));
        }
    }

    /** The name=value pairs of a query or form, decoded; a name given again adds a value. */
    private static Map<String, List<String>> form(String encoded) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        for (String pair : encoded == null || encoded.isEmpty() ? new String[0] : encoded.split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            params.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
        }
        return params;
    }

    private static Set<String> allowed(Map<String, Set<String>> rights, String repository) {
        Set<String> actions = new LinkedHashSet<>();
        rights.forEach((pattern, a) -> {
            if (repository.matches(java.util.regex.Pattern.quote(pattern).replace("*", "\\E.*\\Q"))) {
                actions.addAll(a);
            }
        });
        return actions;
    }

    /** A compact JWS: header and claims as base64url JSON, signed with the key the certificate holds. */
    private String sign(String subject, ArrayNode access, Instant now) throws IOException {
        ObjectNode header = JSON.createObjectNode().put("typ", "JWT").put("alg", algorithm.name());
        try {
            header.putArray("x5c").add(Base64.getEncoder().encodeToString(certificate.getEncoded())); // standard base64, DER
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IOException(e);
        }
        long iat = now.getEpochSecond();
        ObjectNode claims = JSON.createObjectNode().put("iss", ISSUER).put("sub", subject).put("aud", SERVICE)
                .put("exp", iat + lifetime.toSeconds() - REGISTRY_LEEWAY.toSeconds()).put("nbf", iat).put("iat", iat)
                .put("jti", UUID.randomUUID().toString());
        claims.set("access", access);
        Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
        String signingInput = url.encodeToString(JSON.writeValueAsBytes(header)) + "." + url.encodeToString(JSON.writeValueAsBytes(claims));
        try {
            // ES256 wants R||S, 32 bytes each (RFC 7518 3.4), not the DER SEQUENCE SHA256withECDSA gives: the
            // P1363 variant of the JDK's ECDSA is exactly that; distribution's libtrust refuses any other length.
            Signature signer = Signature.getInstance(algorithm.jca);
            signer.initSign(key);
            signer.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + url.encodeToString(signer.sign());
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException("signing the token failed: " + e, e);
        }
    }

    private static void answer(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        if (status == 401) {
            exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"cutter-test-token\"");
        }
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
