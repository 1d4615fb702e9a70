package dev.cutter.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.cutter.http.HttpException;
import dev.cutter.http.Loopback;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A registry's token service, asked as the distribution token specification says: with a
 * username and password (or none), {@code GET realm?service=…&scope=…} with Basic auth; with an
 * identity token, the OAuth2 form {@code POST realm} with {@code grant_type=refresh_token},
 * {@code refresh_token}, {@code service}, {@code scope} and {@code client_id}, as Docker does.
 * A login ({@code offline}) asks for a refresh token too ({@code offline_token=true}); the
 * answer's {@code token} (else {@code access_token}) is the Bearer token, its
 * {@code refresh_token} the identity token a login keeps.
 */
final class TokenService {
    /** How Cutter names itself to token services ({@code client_id}), as Docker says {@code docker}. */
    static final String CLIENT_ID = "cutter";
    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final Pattern PARAMETER = Pattern.compile("(\\w+)=\"([^\"]*)\"");

    /** A {@code WWW-Authenticate} challenge: its scheme ({@code Basic}, {@code Bearer}) and parameters. */
    record Challenge(String scheme, Map<String, String> parameters) {
        static Challenge parse(String header) {
            Map<String, String> parameters = new LinkedHashMap<>();
            Matcher m = PARAMETER.matcher(header);
            while (m.find()) {
                parameters.put(m.group(1), m.group(2));
            }
            return new Challenge(header.strip().split("\\s+", 2)[0], parameters);
        }

        boolean is(String scheme) {
            return this.scheme.equalsIgnoreCase(scheme);
        }
    }

    /** A Bearer token, and the refresh token that came with it when one was asked for. */
    record Token(String value, Optional<String> refresh) {
        @Override
        public String toString() {
            return "Token[***]";
        }
    }

    private final HttpClient http;
    private final Duration timeout;

    TokenService(HttpClient http, Duration timeout) {
        this.http = http;
        this.timeout = timeout;
    }

