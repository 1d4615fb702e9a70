package dev.cutter.server;

import java.time.Duration;

/**
 * What a caller can make the server spend before it is known. Jetty gives each request that
 * reads a body a thread from a bounded pool (blocking servlet reads); without these bounds, a few
 * hundred connections that announce a body and send it a byte a second hold every thread, and
 * authenticated calls starve.
 *
 * @param maxHookBody          largest webhook delivery accepted, in bytes (GitHub's own cap is 25 MB; real pushes are a few KB)
 * @param maxApiBody           largest body of any other request, in bytes (API bodies are small JSON objects and forms)
 * @param bodyWithin           a request body must have arrived this long after its headers, however steadily it trickles
 * @param minBodyRate          bytes per second under which Jetty gives up on a request body (its minimum data rate)
 * @param idleTimeout          a connection that sends nothing for this long is closed (headers, bodies and idle keep-alives alike)
 * @param pendingPerAddress    unauthenticated requests with a body (webhooks, logins) read at once from one client address
 *                             (IPv6: one /64); more are answered 429 at once
 * @param pendingOverall       the same, from all addresses together: the threads unauthenticated readers can ever hold
 */
public record Limits(long maxHookBody, long maxApiBody, Duration bodyWithin, long minBodyRate, Duration idleTimeout,
        int pendingPerAddress, int pendingOverall) {

    public Limits {
        if (maxHookBody < 1 || maxApiBody < 1 || minBodyRate < 0 || pendingPerAddress < 1 || pendingOverall < pendingPerAddress
                || bodyWithin.isNegative() || bodyWithin.isZero() || idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("server limits must be positive, and pendingOverall at least pendingPerAddress: " + this);
        }
    }

    /** 5 MB deliveries, 1 MB other bodies, 30 s per body, 1 KB/s, 30 s idle, 8 pending per address and 64 overall (of Jetty's 250 threads). */
    public static Limits defaults() {
        return new Limits(5_000_000, 1_000_000, Duration.ofSeconds(30), 1024, Duration.ofSeconds(30), 8, 64);
    }
}
