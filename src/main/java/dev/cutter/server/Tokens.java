package dev.cutter.server;

import dev.cutter.content.Digest;
import dev.cutter.ledger.AccessRecords;
import dev.cutter.ledger.ApiToken;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * API tokens: {@code cutter_<id>_<secret>}, where the id is public (it names the token in the
 * ledger and the audit trail) and the secret is 256 random bits. The token is shown once, when
 * made; the ledger keeps only its SHA-256, which is enough for a secret of that entropy (no salt
 * or slow hash needed: nothing to guess). Checking compares hashes in constant time.
 */
public final class Tokens {
    private static final String PREFIX = "cutter_";
    private final AccessRecords records;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public Tokens(AccessRecords records, Clock clock) {
        this.records = records;
        this.clock = clock;
    }

    /** A token as made: {@code secret} is the whole token, to hand to its user once. */
    public record Issued(ApiToken record, String secret) {
        /** The token's record without its secret. */
        @Override
        public String toString() {
            return "Issued[record=" + record + ", secret=***]";
        }
    }

    /** Makes and records a token. */
    public Issued create(String name, Role role, List<String> channels) {
        if (name.isBlank()) {
            throw new IllegalArgumentException("a token needs a name (--name), e.g. the robot or person it is for");
        }
        List<String> allowed = channels.isEmpty() ? List.of("*") : channels.stream().map(String::strip).filter(c -> !c.isEmpty()).toList();
        byte[] id = new byte[4];
        byte[] secret = new byte[32];
        random.nextBytes(id);
        random.nextBytes(secret);
        String tokenId = "t" + HexFormat.of().formatHex(id);
        String token = PREFIX + tokenId + "_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        ApiToken record = new ApiToken(tokenId, name.strip(), role.label(), allowed, hash(token), clock.instant(), Optional.empty());
        records.addToken(record);
        return new Issued(record, token);
    }

    /** Who {@code token} is, when it is a live token of this ledger. */
    public Optional<Principal> verify(String token) {
        if (token == null || !token.startsWith(PREFIX)) {
            return Optional.empty();
        }
        int end = token.indexOf('_', PREFIX.length());
        if (end < 0) {
            return Optional.empty();
        }
        return principal(token.substring(PREFIX.length(), end), Optional.of(token));
    }

    /** The principal of a live token by id (a browser session keeps only the id); with {@code token}, it must match. */
    Optional<Principal> principal(String tokenId, Optional<String> token) {
        Optional<ApiToken> record = records.token(tokenId);
        if (record.isEmpty() || record.get().revoked().isPresent()) {
            return Optional.empty();
        }
        if (token.isPresent() && !MessageDigest.isEqual(hash(token.get()).getBytes(StandardCharsets.US_ASCII),
                record.get().hash().getBytes(StandardCharsets.US_ASCII))) {
            return Optional.empty();
        }
        ApiToken t = record.get();
        return Optional.of(new Principal(t.id(), t.name(), Role.parse(t.role()), t.channels()));
    }

    static String hash(String token) {
        return Digest.sha256(token.getBytes(StandardCharsets.UTF_8)).toString();
    }
}
