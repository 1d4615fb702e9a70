package dev.cutter.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A request that failed: no answer came, or the service answered with an error. The message names
 * the method, the URL (without credentials: user info and secret-looking query values are
 * masked), the status and the service's own words (its JSON {@code message}, {@code error},
 * {@code error_description} and {@code errors}); request headers, Authorization among them, are
 * never part of it.
 */
public final class HttpException extends RuntimeException {
    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final int BODY_LIMIT = 64 << 10;
    private static final Pattern SECRET_PARAMETER = Pattern.compile("(?i).*(token|signature|sig|secret|password|key|credential).*");

    private final String method;
    private final URI uri;
    private final int status;
    private final String serviceMessage;
    private final HttpHeaders headers;
    private final boolean retryable;
    private final Duration retryAfter;

    private HttpException(String method, URI uri, int status, String serviceMessage, HttpHeaders headers, boolean retryable,
            Duration retryAfter, String message, Throwable cause) {
        super(message, cause);
        this.method = method;
        this.uri = uri;
        this.status = status;
        this.serviceMessage = serviceMessage;
        this.headers = headers;
        this.retryable = retryable;
        this.retryAfter = retryAfter;
    }

    /**
     * The error the answer {@code response} stands for, with the service's message read from its
     * body (at most 64 KiB; the body is closed). {@code note} is added to the message as it is.
     */
    public static HttpException answered(HttpResponse<InputStream> response, Instant now, String note) {
        byte[] body;
        try (InputStream in = response.body()) {
            body = in.readNBytes(BODY_LIMIT);
        } catch (IOException e) {
            body = new byte[0]; // the status says enough
        }
        String said = serviceMessage(body, response.headers().firstValue("content-type").orElse(""));
        int status = response.statusCode();
        Optional<Duration> asked = Retries.asked(response.headers(), now);
        String method = response.request().method();
        URI uri = response.request().uri();
        return new HttpException(method, uri, status, said, response.headers(), Retries.retryable(status, response.headers()),
                asked.orElse(null), method + " " + safe(uri) + " answered " + status + (said.isEmpty() ? "" : " (" + said + ")") + note,
                null);
    }

    /** No answer came to {@code request} after {@code attempts} attempts; {@code cause} is the last failure. */
    public static HttpException noAnswer(HttpRequest request, int attempts, IOException cause) {
        Optional<FileBody.SourceException> source = source(cause);
        String why = source.map(Throwable::getMessage).orElseGet(() -> describe(cause));
        return new HttpException(request.method(), request.uri(), 0, "", HttpHeaders.of(Map.of(), (a, b) -> true),
                Retries.retryable(cause), null, request.method() + " " + safe(request.uri()) + (source.isPresent()
                        ? ": the body could not be sent: " + why
                        : ": no answer (" + attempts + (attempts == 1 ? " attempt" : " attempts") + "): " + why), cause);
    }

    static HttpException interrupted(HttpRequest request, InterruptedException cause) {
        return new HttpException(request.method(), request.uri(), 0, "", HttpHeaders.of(Map.of(), (a, b) -> true), false, null,
                request.method() + " " + safe(request.uri()) + ": interrupted", cause);
    }

    public String method() {
        return method;
    }

    /** The URL as it was requested; {@link #safe(URI)} gives it as messages show it. */
    public URI uri() {
        return uri;
    }

    /** The HTTP status, or 0 when no answer came. */
    public int status() {
        return status;
    }

    /** What the service said about the error, in its own words; empty when it said nothing readable. */
    public String serviceMessage() {
        return serviceMessage;
    }

    /** The answer's headers (empty when none came), for the hints a service gives there. */
    public HttpHeaders headers() {
        return headers;
    }

    /** Whether trying again later may succeed ({@link Retries}). */
    public boolean retryable() {
        return retryable;
    }

    /** How long the service asked to wait before trying again, when it said so. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    /** The file a request body was streamed from, when the failure was that file and not the service. */
    public Optional<FileBody.SourceException> source() {
        return source(getCause());
    }

