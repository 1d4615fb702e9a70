package dev.cutter.http;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How often a request is tried and how long to wait in between: {@code first}, doubling up to
 * {@code longest}, with ±20 % jitter so that many clients refused together do not come back in
 * step — and never sooner than the service asked ({@code Retry-After}, a rate limit's reset).
 *
 * @param attempts how many times a request is sent at most (1: never retried)
 * @param patience the longest wait a service may ask for; a service that asks for more (a rate
 *     limit that resets in an hour) gets a failure that says when to come back, not a stalled run
 */
public record Backoff(int attempts, Duration first, Duration longest, Duration patience) {
    /** Five attempts, 0.5 s, 1 s, 2 s, 4 s apart (30 s at most), waiting up to 2 minutes when asked. */
    public static final Backoff STANDARD = new Backoff(5, Duration.ofMillis(500), Duration.ofSeconds(30), Duration.ofMinutes(2));

    public Backoff {
        Objects.requireNonNull(first, "first");
        Objects.requireNonNull(longest, "longest");
        Objects.requireNonNull(patience, "patience");
        if (attempts < 1) {
            throw new IllegalArgumentException("a request is sent at least once, not " + attempts + " times");
        }
    }

    /** The wait after the {@code attempt}-th failure (1 for the first). */
    public Duration delay(int attempt, Optional<Duration> asked) {
        return delay(attempt, asked, ThreadLocalRandom.current().nextDouble());
    }

    /** As {@link #delay(int, Optional)} with the jitter's random number in [0, 1) given. */
    Duration delay(int attempt, Optional<Duration> asked, double random) {
        long base = Math.min(longest.toMillis(), first.toMillis() << Math.min(Math.max(attempt, 1) - 1, 20));
        long jittered = (long) (base * (0.8 + 0.4 * random));
        return Duration.ofMillis(Math.max(jittered, asked.map(Duration::toMillis).orElse(0L)));
    }

    /** Whether a service asking to wait {@code asked} asks for more than this backoff waits. */
    public boolean beyondPatience(Duration asked) {
        return asked.compareTo(patience) > 0;
    }
}
