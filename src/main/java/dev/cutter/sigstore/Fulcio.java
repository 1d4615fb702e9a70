package dev.cutter.sigstore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cutter.attest.EnvelopeSigner;
import dev.cutter.http.HttpException;
import dev.cutter.http.Sender;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * Fulcio's v2 API: {@code POST /api/v2/signingCert} with the OIDC token, the ephemeral public key
 * (PEM) and the proof of possession (the key's signature over the token's principal), answered
 * with the certificate chain (PEM, leaf first), the SCT embedded in the leaf
 * ({@code signedCertificateEmbeddedSct}) or beside it ({@code signedCertificateDetachedSct}).
 * Passing failures (429, 5xx, no answer) are tried again as the service asks ({@link Sender}).
 *
 * @param base the service's URL, {@code https://fulcio.sigstore.dev} for Sigstore's public instance
 */
public record Fulcio(URI base, Sender sender, Duration timeout) implements KeylessSigner.CertificateAuthority {
    static final String PATH = "/api/v2/signingCert";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    public Fulcio {
        Objects.requireNonNull(base, "base");
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(timeout, "timeout");
    }

    @Override
    public List<byte[]> certify(PublicKey key, byte[] proof, String identityToken) throws IOException {
        ObjectNode request = JSON.createObjectNode();
        request.putObject("credentials").put("oidcIdentityToken", identityToken);
        ObjectNode keyRequest = request.putObject("publicKeyRequest");
        keyRequest.putObject("publicKey").put("algorithm", "ECDSA").put("content", EnvelopeSigner.pem(key));
        keyRequest.put("proofOfPossession", Base64.getEncoder().encodeToString(proof));
        byte[] body = JSON.writeValueAsBytes(request);
        URI uri = URI.create(base.toString().replaceAll("/+$", "") + PATH);
        HttpResponse<InputStream> response;
        try {
            response = sender.send(() -> HttpRequest.newBuilder(uri).timeout(timeout).header("Content-Type", "application/json")
                    .header("Accept", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
        } catch (HttpException e) {
            throw failure(e);
        }
        if (response.statusCode() != 200 && response.statusCode() != 201) {
            throw failure(sender.failure(response));
        }
        JsonNode answer;
        try (InputStream in = response.body()) {
            answer = JSON.readTree(in.readNBytes(1 << 20));
        } catch (IOException e) {
            throw KeylessException.refused("Fulcio at " + HttpException.safe(base) + " answered no JSON: " + e.getMessage());
        }
        JsonNode chain = answer == null ? null : answer.path("signedCertificateEmbeddedSct").path("chain").path("certificates");
        if (chain == null || !chain.isArray() || chain.isEmpty()) {
            chain = answer == null ? null : answer.path("signedCertificateDetachedSct").path("chain").path("certificates");
        }
        if (chain == null || !chain.isArray() || chain.isEmpty()) {
            throw KeylessException.refused("Fulcio at " + HttpException.safe(base) + " answered no certificate chain");
        }
        List<byte[]> certificates = new ArrayList<>();
        for (JsonNode pem : chain) {
            certificates.addAll(Certificates.fromPem(pem.asText()));
        }
        X509Certificate leaf = certificate(certificates.get(0));
        if (!java.util.Arrays.equals(leaf.getPublicKey().getEncoded(), key.getEncoded())) {
            throw KeylessException.refused("Fulcio at " + HttpException.safe(base) + " answered a certificate for another key");
        }
        return certificates;
    }

    private KeylessException failure(HttpException e) {
        String why = e.status() == 400 || e.status() == 401 || e.status() == 403
                ? "; it refused the identity token or the proof of possession" : "";
        return new KeylessException("Fulcio could not issue a signing certificate: " + e.getMessage() + why, e.retryable(),
                e.retryAfter().orElse(null), e);
    }

    /** A DER certificate read, or a refusal saying the service answered something else. */
    static X509Certificate certificate(byte[] der) throws KeylessException {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
        } catch (CertificateException | IllegalArgumentException e) {
            throw KeylessException.refused("Fulcio answered a certificate that cannot be read: " + e.getMessage());
        }
    }
}
