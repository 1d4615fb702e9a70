package dev.cutter.http;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Sends requests, trying again with {@link Backoff} while the failure is passing
 * ({@link Retries}): 429, 5xx, rate-limit 403s and dropped connections. The request is built
 * anew for each attempt, so a streamed body ({@link FileBody}) is read again from its start.
 *
 * <p>Every answer that is not passing — success or refusal — is returned as it is for the caller
 * to read; only when the attempts run out, or the service asks to wait longer than the backoff's
 * patience, does it throw {@link HttpException}.
 */
public final class Sender {
    /** Waits between attempts; tests pass one that records instead of sleeping. */
    @FunctionalInterface
    public interface Sleeper {
        Sleeper REAL = duration -> Thread.sleep(duration); // backing off before the next attempt

        void sleep(Duration duration) throws InterruptedException;
    }

    private final HttpClient http;
    private final Backoff backoff;
    private final Sleeper sleeper;
    private final Clock clock;

    public Sender(HttpClient http, Backoff backoff) {
        this(http, backoff, Sleeper.REAL, Clock.systemUTC());
    }

    public Sender(HttpClient http, Backoff backoff, Sleeper sleeper, Clock clock) {
        this.http = Objects.requireNonNull(http, "http");
        this.backoff = Objects.requireNonNull(backoff, "backoff");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public HttpClient client() {
        return http;
    }

    public Backoff backoff() {
        return backoff;
    }

    /**
     * The first answer to {@code request} that is not passing, its body unread.
     *
     * @throws HttpException when no answer came after the last attempt (or the failure cannot pass,
     *     such as a body file that is not what it should be), when the last answer was still passing,
     *     or when the service asked to wait beyond the backoff's patience
     */
    public HttpResponse<InputStream> send(Supplier<HttpRequest> request) {
        int timeouts = 0;
        for (int attempt = 1; ; attempt++) {
            HttpRequest sent = request.get();
            HttpResponse<InputStream> response;
            try {
                response = http.send(sent, HttpResponse.BodyHandlers.ofInputStream());
            } catch (IOException e) {
                // a second time-out is a service that stalls, not a passing blip: waiting again only delays the failure
                boolean stalled = e instanceof java.net.http.HttpTimeoutException && ++timeouts >= 2;
                if (stalled || !Retries.retryable(e) || attempt >= backoff.attempts()) {
                    throw HttpException.noAnswer(sent, attempt, e);
                }
                pause(backoff.delay(attempt, Optional.empty()), sent);
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw HttpException.interrupted(sent, e);
            }
            if (!Retries.retryable(response.statusCode(), response.headers())) {
                return response;
            }
            Optional<Duration> asked = Retries.asked(response.headers(), clock.instant());
            if (asked.filter(backoff::beyondPatience).isPresent()) {
                throw HttpException.answered(response, clock.instant(), "; it asks to wait " + format(asked.get()) + " (until "
                        + clock.instant().plus(asked.get()).truncatedTo(java.time.temporal.ChronoUnit.SECONDS) + "), longer than the " + format(backoff.patience())
                        + " Cutter waits: try again then");
            }
            if (attempt >= backoff.attempts()) {
                throw HttpException.answered(response, clock.instant(), " after " + attempt + (attempt == 1 ? " attempt" : " attempts"));
            }
            close(response);
            pause(backoff.delay(attempt, asked), sent);
        }
    }

    /** The error {@code response} stands for, with the service's own message; its body is read and closed. */
    public HttpException failure(HttpResponse<InputStream> response) {
        return HttpException.answered(response, clock.instant(), "");
    }

    private void pause(Duration duration, HttpRequest request) {
        try {
            sleeper.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw HttpException.interrupted(request, e);
        }
    }

    private static void close(HttpResponse<InputStream> response) {
        try {
            response.body().close();
        } catch (IOException ignored) {
            // the answer was not wanted anyway
        }
    }

    /** {@code 41m}, {@code 1h30m}, {@code 45s}, {@code 250ms}. */
    static String format(Duration d) {
        long s = d.toSeconds();
        if (s == 0) {
            return d.toMillis() + "ms";
        }
        if (s < 60) {
            return s + "s";
        }
        long minutes = (s + 59) / 60;
        return minutes >= 60 ? minutes / 60 + "h" + (minutes % 60 > 0 ? minutes % 60 + "m" : "") : minutes + "m";
    }
}
