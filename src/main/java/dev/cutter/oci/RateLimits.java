package dev.cutter.oci;

import dev.cutter.http.Sender;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The request budgets of one run's registries, one token bucket per registry shared by every
 * client and job of the run that speaks to it. A budget is declared ({@code ratelimit: 100/6h} in
 * the spec) or learnt from the registry's own {@code ratelimit-limit}/{@code ratelimit-remaining}
 * headers (Docker Hub's {@code 100;w=21600}); what the registry says remains caps the bucket, so a
 * budget spent by others (the same address's other pulls) slows Cutter down too.
 *
 * <p>What is counted is what registries count as a pull or a push: a GET or PUT of a manifest
 * ({@link #counted}). HEADs, blobs and tag lists are not: Docker Hub does not count them, and
 * Cutter HEADs a manifest before it GETs one.
 */
public final class RateLimits {
    /** {@code REQUESTS/PERIOD}: a number, a slash, a period of seconds, minutes, hours or days ({@code 6h}, {@code 1d}, {@code s}). */
    private static final Pattern BUDGET = Pattern.compile("\\s*(\\d{1,9})\\s*/\\s*(\\d{0,9})\\s*([smhd])\\s*");
    /** {@code 100}, {@code 100;w=21600} (RFC 9239's draft form, as Docker Hub writes it). */
    private static final Pattern HEADER = Pattern.compile("\\s*(\\d{1,12})\\s*(?:;\\s*w\\s*=\\s*(\\d{1,12}))?.*");

    /**
     * A budget: {@code requests} per {@code period}, refilled evenly (a request every
     * {@code period / requests} once the bucket is empty).
     */
    public record Budget(long requests, Duration period) {
        public Budget {
            Objects.requireNonNull(period, "period");
            if (requests < 1 || period.isZero() || period.isNegative()) {
                throw new IllegalArgumentException("a budget is at least one request in a period longer than zero");
            }
        }

        /** {@code 100/6h}, {@code 5000/1d}, {@code 10/s}. */
        public static Budget parse(String text) {
            Matcher m = BUDGET.matcher(text);
            if (!m.matches() || Long.parseLong(m.group(1)) < 1 || !m.group(2).isEmpty() && Long.parseLong(m.group(2)) < 1) {
                throw new IllegalArgumentException("'" + text + "' is not a budget; write REQUESTS/PERIOD, e.g. 100/6h or 10/s");
            }
            long amount = m.group(2).isEmpty() ? 1 : Long.parseLong(m.group(2));
            Duration period = switch (m.group(3)) {
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            };
            return new Budget(Long.parseLong(m.group(1)), period);
        }

        @Override
        public String toString() {
            return requests + "/" + RateLimits.period(period);
        }

        /** A duration as budgets write periods, rounded up to the minute past one: {@code 6h}, {@code 1h12m}, {@code 45s}. */
        public static String periodText(Duration d) {
            long s = d.toSeconds() + (d.toNanosPart() > 0 ? 1 : 0);
            if (s < 60) {
                return s + "s";
            }
            long minutes = (s + 59) / 60;
            return minutes % (24 * 60) == 0 ? minutes / (24 * 60) + "d"
                    : minutes >= 60 ? minutes / 60 + "h" + (minutes % 60 > 0 ? minutes % 60 + "m" : "") : minutes + "m";
        }
    }

    /**
     * What a registry said of its limit in an answer's headers: {@code limit} requests per
     * {@code window} (empty when it did not say), {@code remaining} of them left.
     */
    public record Reported(long limit, long remaining, Optional<Duration> window) {
        /** From {@code ratelimit-limit} and {@code ratelimit-remaining} (or GitHub's {@code x-} forms); empty without them. */
        public static Optional<Reported> of(HttpHeaders headers) {
            Optional<Matcher> remaining = header(headers, "ratelimit-remaining");
            if (remaining.isEmpty()) {
                return Optional.empty();
            }
            Optional<Matcher> limit = header(headers, "ratelimit-limit");
            long left = Long.parseLong(remaining.get().group(1));
            Optional<String> w = Optional.ofNullable(remaining.get().group(2))
                    .or(() -> limit.map(l -> l.group(2)).filter(Objects::nonNull));
            return Optional.of(new Reported(limit.map(l -> Long.parseLong(l.group(1))).orElse(left), left,
                    w.map(s -> Duration.ofSeconds(Long.parseLong(s)))));
        }

        private static Optional<Matcher> header(HttpHeaders headers, String name) {
            return headers.firstValue(name).or(() -> headers.firstValue("x-" + name)).map(HEADER::matcher).filter(Matcher::matches);
        }

        @Override
        public String toString() {
            return remaining + " of " + limit + window.map(w -> " per " + RateLimits.period(w)).orElse("") + " left";
        }
    }

    /** A registry's bucket; {@code tokens} may go below zero: requests waiting their turn. */
    private static final class Bucket {
        volatile Optional<Budget> declared = Optional.empty();
        volatile Optional<Reported> reported = Optional.empty();
        double tokens;
        double perNano;
        Instant at;
    }

    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
    private final Clock clock;
    private final Sender.Sleeper sleeper;

    public RateLimits() {
        this(Clock.systemUTC(), Sender.Sleeper.REAL);
    }

    /** With the clock and the waiting given (tests pass ones that record instead of sleeping). */
    public RateLimits(Clock clock, Sender.Sleeper sleeper) {
        this.clock = clock;
        this.sleeper = sleeper;
    }

    /**
     * Declares {@code budget} for {@code registry} (any of its names; Docker Hub's all mean one):
     * its bucket starts full. Declaring it again changes nothing.
     */
    public void declare(String registry, Budget budget) {
        Bucket bucket = bucket(registry);
        synchronized (bucket) {
            if (bucket.declared.isEmpty()) {
                if (bucket.perNano > 0) {
                    refill(bucket);
                }
                bucket.declared = Optional.of(budget);
                bucket.tokens = bucket.perNano > 0 ? Math.min(bucket.tokens, budget.requests()) : budget.requests();
                bucket.perNano = (double) budget.requests() / budget.period().toNanos();
                bucket.at = clock.instant();
            }
        }
    }

    /** The budget declared for {@code registry}. */
    public Optional<Budget> declared(String registry) {
        return Optional.ofNullable(buckets.get(key(registry))).flatMap(b -> b.declared);
    }

    /** What {@code registry} last said of its limit. */
    public Optional<Reported> reported(String registry) {
        return Optional.ofNullable(buckets.get(key(registry))).flatMap(b -> b.reported);
    }

    /** Whether a request counts against a registry's budget: a GET or PUT of a manifest (a pull or a push). */
    public static boolean counted(String method, URI uri) {
        return (method.equals("GET") || method.equals("PUT")) && uri.getPath().contains("/manifests/");
    }

    /**
     * Takes one request from {@code registry}'s budget, waiting for it when the bucket is empty
     * (requests waiting together go in turn). A registry without a budget is not waited for.
     *
     * @return how long it waited
     */
    public Duration take(String registry) throws InterruptedException {
        Bucket bucket = buckets.get(key(registry));
        if (bucket == null) {
            return Duration.ZERO;
        }
        Duration wait;
        synchronized (bucket) {
            if (bucket.perNano <= 0) {
                return Duration.ZERO;
            }
            refill(bucket);
            bucket.tokens -= 1;
            wait = bucket.tokens >= 0 ? Duration.ZERO : Duration.ofNanos((long) Math.ceil(-bucket.tokens / bucket.perNano));
        }
        if (!wait.isZero()) {
            sleeper.sleep(wait);
        }
        return wait;
    }

    /**
     * Reads what a registry's answer says of its limit: what remains caps the bucket; a registry
     * with no declared budget gets one from what it reports ({@code limit} per its window).
     */
    public void observe(String registry, HttpHeaders headers) {
        Optional<Reported> said = Reported.of(headers);
        if (said.isEmpty()) {
            return;
        }
        Reported reported = said.get();
        Bucket bucket = bucket(registry);
        synchronized (bucket) {
            bucket.reported = said;
            boolean learnt = bucket.perNano <= 0;
            if (bucket.declared.isEmpty() && reported.window().isPresent() && reported.limit() > 0) {
                bucket.perNano = (double) reported.limit() / reported.window().get().toNanos();
            }
            if (learnt && bucket.perNano > 0) { // a budget first heard of now: as full as the registry says
                bucket.tokens = reported.remaining();
                bucket.at = clock.instant();
            } else if (bucket.perNano > 0) {
                refill(bucket);
                bucket.tokens = Math.min(bucket.tokens, reported.remaining());
            }
        }
    }

    /** How long {@code requests} more requests would wait for {@code registry}'s budget, from now. */
    public Duration waitFor(String registry, long requests) {
        Bucket bucket = buckets.get(key(registry));
        if (bucket == null) {
            return Duration.ZERO;
        }
        synchronized (bucket) {
            if (bucket.perNano <= 0) {
                return Duration.ZERO;
            }
            refill(bucket);
            double missing = requests - bucket.tokens;
            return missing <= 0 ? Duration.ZERO : Duration.ofNanos((long) Math.ceil(missing / bucket.perNano));
        }
    }

    private void refill(Bucket bucket) {
        Instant now = clock.instant();
        if (bucket.at == null) {
            bucket.at = now;
            return;
        }
        double capacity = bucket.declared.map(Budget::requests)
                .orElseGet(() -> bucket.reported.map(Reported::limit).orElse(0L));
        long elapsed = Duration.between(bucket.at, now).toNanos();
        if (elapsed > 0) {
            bucket.tokens = Math.min(capacity, bucket.tokens + elapsed * bucket.perNano);
            bucket.at = now;
        }
    }

    private Bucket bucket(String registry) {
        return buckets.computeIfAbsent(key(registry), k -> new Bucket());
    }

    /** One key for every name of a registry. */
    private static String key(String registry) {
        return RegistryHost.of(registry).name();
    }

    /** {@code 6h}, {@code 90m}, {@code 1d}, {@code 30s}. */
    static String period(Duration d) {
        long s = d.toSeconds();
        if (s % 86400 == 0) {
            return s / 86400 + "d";
        }
        if (s % 3600 == 0) {
            return s / 3600 + "h";
        }
        return s % 60 == 0 ? s / 60 + "m" : s + "s";
    }
}