    /**
     * A token for {@code scopes} of {@code host}'s registry from the service {@code challenge}
     * names, asked for with {@code login} (empty: anonymously). {@code registryInPlain} says
     * whether the registry itself is spoken to in plain HTTP (loopback, or a host the spec marks
     * insecure). A login never travels unencrypted where the registry does not: a registry reached
     * over HTTPS that names a plain-HTTP token service off this machine is refused, before the
     * password or identity token is sent.
     */
    Token fetch(String host, Challenge challenge, List<String> scopes, Optional<Credentials.Login> login, boolean offline,
            boolean registryInPlain) {
        String realm = challenge.parameters().get("realm");
        if (realm == null || realm.isBlank()) {
            throw new RegistryException(host, 401, host + " sent a Bearer challenge without a realm", false, null);
        }
        URI realmUri;
        try {
            realmUri = URI.create(realm);
        } catch (IllegalArgumentException e) {
            throw new RegistryException(host, 401, host + " named a token service that is not a URL: " + realm, false, e);
        }
        if (realmUri.getScheme() == null || !realmUri.getScheme().matches("https?")) {
            throw new RegistryException(host, 401, host + " named a token service that is not an http(s) URL: " + realm, false, null);
        }
        if (login.isPresent() && realmUri.getScheme().equals("http") && !registryInPlain
                && !Loopback.is(String.valueOf(realmUri.getHost()))) {
            throw new RegistryException(host, 401, host + " named a token service in plain HTTP (" + realm + "); Cutter does not"
                    + " send the login for " + host + " unencrypted. The registry's token service must be HTTPS", false, null);
        }
        Optional<String> service = Optional.ofNullable(challenge.parameters().get("service"));
        HttpRequest.Builder request;
        String what;
        if (login.orElse(null) instanceof Credentials.IdentityToken token) {
            Map<String, String> form = new LinkedHashMap<>();
            form.put("grant_type", "refresh_token");
            form.put("refresh_token", token.token());
            service.ifPresent(s -> form.put("service", s));
            if (!scopes.isEmpty()) {
                form.put("scope", String.join(" ", scopes));
            }
            form.put("client_id", CLIENT_ID);
            String body = form.entrySet().stream().map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
                    .collect(Collectors.joining("&"));
            request = HttpRequest.newBuilder(realmUri).header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(body));
            what = "exchange the identity token for " + host + " for an access token";
        } else {
            List<String> query = new ArrayList<>();
            service.ifPresent(s -> query.add("service=" + encode(s)));
            scopes.forEach(s -> query.add("scope=" + encode(s)));
            Optional<Credentials.UsernamePassword> up = login.map(Credentials.UsernamePassword.class::cast);
            if (offline) {
                query.add("offline_token=true");
                query.add("client_id=" + CLIENT_ID);
                up.ifPresent(u -> query.add("account=" + encode(u.username())));
            }
            String separator = realm.contains("?") ? "&" : "?";
            request = HttpRequest.newBuilder(URI.create(query.isEmpty() ? realm : realm + separator + String.join("&", query))).GET();
            up.ifPresent(u -> request.header("Authorization", "Basic " + basic(u)));
            what = "get a token for " + host + (up.isPresent() ? " as " + up.get().username() : " anonymously");
        }
        HttpResponse<InputStream> r;
        try {
            r = http.send(request.timeout(timeout.compareTo(Duration.ofSeconds(30)) > 0 ? timeout : Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new RegistryException(realm, 0, "cannot reach the token service " + realm + ": " + e.getMessage(), true, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryException(realm, 0, "interrupted", false, e);
        }
        JsonNode body;
        try (InputStream in = WatchedBody.whole(r.body(), timeout)) {
            byte[] bytes = in.readNBytes(1 << 20);
            if (r.statusCode() != 200) {
                throw refused(r, realm, what, new String(bytes, StandardCharsets.UTF_8));
            }
            body = JSON.readTree(bytes);
        } catch (IOException e) {
            throw new RegistryException(realm, 200, "the token service " + realm + " answered with something that is not JSON: "
                    + e.getMessage(), true, e);
        }
        String token = body == null ? "" : body.path("token").asText(body.path("access_token").asText(""));
        if (token.isEmpty()) {
            throw new RegistryException(realm, 200, "the token service " + realm + " answered without a token", false, null);
        }
        String refresh = body.path("refresh_token").asText("");
        return new Token(token, refresh.isEmpty() ? Optional.empty() : Optional.of(refresh));
    }

    /** The token service's refusal: its status, its own words (an OAuth2 {@code error}, or a registry's {@code errors}), what to do. */
    private static RegistryException refused(HttpResponse<InputStream> r, String realm, String what, String body) {
        String said = "";
        try {
            JsonNode json = JSON.readTree(body);
            if (json != null) {
                said = json.has("error_description") ? json.path("error").asText() + ": " + json.path("error_description").asText()
                        : json.has("error") ? json.path("error").asText()
                        : json.has("details") ? json.path("details").asText()
                        : json.path("errors").path(0).path("message").asText("");
            }
        } catch (IOException e) {
            said = body.strip().length() > 200 ? body.strip().substring(0, 200) + "…" : body.strip();
        }
        int status = r.statusCode();
        String hint = status == 400 || status == 401 || status == 403
                ? "; the login was refused: log in again (cutter login, docker login) or check username and password in cutter.yaml" : "";
        boolean retryable = status == 429 || status >= 500;
        // an OAuth2 service refuses a grant with 400 (RFC 6749 5.2): as much a refused login as a 401
        return new RegistryException(HttpException.safe(r.uri()), status == 400 ? 401 : status, "tried to " + what + " at " + HttpException.safe(r.uri())
                + " but the token service answered " + status + (said.isBlank() ? "" : " (" + said + ")") + hint, retryable, null);
    }

    static String basic(Credentials.UsernamePassword up) {
        return Base64.getEncoder().encodeToString((up.username() + ":" + up.password()).getBytes(StandardCharsets.UTF_8));
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
