package dev.cutter.sigstore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Whom a keyless verifier trusts: a Sigstore trusted root
 * ({@code application/vnd.dev.sigstore.trustedroot+json}, what cosign's {@code --trusted-root}
 * and sigstore-js read, and what TUF distributes for Sigstore's public instances): the certificate
 * authorities (Fulcio's chains, root last) and the transparency logs (Rekor's keys by log id),
 * each with the time it was valid.
 */
public record TrustedRoot(List<Authority> authorities, List<Log> logs) {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    public TrustedRoot {
        authorities = List.copyOf(authorities);
        logs = List.copyOf(logs);
    }

    /** A certificate authority: its chain (intermediates first, the root last) and validity. */
    public record Authority(List<X509Certificate> chain, Instant start, Optional<Instant> end) {
        public Authority {
            chain = List.copyOf(chain);
        }

        boolean validAt(Instant t) {
            return !t.isBefore(start) && end.map(t::isBefore).orElse(true);
        }
    }

    /** A transparency log: its key, the id entries name it by (SHA-256 of the key, Rekor's), and validity. */
    public record Log(String baseUrl, byte[] logId, PublicKey key, Instant start, Optional<Instant> end) {
        public Log {
            logId = logId.clone();
        }

        @Override
        public byte[] logId() {
            return logId.clone();
        }

        boolean validAt(Instant t) {
            return !t.isBefore(start) && end.map(t::isBefore).orElse(true);
        }
    }

    /** The log named {@code logId}, if the root holds it. */
    Optional<Log> log(byte[] logId) {
        return logs.stream().filter(l -> Arrays.equals(l.logId, logId)).findFirst();
    }

    /** Reads a trusted root; anything else is an {@link IllegalArgumentException} naming the field that is wrong. */
    public static TrustedRoot parse(byte[] json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("not a Sigstore trusted root: " + e.getMessage(), e);
        }
        if (root == null || !root.path("mediaType").asText().startsWith("application/vnd.dev.sigstore.trustedroot")) {
            throw new IllegalArgumentException("not a Sigstore trusted root: its mediaType is not"
                    + " application/vnd.dev.sigstore.trustedroot+json…");
        }
        List<Authority> authorities = new ArrayList<>();
        int i = 0;
        for (JsonNode ca : root.path("certificateAuthorities")) {
            String at = "certificateAuthorities[" + i++ + "]";
            List<X509Certificate> chain = new ArrayList<>();
            for (JsonNode cert : ca.path("certChain").path("certificates")) {
                chain.add(certificate(bytes(cert.path("rawBytes"), at + ".certChain"), at + ".certChain"));
            }
            if (chain.isEmpty()) {
                throw new IllegalArgumentException(at + ".certChain holds no certificate");
            }
            authorities.add(new Authority(chain, time(ca.path("validFor").path("start"), at), end(ca.path("validFor").path("end"), at)));
        }
        List<Log> logs = new ArrayList<>();
        i = 0;
        for (JsonNode log : root.path("tlogs")) {
            String at = "tlogs[" + i++ + "]";
            JsonNode key = log.path("publicKey");
            logs.add(new Log(log.path("baseUrl").asText(""), bytes(log.path("logId").path("keyId"), at + ".logId.keyId"),
                    publicKey(bytes(key.path("rawBytes"), at + ".publicKey.rawBytes"), at), time(key.path("validFor").path("start"), at),
                    end(key.path("validFor").path("end"), at)));
        }
        if (authorities.isEmpty() || logs.isEmpty()) {
            throw new IllegalArgumentException("the trusted root names no " + (authorities.isEmpty() ? "certificate authority"
                    : "transparency log") + ": a keyless signature needs both");
        }
        return new TrustedRoot(authorities, logs);
    }

    /** A DER certificate, or an {@link IllegalArgumentException} naming {@code where}. */
    static X509Certificate certificate(byte[] der, String where) {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
        } catch (CertificateException e) {
            throw new IllegalArgumentException(where + ": not an X.509 certificate: " + e.getMessage(), e);
        }
    }

    /** A SubjectPublicKeyInfo (DER) of an ECDSA, Ed25519 or RSA key. */
    static PublicKey publicKey(byte[] spki, String where) {
        for (String algorithm : List.of("EC", "Ed25519", "RSA")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(spki));
            } catch (GeneralSecurityException e) {
                // the next algorithm
            }
        }
        throw new IllegalArgumentException(where + ": its public key is not an ECDSA, Ed25519 or RSA key (SubjectPublicKeyInfo, DER)");
    }

    private static byte[] bytes(JsonNode node, String where) {
        try {
            byte[] bytes = Base64.getDecoder().decode(node.asText(""));
            if (bytes.length == 0) {
                throw new IllegalArgumentException(where + " is missing");
            }
            return bytes;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + " is not base64: " + e.getMessage(), e);
        }
    }

    private static Instant time(JsonNode node, String where) {
        if (!node.isTextual()) {
            return Instant.EPOCH;
        }
        try {
            return Instant.parse(node.asText());
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException(where + ".validFor: '" + node.asText() + "' is not an RFC 3339 time", e);
        }
    }

    private static Optional<Instant> end(JsonNode node, String where) {
        return node.isTextual() ? Optional.of(time(node, where)) : Optional.empty();
    }
}
