package dev.cutter.ledger;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A server API token as the ledger keeps it: never the token itself, only its SHA-256 hash.
 *
 * @param id       public, part of the token, so a lookup needs no search by secret
 * @param role     {@code viewer}, {@code releaser} or {@code admin}
 * @param channels the channels it may release or promote to; {@code *} for any
 * @param hash     {@code sha256:<hex>} of the whole token
 */
public record ApiToken(String id, String name, String role, List<String> channels, String hash, Instant created,
        Optional<Instant> revoked) {
    public ApiToken {
        requireNonNull(id, "id");
        requireNonNull(name, "name");
        requireNonNull(role, "role");
        requireNonNull(hash, "hash");
        requireNonNull(created, "created");
        requireNonNull(revoked, "revoked");
        channels = List.copyOf(channels);
        if (channels.stream().anyMatch(c -> c.contains(","))) {
            throw new IllegalArgumentException("a channel name cannot contain a comma: " + channels);
        }
    }
}