    /** {@code METHOD URL} as messages show it. */
    public String request() {
        return method + " " + safe(uri);
    }

    /** The URL without user info, and with the values of query parameters that look secret masked. */
    public static String safe(URI uri) {
        StringBuilder out = new StringBuilder();
        if (uri.getScheme() != null) {
            out.append(uri.getScheme()).append("://");
        }
        if (uri.getRawAuthority() != null) {
            String authority = uri.getRawAuthority();
            out.append(authority.substring(authority.lastIndexOf('@') + 1));
        }
        out.append(uri.getRawPath() == null ? "" : uri.getRawPath());
        if (uri.getRawQuery() != null) {
            List<String> parameters = new ArrayList<>();
            for (String parameter : uri.getRawQuery().split("&")) {
                int eq = parameter.indexOf('=');
                String name = eq < 0 ? parameter : parameter.substring(0, eq);
                parameters.add(eq >= 0 && SECRET_PARAMETER.matcher(name).matches() ? name + "=***" : parameter);
            }
            out.append('?').append(String.join("&", parameters));
        }
        return out.toString();
    }

    /**
     * The service's own words from an error body: JSON {@code message} (text, or the object
     * GitLab gives for validation errors), {@code error}, {@code error_description}, and each of
     * {@code errors} (OCI's {@code code: message}, GitHub's {@code resource.field code});
     * a short plain-text body as it is. Empty when there is nothing readable.
     */
    static String serviceMessage(byte[] body, String contentType) {
        if (body.length == 0) {
            return "";
        }
        JsonNode json;
        try {
            json = JSON.readTree(body);
        } catch (IOException e) {
            json = null;
        }
        if (json == null || !json.isObject()) {
            String text = new String(body, StandardCharsets.UTF_8).strip();
            boolean plain = contentType.startsWith("text/plain") || !contentType.contains("html") && !text.startsWith("<");
            return plain && text.length() <= 300 && !text.contains("\n") ? text : "";
        }
        List<String> parts = new ArrayList<>();
        JsonNode message = json.get("message");
        if (message != null && !message.isNull()) {
            parts.add(message.isTextual() ? message.textValue() : message.toString());
        }
        for (String field : List.of("error", "error_description")) {
            JsonNode value = json.get(field);
            if (value != null && value.isTextual()) {
                parts.add(value.textValue());
            }
        }
        JsonNode errors = json.get("errors");
        if (errors != null && errors.isArray()) {
            for (JsonNode error : errors) {
                parts.add(error.isTextual() ? error.textValue() : describeError(error));
            }
        }
        String joined = String.join("; ", parts.stream().filter(p -> !p.isBlank()).toList());
        return joined.length() > 500 ? joined.substring(0, 500) + "…" : joined;
    }

    private static String describeError(JsonNode error) {
        String code = error.path("code").asText("");
        String message = error.path("message").asText("");
        String where = error.path("resource").asText("") + (error.has("field") ? "." + error.path("field").asText("") : "");
        if (!where.isEmpty() && !where.equals(".")) {
            return (where.startsWith(".") ? where.substring(1) : where) + " " + code + (message.isEmpty() ? "" : ": " + message);
        }
        return code.isEmpty() ? message : message.isEmpty() ? code : code + ": " + message;
    }

    private static Optional<FileBody.SourceException> source(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof FileBody.SourceException source) {
                return Optional.of(source);
            }
        }
        return Optional.empty();
    }

    /**
     * The first failure in the chain that is more than a plain IOException wrapper, by class and
     * message: "ConnectException: Connection refused" says more than its wrappers and its causes.
     */
    private static String describe(Throwable failure) {
        Throwable telling = failure;
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause.getClass() != IOException.class) {
                telling = cause;
                break;
            }
        }
        String message = telling.getMessage();
        return telling.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + message);
    }
}
