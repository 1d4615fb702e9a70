package dev.cutter.sigstore;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cutter.attest.EnvelopeSigner;
import dev.cutter.content.Digest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1String;

/**
 * Verifies a keyless signature as {@code cosign verify --certificate-identity … --certificate-oidc-issuer …}
 * does, against a {@link TrustedRoot}: the certificate chains to one of its certificate authorities
 * at the time the log recorded the signature; its subject alternative name is the expected
 * identity and its OIDC issuer extension the expected issuer; the signature verifies over the
 * content with the certificate's key; the log entry is a {@code hashedrekord} of that digest,
 * signature and certificate, its signed entry timestamp verifies against the log's key and, where
 * the signer kept it, its inclusion proof leads to the root hash of a checkpoint the log signed.
 * Certificate transparency (the leaf's SCT) is not checked here; sigstore-js checks it in the tests.
 */
public final class KeylessVerifier {
    /** Fulcio's OIDC issuer extension (DER UTF8String), and its older form (the raw string). */
    static final String ISSUER_OID = "1.3.6.1.4.1.57264.1.8";
    static final String ISSUER_OID_V1 = "1.3.6.1.4.1.57264.1.1";

    private final TrustedRoot root;
    private final Identity expected;

    /** Whom the signature must be by: the certificate's subject alternative name (matched whole) and OIDC issuer. */
    public record Identity(String subject, String issuer) {
        @Override
        public String toString() {
            return subject + " (issuer " + issuer + ")";
        }
    }

    /** One keyless signature's evidence: its certificate chain (DER, leaf first), signature, and log entry. */
    public record Evidence(List<byte[]> certificates, byte[] signature, Optional<LogEntry> entry) {
        public Evidence {
            certificates = List.copyOf(certificates);
            signature = signature.clone();
        }

        @Override
        public byte[] signature() {
            return signature.clone();
        }
    }

    /** Whether a public key made a signature over the signed content (a payload in memory, or a file streamed). */
    @FunctionalInterface
    public interface Content {
        boolean signedBy(PublicKey key, byte[] signature) throws IOException;
    }

    public KeylessVerifier(TrustedRoot root, Identity expected) {
        this.root = root;
        this.expected = expected;
    }

    /**
     * The verifier of a project's spec: its trusted root file {@code trustedRoot} (relative to
     * {@code project}, and inside it) and the identity. A path outside the project or a file that
     * is not a trusted root is an {@link IllegalArgumentException} naming it.
     */
    public static KeylessVerifier read(java.nio.file.Path project, String trustedRoot, Identity expected) throws IOException {
        java.nio.file.Path dir = project.toAbsolutePath().normalize();
        java.nio.file.Path file = dir.resolve(trustedRoot).normalize();
        if (!file.startsWith(dir)) {
            throw new IllegalArgumentException("the trusted root '" + trustedRoot + "' is outside the project; name a file in it");
        }
        if (!java.nio.file.Files.isRegularFile(file)) {
            throw new IllegalArgumentException("the trusted root " + dir.relativize(file) + " is not a file of the project");
        }
        try {
            return new KeylessVerifier(TrustedRoot.parse(java.nio.file.Files.readAllBytes(file)), expected);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the trusted root " + dir.relativize(file) + ": " + e.getMessage(), e);
        }
    }

    /** The identity signatures must be by. */
    public Identity expected() {
        return expected;
    }

    /**
     * Why {@code evidence} is not a keyless signature of {@code content} (whose SHA-256 is
     * {@code digest}) by the expected identity; empty when it is.
     */
    public Optional<String> refusal(Evidence evidence, Digest digest, Content content) throws IOException {
        if (evidence.certificates().isEmpty()) {
            return Optional.of("it has no certificate (a key's signature, not a keyless one)");
        }
        X509Certificate leaf;
        try {
            leaf = TrustedRoot.certificate(evidence.certificates().get(0), "its certificate");
        } catch (IllegalArgumentException e) {
            return Optional.of(e.getMessage());
        }
        if (evidence.entry().isEmpty()) {
            return Optional.of("it has no transparency log entry, so when it was made while " + subject(leaf).orElse("its certificate")
                    + "'s certificate was valid cannot be shown");
        }
        LogEntry entry = evidence.entry().get();
        Instant signed = Instant.ofEpochSecond(entry.integratedTime());
        Optional<TrustedRoot.Log> log = root.log(entry.logId());
        if (log.isPresent() && !EnvelopeSigner.verify(log.get().key(), entry.signedContent(), entry.signedEntryTimestamp())) {
            // the entry's time, at which the chain is checked, is the log's word only once its SET verifies
            return Optional.of("its log entry's signed entry timestamp does not verify against the key of log "
                    + HexFormat.of().formatHex(entry.logId()));
        }
        Optional<String> chain = chain(leaf, signed);
        if (chain.isPresent()) {
            return chain;
        }
        Optional<String> subject = subject(leaf);
        if (!subject.equals(Optional.of(expected.subject()))) {
            return Optional.of("its certificate names " + subject.orElse("no email or URI") + ", not the identity " + expected.subject());
        }
        Optional<String> issuer = issuer(leaf);
        if (!issuer.equals(Optional.of(expected.issuer()))) {
            return Optional.of("its certificate's OIDC issuer is " + issuer.orElse("not named") + ", not " + expected.issuer());
        }
        if (!content.signedBy(leaf.getPublicKey(), evidence.signature())) {
            return Optional.of("its signature does not verify over " + digest + " with its certificate's key");
        }
        return logProblem(entry, leaf, evidence.signature(), digest);
    }

