package dev.cutter.http;

import java.net.URI;

/**
 * Where a URL's requests go, as browsers and HTTP clients judge "the same site": its scheme, host
 * (case-insensitive) and port, the scheme's default port standing for none. Credentials held for
 * one origin are sent to that origin only.
 */
public final class Origin {
    private Origin() {}

    /** Whether {@code a} and {@code b} have the same scheme, host and port. */
    public static boolean same(URI a, URI b) {
        return a.getScheme() != null && a.getScheme().equalsIgnoreCase(b.getScheme()) && a.getHost() != null
                && a.getHost().equalsIgnoreCase(b.getHost()) && port(a) == port(b);
    }

    /**
     * {@code reference} (a peer's {@code Location} or {@code Link} value) resolved against
     * {@code base}; empty when it is not a URL or not an http(s) one, which a caller refuses
     * rather than follows.
     */
    public static java.util.Optional<URI> resolveHttp(URI base, String reference) {
        try {
            URI at = base.resolve(reference);
            return "http".equalsIgnoreCase(at.getScheme()) || "https".equalsIgnoreCase(at.getScheme())
                    ? java.util.Optional.of(at) : java.util.Optional.empty();
        } catch (IllegalArgumentException e) {
            return java.util.Optional.empty();
        }
    }

    private static int port(URI uri) {
        return uri.getPort() != -1 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }
}
