package dev.cutter.sigstore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cutter.attest.EnvelopeSigner;
import dev.cutter.content.Digest;
import dev.cutter.content.JsonDocument;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * A Sigstore bundle (v0.3, {@value #MEDIA_TYPE}) of a file signed with a key: a
 * {@code messageSignature} (the file's SHA-256 and the signature over the file) and, as
 * verification material, the public key by its hint. No transparency log entry and no timestamp:
 * a verifier trusts the key it is given, as {@code cosign verify-blob --key} does. A keyless
 * bundle adds a certificate and a log entry ({@link KeylessSigner}).
 *
 * @param hint how the bundle names the key (the release key's OpenPGP fingerprint)
 * @param sha256 the signed file's digest
 * @param signature over the file itself: Ed25519 (pure), ECDSA P-256 with SHA-256 (DER), RSA
 *     with SHA-256 (PKCS #1 v1.5), as the key is
 * @param certificates a keyless signer's certificate chain (DER, leaf first); none for a key
 * @param tlogEntries a keyless signer's transparency log entries, as JSON; none for a key
 */
public record SigstoreBundle(String hint, Digest sha256, byte[] signature, List<byte[]> certificates, List<JsonNode> tlogEntries) {
    public static final String MEDIA_TYPE = "application/vnd.dev.sigstore.bundle.v0.3+json";
    /** The suffix of a file's bundle beside it, as Sigstore's tools name one. */
    public static final String SUFFIX = ".sigstore.json";

    public SigstoreBundle {
        signature = signature.clone();
        certificates = List.copyOf(certificates);
        tlogEntries = List.copyOf(tlogEntries);
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    /** Signs {@code file} with {@code signer}: read once for its digest, once for the signature. */
    public static SigstoreBundle sign(Path file, EnvelopeSigner signer) throws IOException {
        return new SigstoreBundle(signer.keyId(), Digest.sha256(file), signer.sign(file), List.of(), List.of());
    }

    /** The bundle's JSON: protobuf-specs' JSON names, bytes in standard base64. */
    public byte[] toJson() {
        ObjectNode root = JsonDocument.object();
        root.put("mediaType", MEDIA_TYPE);
        ObjectNode material = root.putObject("verificationMaterial");
        if (certificates.isEmpty()) {
            material.putObject("publicKey").put("hint", hint);
        } else {
            material.putObject("certificate").put("rawBytes", Base64.getEncoder().encodeToString(certificates.get(0)));
        }
        var entries = material.putArray("tlogEntries");
        tlogEntries.forEach(entries::add);
        material.putObject("timestampVerificationData").putArray("rfc3161Timestamps");
        ObjectNode message = root.putObject("messageSignature");
        ObjectNode digest = message.putObject("messageDigest");
        digest.put("algorithm", "SHA2_256");
        digest.put("digest", Base64.getEncoder().encodeToString(HexFormat.of().parseHex(sha256.hex())));
        message.put("signature", Base64.getEncoder().encodeToString(signature));
        return JsonDocument.indented(root);
    }

    /** Reads a bundle with a message signature; anything else is an {@link IllegalArgumentException} saying what is wrong. */
    public static SigstoreBundle parse(byte[] json) {
        JsonNode root = JsonDocument.read(json, "not a Sigstore bundle");
        if (root == null || !root.path("mediaType").asText().startsWith("application/vnd.dev.sigstore.bundle")) {
            throw new IllegalArgumentException("not a Sigstore bundle: its mediaType is not application/vnd.dev.sigstore.bundle…");
        }
        JsonNode message = root.path("messageSignature");
        if (!message.path("signature").isTextual() || !"SHA2_256".equals(message.path("messageDigest").path("algorithm").asText())) {
            throw new IllegalArgumentException("not a Sigstore bundle of a file: it needs messageSignature with a SHA2_256 messageDigest");
        }
        JsonNode material = root.path("verificationMaterial");
        List<byte[]> certificates = new java.util.ArrayList<>();
        if (material.has("certificate")) {
            certificates.add(Base64.getDecoder().decode(material.path("certificate").path("rawBytes").asText()));
        }
        material.path("x509CertificateChain").path("certificates") // bundles v0.1 and v0.2
                .forEach(c -> certificates.add(Base64.getDecoder().decode(c.path("rawBytes").asText())));
        List<JsonNode> entries = new java.util.ArrayList<>();
        material.path("tlogEntries").forEach(entries::add);
        try {
            return new SigstoreBundle(material.path("publicKey").path("hint").asText(""),
                    new Digest(Digest.SHA256, HexFormat.of().formatHex(Base64.getDecoder().decode(
                            message.path("messageDigest").path("digest").asText()))),
                    Base64.getDecoder().decode(message.path("signature").asText()), certificates, entries);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a Sigstore bundle: " + e.getMessage(), e);
        }
    }

    /**
     * Whether this bundle is {@code key}'s signature of {@code file}: the file's digest is the one
     * the bundle names and the signature over the file verifies. What a verifier asks.
     */
    public boolean verifies(Path file, PublicKey key) throws IOException {
        return Digest.sha256(file).equals(sha256) && signedBy(file, key, signature);
    }

    /**
     * Why this bundle is not a keyless signature of {@code file} by the identity {@code verifier}
     * expects (its certificate, log entry and signature checked as {@link KeylessVerifier} says);
     * empty when it is. The file's digest is compared first.
     */
    public Optional<String> keylessRefusal(Path file, KeylessVerifier verifier) throws IOException {
        Digest digest = Digest.sha256(file);
        if (!digest.equals(sha256)) {
            return Optional.of("it is a bundle of " + sha256 + ", not of " + file.getFileName() + " (" + digest + ")");
        }
        Optional<LogEntry> entry;
        try {
            entry = tlogEntries.isEmpty() ? Optional.empty() : Optional.of(LogEntry.fromBundle(tlogEntries.get(0)));
        } catch (IllegalArgumentException e) {
            return Optional.of(e.getMessage());
        }
        return verifier.refusal(new KeylessVerifier.Evidence(certificates, signature, entry), sha256,
                (key, sig) -> signedBy(file, key, sig));
    }

    /** Whether {@code key} made {@code signature} over the bytes of {@code file}, streamed. */
    private static boolean signedBy(Path file, PublicKey key, byte[] signature) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            Signature verifier = Signature.getInstance(EnvelopeSigner.algorithm(key.getAlgorithm()));
            verifier.initVerify(key);
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                verifier.update(buffer, 0, n);
            }
            return verifier.verify(signature);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }
}
