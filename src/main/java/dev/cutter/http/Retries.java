package dev.cutter.http;

import java.io.IOException;
import java.net.UnknownHostException;
import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import javax.net.ssl.SSLHandshakeException;

/**
 * The one notion of "try again" that every HTTP client in Cutter shares: which answers and which
 * failures are passing, and how long the service asked to wait.
 */
public final class Retries {
    private Retries() {}

    /**
     * Whether an answer says "not now" rather than "no": 429; a 5xx other than 501 and 505 (which
     * a repeat cannot change); and a 403 that is a rate limit — GitHub answers its primary limit
     * with 403 and {@code x-ratelimit-remaining: 0}, its secondary limits with 403 and
     * {@code retry-after}.
     */
    public static boolean retryable(int status, HttpHeaders headers) {
        if (status == 429) {
            return true;
        }
        if (status >= 500 && status <= 599) {
            return status != 501 && status != 505;
        }
        return status == 403 && (headers.firstValue("retry-after").isPresent() || exhausted(headers));
    }

    /**
     * Whether failing to get any answer is passing: a refused, reset or timed-out connection is;
     * a host name that does not resolve, a TLS certificate that is not trusted, or a request body
     * that could not be produced ({@link FileBody.SourceException}) is not — sending again would
     * fail again.
     */
    public static boolean retryable(IOException failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof FileBody.SourceException || cause instanceof UnknownHostException
                    || cause instanceof SSLHandshakeException) {
                return false;
            }
        }
        return true;
    }

    /**
     * How long the service asked to wait: {@code Retry-After} in seconds or as an HTTP-date; else,
     * when no requests remain ({@code x-ratelimit-remaining: 0}, or {@code ratelimit-remaining: 0}
     * as GitLab writes it), until {@code x-ratelimit-reset} / {@code ratelimit-reset} (epoch seconds),
     * or, without a reset, for the window the limit counts over ({@code ratelimit-remaining: 0;w=21600},
     * Docker Hub's form: its requests come back within those six hours, not sooner for sure).
     */
    public static Optional<Duration> asked(HttpHeaders headers, Instant now) {
        Optional<String> retryAfter = headers.firstValue("retry-after").map(String::trim);
        if (retryAfter.isPresent()) {
            String value = retryAfter.get();
            if (value.matches("\\d{1,9}")) {
                return Optional.of(Duration.ofSeconds(Long.parseLong(value)));
            }
            try {
                Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                return Optional.of(at.isAfter(now) ? Duration.between(now, at) : Duration.ZERO);
            } catch (DateTimeParseException e) {
                // neither form: fall through to the rate-limit headers, else the backoff decides
            }
        }
        if (exhausted(headers)) {
            Optional<String> reset = headers.firstValue("x-ratelimit-reset").or(() -> headers.firstValue("ratelimit-reset"))
                    .map(String::trim).filter(v -> v.matches("\\d{1,12}"));
            if (reset.isPresent()) {
                Instant at = Instant.ofEpochSecond(Long.parseLong(reset.get()));
                return Optional.of(at.isAfter(now) ? Duration.between(now, at) : Duration.ZERO);
            }
            java.util.regex.Matcher window = WINDOW.matcher(remaining(headers).orElse(""));
            if (window.find()) {
                return Optional.of(Duration.ofSeconds(Long.parseLong(window.group(1))));
            }
        }
        return Optional.empty();
    }

    /** The window of a {@code ratelimit-remaining} of the form {@code N;w=SECONDS}. */
    private static final java.util.regex.Pattern WINDOW = java.util.regex.Pattern.compile(";\\s*w\\s*=\\s*(\\d{1,12})");

    private static Optional<String> remaining(HttpHeaders headers) {
        return headers.firstValue("x-ratelimit-remaining").or(() -> headers.firstValue("ratelimit-remaining")).map(String::trim);
    }

    /** No requests remain: {@code 0}, or {@code 0;w=…} as Docker Hub writes it. */
    private static boolean exhausted(HttpHeaders headers) {
        return remaining(headers).filter(v -> v.matches("0\\s*(;.*)?")).isPresent();
    }
}
