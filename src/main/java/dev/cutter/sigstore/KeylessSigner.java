package dev.cutter.sigstore;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cutter.content.Digest;
import java.io.IOException;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.List;

/**
 * Keyless signing as Sigstore does it, the port it goes behind: no release key, but an ephemeral
 * key pair made for one signing, a short-lived certificate for its public key that a certificate
 * authority (Fulcio) issues to the identity of an OIDC token (the CI's workload identity), and a
 * transparency log (Rekor) entry recording the signature, whose inclusion proof and signed entry
 * timestamp show the signature was made while the certificate was valid. The bundle then carries
 * the certificate and the entry instead of a key hint.
 *
 * <p>{@link EphemeralSigner} implements it over {@link Fulcio}, {@link Rekor} and the CI's token
 * ({@link CiIdentityTokens}); it needs those services (Sigstore's public-good instances, or a
 * private Fulcio and Rekor). docs/supply-chain.md says how to verify what it signs.
 */
public interface KeylessSigner {
    /** Signs {@code file}: a bundle whose verification material is a certificate and a log entry. */
    SigstoreBundle sign(Path file) throws IOException;

    /** Signs a simple-signing payload for an image; the signature manifest's layer also carries the certificate. */
    Signed sign(SimpleSigning payload) throws IOException;

    /** A payload's signature with its certificate chain (DER, leaf first) and log entry. */
    record Signed(byte[] payload, byte[] signature, List<byte[]> certificates, JsonNode tlogEntry) {}

    /** Fulcio: issues a certificate for an ephemeral key to the identity in an OIDC token. */
    interface CertificateAuthority {
        /**
         * The certificate chain (DER, leaf first) for {@code key}.
         *
         * @param proof the key's signature over the token's subject, proving the caller holds the private key
         */
        List<byte[]> certify(PublicKey key, byte[] proof, String identityToken) throws IOException;
    }

    /** Rekor: records a signature of a digest with its certificate and answers the entry, inclusion proof included. */
    interface TransparencyLog {
        JsonNode record(Digest digest, byte[] signature, byte[] certificate) throws IOException;
    }

    /** Where the OIDC token comes from (the CI's identity token endpoint, or a file); read when signing, never stored. */
    interface IdentityTokens {
        String token() throws IOException;
    }
}
