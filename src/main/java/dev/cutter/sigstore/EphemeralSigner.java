package dev.cutter.sigstore;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cutter.attest.EnvelopeSigner;
import dev.cutter.content.Digest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Keyless signing with an ephemeral key: an ECDSA P-256 key pair made in memory, certified by
 * Fulcio for the identity of the CI's OIDC token (the token's principal signed as the proof of
 * possession), each signature recorded in Rekor. One signer (one job) keeps its key and
 * certificate while the certificate has more than a minute left (Fulcio's last ten minutes), then
 * makes a new pair; the private key is never written anywhere.
 */
public final class EphemeralSigner implements KeylessSigner {
    private static final Duration MARGIN = Duration.ofMinutes(1);

    private final IdentityTokens tokens;
    private final CertificateAuthority authority;
    private final TransparencyLog log;
    private final Clock clock;
    private Certified current;

    /** The key pair, its certificate chain (DER, leaf first) and the end of the leaf's validity. */
    private record Certified(EnvelopeSigner signer, List<byte[]> chain, Instant notAfter) {}

    public EphemeralSigner(IdentityTokens tokens, CertificateAuthority authority, TransparencyLog log, Clock clock) {
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        this.authority = Objects.requireNonNull(authority, "authority");
        this.log = Objects.requireNonNull(log, "log");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public synchronized SigstoreBundle sign(Path file) throws IOException {
        Certified certified = certified();
        Digest digest = Digest.sha256(file);
        byte[] signature = certified.signer().sign(file);
        JsonNode entry = log.record(digest, signature, certified.chain().get(0));
        return new SigstoreBundle("", digest, signature, List.of(certified.chain().get(0)), List.of(entry));
    }

    @Override
    public synchronized Signed sign(SimpleSigning payload) throws IOException {
        Certified certified = certified();
        byte[] bytes = payload.bytes();
        byte[] signature = certified.signer().sign(bytes);
        JsonNode entry = log.record(Digest.sha256(bytes), signature, certified.chain().get(0));
        return new Signed(bytes, signature, certified.chain(), entry);
    }

    private Certified certified() throws IOException {
        Instant now = clock.instant();
        if (current != null && current.notAfter().minus(MARGIN).isAfter(now)) {
            return current;
        }
        IdentityToken token = IdentityToken.parse(tokens.token(), "the CI");
        if (token.expiredAt(now)) {
            throw KeylessException.refused("the identity token of " + token.subject() + " from " + token.issuer() + " expired at "
                    + token.expires().orElseThrow() + "; Fulcio would refuse it: sign within the token's lifetime");
        }
        KeyPair pair;
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            pair = generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this Java cannot make an ECDSA P-256 key: " + e.getMessage(), e);
        }
        EnvelopeSigner signer = EnvelopeSigner.of("", pair);
        byte[] proof = signer.sign(token.principal().getBytes(StandardCharsets.UTF_8));
        List<byte[]> chain = authority.certify(pair.getPublic(), proof, token.raw());
        Instant notAfter = Fulcio.certificate(chain.get(0)).getNotAfter().toInstant();
        current = new Certified(signer, List.copyOf(chain), notAfter);
        return current;
    }
}
