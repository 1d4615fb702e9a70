package dev.cutter.sigstore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

/**
 * An OIDC identity token (a JWT) as keyless signing reads it: its issuer and the subject Fulcio
 * puts in the certificate. Its signature is not checked here; Fulcio checks it against the
 * issuer's keys. {@link #toString()} never shows the token.
 *
 * @param raw the token as given, sent to Fulcio and nowhere else
 * @param issuer the {@code iss} claim, which becomes the certificate's OIDC issuer extension
 * @param subject the {@code sub} claim
 * @param email the {@code email} claim, when the token has one (Google, Sigstore's own issuer)
 * @param expires the {@code exp} claim, when the token has one
 */
public record IdentityToken(String raw, String issuer, String subject, Optional<String> email, Optional<Instant> expires) {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /**
     * Reads a token; {@code source} names where it came from in the error (an environment variable,
     * the CI's token endpoint).
     */
    public static IdentityToken parse(String raw, String source) throws KeylessException {
        String token = raw.strip();
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) {
            throw KeylessException.refused("the identity token from " + source + " is not a JWT (three base64url parts joined by dots)");
        }
        JsonNode claims;
        try {
            claims = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
        } catch (IOException | IllegalArgumentException e) {
            throw KeylessException.refused("the identity token from " + source + " is not a JWT: its claims are not base64url JSON");
        }
        if (claims == null || !claims.path("iss").isTextual() || !claims.path("sub").isTextual()) {
            throw KeylessException.refused("the identity token from " + source + " has no iss or sub claim");
        }
        return new IdentityToken(token, claims.path("iss").textValue(), claims.path("sub").textValue(),
                Optional.ofNullable(claims.path("email").textValue()),
                claims.path("exp").canConvertToLong() ? Optional.of(Instant.ofEpochSecond(claims.path("exp").longValue())) : Optional.empty());
    }

    /**
     * What the proof of possession signs: the email for a token that carries one (Fulcio's email
     * identities), else the subject, as Fulcio's challenge for each kind of issuer asks.
     */
    public String principal() {
        return email.orElse(subject);
    }

    /** Whether the token has expired at {@code now}: Fulcio would refuse it. */
    public boolean expiredAt(Instant now) {
        return expires.map(now::isAfter).orElse(false);
    }

    @Override
    public String toString() {
        return "IdentityToken[issuer=" + issuer + ", subject=" + subject + "]";
    }
}
