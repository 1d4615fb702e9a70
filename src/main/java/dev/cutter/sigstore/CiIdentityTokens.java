package dev.cutter.sigstore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.cutter.http.HttpException;
import dev.cutter.http.Sender;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The OIDC identity token a CI gives a job, read when signing and never stored or logged:
 * <ol>
 *   <li>the environment variable the spec names, else {@value #SIGSTORE_ID_TOKEN} (what cosign and
 *       sigstore-python read; GitLab CI sets it from {@code id_tokens: SIGSTORE_ID_TOKEN: aud: sigstore});
 *   <li>else, in GitHub Actions with {@code permissions: id-token: write}, the token the runner's
 *       endpoint gives for the audience {@code sigstore}: {@code GET $ACTIONS_ID_TOKEN_REQUEST_URL&audience=sigstore}
 *       with {@code Authorization: bearer $ACTIONS_ID_TOKEN_REQUEST_TOKEN}, answering {@code {"value": JWT}}.
 * </ol>
 */
public final class CiIdentityTokens implements KeylessSigner.IdentityTokens {
    public static final String SIGSTORE_ID_TOKEN = "SIGSTORE_ID_TOKEN";
    static final String REQUEST_URL = "ACTIONS_ID_TOKEN_REQUEST_URL";
    static final String REQUEST_TOKEN = "ACTIONS_ID_TOKEN_REQUEST_TOKEN";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Map<String, String> environment;
    private final Optional<String> variable;
    private final Sender sender;

    /**
     * @param variable the environment variable the spec names; empty for {@value #SIGSTORE_ID_TOKEN}
     *     and then GitHub Actions' endpoint
     */
    public CiIdentityTokens(Map<String, String> environment, Optional<String> variable, Sender sender) {
        this.environment = Map.copyOf(Objects.requireNonNull(environment, "environment"));
        this.variable = Objects.requireNonNull(variable, "variable");
        this.sender = Objects.requireNonNull(sender, "sender");
    }

    @Override
    public String token() throws IOException {
        if (variable.isPresent()) {
            String value = environment.getOrDefault(variable.get(), "");
            if (value.isBlank()) {
                throw KeylessException.refused("keyless signing needs an OIDC identity token in " + variable.get()
                        + ", which is not set: the CI gives one (GitLab: id_tokens: " + variable.get() + ": aud: sigstore)");
            }
            return value.strip();
        }
        String value = environment.getOrDefault(SIGSTORE_ID_TOKEN, "");
        if (!value.isBlank()) {
            return value.strip();
        }
        String url = environment.getOrDefault(REQUEST_URL, "");
        String bearer = environment.getOrDefault(REQUEST_TOKEN, "");
        if (url.isBlank() || bearer.isBlank()) {
            throw KeylessException.refused("keyless signing needs an OIDC identity token: set " + SIGSTORE_ID_TOKEN
                    + " (GitLab: id_tokens: " + SIGSTORE_ID_TOKEN + ": aud: sigstore), or run in GitHub Actions with"
                    + " permissions: id-token: write (" + REQUEST_URL + " and " + REQUEST_TOKEN + " are not set)");
        }
        return fromGitHubActions(url, bearer);
    }

    private String fromGitHubActions(String url, String bearer) throws KeylessException {
        URI uri;
        try {
            uri = URI.create(url + (url.contains("?") ? "&" : "?") + "audience=sigstore");
        } catch (IllegalArgumentException e) {
            throw KeylessException.refused(REQUEST_URL + " is not a URL: " + e.getMessage());
        }
        HttpResponse<InputStream> response;
        try {
            response = sender.send(() -> HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                    .header("Authorization", "bearer " + bearer).header("Accept", "application/json").GET().build());
        } catch (HttpException e) {
            throw new KeylessException("the GitHub Actions identity token could not be had: " + e.getMessage(), e.retryable(),
                    e.retryAfter().orElse(null), e);
        }
        if (response.statusCode() != 200) {
            HttpException e = sender.failure(response);
            throw new KeylessException("the GitHub Actions identity token could not be had: " + e.getMessage()
                    + (e.status() == 401 || e.status() == 403 ? "; does the workflow grant permissions: id-token: write?" : ""),
                    e.retryable(), e.retryAfter().orElse(null), e);
        }
        try (InputStream in = response.body()) {
            JsonNode answer = JSON.readTree(in.readNBytes(1 << 20));
            if (answer == null || !answer.path("value").isTextual() || answer.path("value").textValue().isBlank()) {
                throw KeylessException.refused("the GitHub Actions token endpoint answered no token (no \"value\")");
            }
            return answer.path("value").textValue();
        } catch (KeylessException e) {
            throw e;
        } catch (IOException e) {
            throw KeylessException.refused("the GitHub Actions token endpoint answered no JSON: " + e.getMessage());
        }
    }
}
