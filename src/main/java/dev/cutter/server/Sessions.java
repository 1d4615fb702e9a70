package dev.cutter.server;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Browser sessions: a login with a token makes one, named by a random cookie value (HttpOnly,
 * SameSite=Strict) and carrying the synchronizer token every form of the session must send back
 * (CSRF). Sessions live in this process only: a restarted server asks for the token again. A
 * session keeps the token's id, not the token, and each request checks the token is still live,
 * so revoking a token ends its sessions.
 */
final class Sessions {
    static final String COOKIE = "cutter_session";
    static final Duration LIFETIME = Duration.ofHours(12);

    /** @param csrf sent back by every form of the session, and by scripts as {@code X-CSRF-Token} */
    record Session(String tokenId, String csrf, Instant expires) {}

    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final Clock clock;

    Sessions(Clock clock) {
        this.clock = clock;
    }

    /** A new session for the token; returns the cookie value. */
    String open(String tokenId) {
        sessions.values().removeIf(s -> s.expires().isBefore(clock.instant()));
        String id = randomText();
        sessions.put(Tokens.hash(id), new Session(tokenId, randomText(), clock.instant().plus(LIFETIME)));
        return id;
    }

    Optional<Session> find(String cookie) {
        if (cookie == null || cookie.isBlank()) {
            return Optional.empty();
        }
        Session session = sessions.get(Tokens.hash(cookie)); // keyed by hash: the map never holds a usable cookie
        if (session == null || session.expires().isBefore(clock.instant())) {
            return Optional.empty();
        }
        return Optional.of(session);
    }

    void close(String cookie) {
        if (cookie != null) {
            sessions.remove(Tokens.hash(cookie));
        }
    }

    /** Whether {@code given} is the session's synchronizer token, compared in constant time. */
    static boolean csrfMatches(Session session, String given) {
        return given != null && MessageDigest.isEqual(session.csrf().getBytes(StandardCharsets.UTF_8),
                given.getBytes(StandardCharsets.UTF_8));
    }

    private String randomText() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