    /** The leaf chains, through the intermediates of one of the root's authorities, to that authority's root, at {@code t}. */
    private Optional<String> chain(X509Certificate leaf, Instant t) {
        String last = "no certificate authority of the trusted root was valid at " + t;
        for (TrustedRoot.Authority authority : root.authorities()) {
            if (!authority.validAt(t)) {
                continue;
            }
            List<X509Certificate> path = new ArrayList<>(List.of(leaf));
            List<X509Certificate> chain = authority.chain();
            path.addAll(chain.subList(0, chain.size() - 1));
            try {
                PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(chain.getLast(), null)));
                parameters.setRevocationEnabled(false);
                parameters.setDate(Date.from(t));
                CertPathValidator.getInstance("PKIX").validate(CertificateFactory.getInstance("X.509").generateCertPath(path), parameters);
                return Optional.empty();
            } catch (GeneralSecurityException e) {
                last = e.getMessage();
            }
        }
        return Optional.of("its certificate (issued by " + leaf.getIssuerX500Principal().getName() + ") does not chain to a"
                + " certificate authority of the trusted root at " + t + ": " + last);
    }

    /** The certificate's identity: its first email or URI subject alternative name. */
    static Optional<String> subject(X509Certificate leaf) {
        try {
            var names = leaf.getSubjectAlternativeNames();
            if (names == null) {
                return Optional.empty();
            }
            return names.stream().filter(n -> n.get(0) instanceof Integer type && (type == 1 || type == 6))
                    .map(n -> String.valueOf(n.get(1))).findFirst();
        } catch (CertificateParsingException e) {
            return Optional.empty();
        }
    }

    /** Fulcio's OIDC issuer extension. */
    static Optional<String> issuer(X509Certificate leaf) {
        try {
            byte[] value = leaf.getExtensionValue(ISSUER_OID);
            if (value != null) {
                ASN1Primitive inner = ASN1Primitive.fromByteArray(ASN1OctetString.getInstance(value).getOctets());
                return inner instanceof ASN1String s ? Optional.of(s.getString()) : Optional.empty();
            }
            value = leaf.getExtensionValue(ISSUER_OID_V1);
            return value == null ? Optional.empty()
                    : Optional.of(new String(ASN1OctetString.getInstance(value).getOctets(), StandardCharsets.UTF_8));
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The log entry: a log of the root, its SET, its inclusion proof, its time within the certificate's, and its body this signature's. */
    private Optional<String> logProblem(LogEntry entry, X509Certificate leaf, byte[] signature, Digest digest) {
        String id = HexFormat.of().formatHex(entry.logId());
        Optional<TrustedRoot.Log> log = root.log(entry.logId());
        if (log.isEmpty()) {
            return Optional.of("its log entry is from a log the trusted root does not name (log id " + id + ")");
        }
        Instant t = Instant.ofEpochSecond(entry.integratedTime());
        if (!log.get().validAt(t)) {
            return Optional.of("its log entry was made at " + t + ", when log " + id + " was not valid in the trusted root");
        }
        if (t.isBefore(leaf.getNotBefore().toInstant()) || t.isAfter(leaf.getNotAfter().toInstant())) {
            return Optional.of("its log entry was made at " + t + ", outside its certificate's validity (" + leaf.getNotBefore().toInstant()
                    + " to " + leaf.getNotAfter().toInstant() + ")");
        }
        if (entry.inclusionProof().isPresent()) {
            Optional<String> proof = inclusion(entry, entry.inclusionProof().get(), log.get().key());
            if (proof.isPresent()) {
                return proof;
            }
        }
        JsonNode body;
        try {
            body = entry.decodedBody();
        } catch (IllegalArgumentException e) {
            return Optional.of(e.getMessage());
        }
        if (!body.path("kind").asText().equals("hashedrekord")) {
            return Optional.of("its log entry is a " + body.path("kind").asText("?") + " entry, not a hashedrekord");
        }
        JsonNode spec = body.path("spec");
        if (!spec.path("data").path("hash").path("value").asText().equals(digest.hex())) {
            return Optional.of("its log entry records sha256:" + spec.path("data").path("hash").path("value").asText() + ", not " + digest);
        }
        if (!spec.path("signature").path("content").asText().equals(Base64.getEncoder().encodeToString(signature))) {
            return Optional.of("its log entry records another signature");
        }
        try {
            String pem = new String(Base64.getDecoder().decode(spec.path("signature").path("publicKey").path("content").asText()),
                    StandardCharsets.US_ASCII);
            List<byte[]> logged = Certificates.fromPem(pem);
            if (logged.isEmpty() || !Arrays.equals(logged.get(0), leaf.getEncoded())) {
                return Optional.of("its log entry records another certificate");
            }
        } catch (IllegalArgumentException | java.security.cert.CertificateEncodingException e) {
            return Optional.of("its log entry's certificate cannot be read: " + e.getMessage());
        }
        return Optional.empty();
    }

    /**
     * The inclusion proof (RFC 9162, 2.1.3.2) from the entry's leaf hash to the proof's root hash,
     * and the checkpoint (a signed note: origin, tree size, root hash) signed by the log's key for that root.
     */
    static Optional<String> inclusion(LogEntry entry, JsonNode proof, PublicKey key) {
        try {
            long index = Long.parseLong(proof.path("logIndex").asText());
            long size = Long.parseLong(proof.path("treeSize").asText());
            byte[] rootHash = Base64.getDecoder().decode(proof.path("rootHash").asText());
            byte[] r = sha256(new byte[] {0}, entry.bodyBytes());
            long fn = index;
            long sn = size - 1;
            if (index < 0 || index >= size) {
                return Optional.of("its inclusion proof's index " + index + " is outside the tree of " + size);
            }
            for (JsonNode h : proof.path("hashes")) {
                byte[] p = Base64.getDecoder().decode(h.asText());
                if (sn == 0) {
                    return Optional.of("its inclusion proof is longer than the tree is deep");
                }
                if ((fn & 1) == 1 || fn == sn) {
                    r = sha256(new byte[] {1}, p, r);
                    while ((fn & 1) == 0 && fn != 0) {
                        fn >>= 1;
                        sn >>= 1;
                    }
                } else {
                    r = sha256(new byte[] {1}, r, p);
                }
                fn >>= 1;
                sn >>= 1;
            }
            if (sn != 0 || !Arrays.equals(r, rootHash)) {
                return Optional.of("its inclusion proof does not lead to the root hash it names");
            }
            String note = proof.path("checkpoint").path("envelope").asText("");
            int split = note.indexOf("\n\n");
            if (split < 0) {
                return Optional.of("its inclusion proof has no signed checkpoint");
            }
            String text = note.substring(0, split + 1);
            String[] lines = text.split("\n");
            if (lines.length < 3 || !lines[1].equals(Long.toString(size)) || !Arrays.equals(Base64.getDecoder().decode(lines[2]), rootHash)) {
                return Optional.of("its checkpoint is not of the proof's tree (size " + size + ")");
            }
            for (String line : note.substring(split + 2).split("\n")) {
                if (!line.startsWith("\u2014 ")) {
                    continue;
                }
                String[] parts = line.substring(2).split(" ");
                byte[] signed = Base64.getDecoder().decode(parts[parts.length - 1]);
                if (signed.length > 4 && EnvelopeSigner.verify(key, text.getBytes(StandardCharsets.UTF_8),
                        Arrays.copyOfRange(signed, 4, signed.length))) {
                    return Optional.empty();
                }
            }
            return Optional.of("its checkpoint is not signed by the log's key");
        } catch (IllegalArgumentException e) {
            return Optional.of("its inclusion proof cannot be read: " + e.getMessage());
        }
    }

    private static byte[] sha256(byte[]... parts) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (byte[] part : parts) {
                md.update(part);
            }
            return md.digest();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
