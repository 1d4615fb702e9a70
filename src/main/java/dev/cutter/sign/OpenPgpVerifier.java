package dev.cutter.sign;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.bouncycastle.bcpg.sig.IssuerFingerprint;
import org.bouncycastle.openpgp.PGPCompressedData;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPSecretKeyRing;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureList;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.bc.BcPGPObjectFactory;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentVerifierBuilderProvider;

/**
 * Checks OpenPGP signatures against a public key, as gpgv does: the signature must verify, and
 * the key that made it must have been allowed to sign when it did (not expired then, a signing
 * subkey bound to its primary key). A key that expired later leaves the signature good with a
 * note, as gpg does; a revoked key's signatures never count, where gpg only warns.
 *
 * <p>A signature that does not hold is a {@link Verification} with {@code valid == false} and a
 * message saying why, never an exception; only a failure to read the data stream is thrown.
 */
public final class OpenPgpVerifier {
    private static final String BEGIN_SIGNED = "-----BEGIN PGP SIGNED MESSAGE-----";
    private static final String BEGIN_SIGNATURE = "-----BEGIN PGP SIGNATURE-----";
    private static final byte[] CRLF = {'\r', '\n'};

    private OpenPgpVerifier() {
    }

    /**
     * The outcome of a check.
     *
     * @param keyFingerprint the primary fingerprint of the key that made the signature (as
     *     {@link OpenPgpKey#fingerprint()}), or {@code null} when none of the given keys did
     * @param message what gpg would say: "Good signature from …" or why the signature does not hold
     */
    public record Verification(boolean valid, String keyFingerprint, String message) {
        static Verification invalid(String keyFingerprint, String message) {
            return new Verification(false, keyFingerprint, message);
        }
    }

    /**
     * Checks a detached signature ({@code .asc}, {@code Release.gpg}), armored or binary, of
     * {@code data} against the public key(s) in {@code publicKey}. The data is streamed.
     *
     * @throws IOException only when reading {@code data} fails
     */
    public static Verification verifyDetached(InputStream publicKey, InputStream data, InputStream signature)
            throws IOException {
        try {
            List<PGPPublicKeyRing> certificates = certificates(publicKey);
            List<PGPSignature> signatures = signatures(signature);
            return verify(certificates, signatures, data,
                    Set.of(PGPSignature.BINARY_DOCUMENT, PGPSignature.CANONICAL_TEXT_DOCUMENT));
        } catch (Unusable e) {
            return Verification.invalid(null, e.getMessage());
        }
    }

    /**
     * Checks a cleartext-signed message (RFC 4880 §7, apt's {@code InRelease}) against the public
     * key(s) in {@code publicKey}. The message must start with its {@code BEGIN PGP SIGNED
     * MESSAGE} line, as apt requires. The text is spooled to a temporary file while it is read,
     * because its signature comes after it.
     *
     * @throws IOException only when reading the message or spooling its text fails
     */
    public static Verification verifyClearsigned(InputStream publicKey, InputStream clearsigned) throws IOException {
        List<PGPPublicKeyRing> certificates;
        try {
            certificates = certificates(publicKey);
        } catch (Unusable e) {
            return Verification.invalid(null, e.getMessage());
        }
        InputStream in = new BufferedInputStream(clearsigned, 1 << 16);
        Path text = Files.createTempFile("cutter-cleartext-", ".txt");
        try {
            Set<String> declaredHashes = spoolClearText(in, text);
            List<PGPSignature> signatures = signatures(new SequenceInputStream(
                    new ByteArrayInputStream((BEGIN_SIGNATURE + "\n").getBytes(StandardCharsets.US_ASCII)), in));
            for (PGPSignature signature : signatures) {
                String hash = PGPUtil.getDigestName(signature.getHashAlgorithm());
                if (!declaredHashes.isEmpty() && !declaredHashes.contains(hash)) {
                    return Verification.invalid(null, "the signature uses " + hash + ", but the message's Hash header"
                            + " declares " + String.join(", ", declaredHashes));
                }
            }
            try (InputStream canonical = Files.newInputStream(text)) {
                return verify(certificates, signatures, canonical, Set.of(PGPSignature.CANONICAL_TEXT_DOCUMENT));
            }
        } catch (Unusable e) {
            return Verification.invalid(null, e.getMessage());
        } catch (PGPException e) {
            return Verification.invalid(null, "the signature uses an unknown hash algorithm: " + e.getMessage());
        } finally {
            Files.deleteIfExists(text);
        }
    }

    /**
     * Reads the framework's header and text, writing the text as it was signed (dash escapes
     * removed, trailing whitespace dropped, CRLF between lines) to {@code spool}. Leaves
     * {@code in} just after the line that begins the signature. Returns the declared hashes.
     */
    private static Set<String> spoolClearText(InputStream in, Path spool) throws IOException, Unusable {
        byte[] first = readLine(in);
        if (first == null || !ascii(stripTrailingWhitespace(first)).equals(BEGIN_SIGNED)) {
            throw new Unusable("not a cleartext-signed message: it must start with the line " + BEGIN_SIGNED);
        }
        Set<String> hashes = new LinkedHashSet<>();
        for (byte[] line; ; ) {
            line = readLine(in);
            if (line == null) {
                throw new Unusable("the cleartext-signed message ends inside its armor headers");
            }
            String header = ascii(stripTrailingWhitespace(line));
            if (header.isEmpty()) {
                break;
            }
            if (!header.startsWith("Hash:")) {
                throw new Unusable("the cleartext-signed message has the armor header '" + abbreviate(header)
                        + "'; only Hash: headers may precede the text");
            }
            Arrays.stream(header.substring(5).split(",")).map(String::trim).filter(h -> !h.isEmpty())
                    .map(h -> h.toUpperCase(Locale.ROOT)).forEach(hashes::add);
        }
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(spool), 1 << 16)) {
            for (long number = 1; ; number++) {
                byte[] line = readLine(in);
                if (line == null) {
                    throw new Unusable("the cleartext-signed message has no signature: its text is not followed by "
                            + BEGIN_SIGNATURE);
                }
                byte[] content = stripTrailingWhitespace(line);
                if (content.length > 0 && content[0] == '-') {
                    if (content.length > 1 && content[1] == ' ') {
                        content = Arrays.copyOfRange(content, 2, content.length);
                    } else if (ascii(content).equals(BEGIN_SIGNATURE)) {
                        return hashes;
                    } else {
                        throw new Unusable("line " + number + " of the signed text starts with '-' but is not"
                                + " dash-escaped ('- ')");
                    }
                }
                if (number > 1) {
                    out.write(CRLF);
                }
                out.write(content);
            }
        }
    }

    private static Verification verify(List<PGPPublicKeyRing> certificates, List<PGPSignature> signatures,
            InputStream data, Set<Integer> types) throws IOException, Unusable {
        // Every signature is readied before the data flows, so the data is read once.
        record Candidate(PGPSignature signature, PGPPublicKeyRing certificate, PGPPublicKey key) {
        }
        List<Candidate> candidates = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (PGPSignature signature : signatures) {
            if (!types.contains(signature.getSignatureType())) {
                problems.add("a signature of type 0x" + Integer.toHexString(signature.getSignatureType())
                        + ", which does not sign a document");
                continue;
            }
            long issuer = issuer(signature);
            Optional<PGPPublicKeyRing> certificate = certificates.stream()
                    .filter(ring -> ring.getPublicKey(issuer) != null).findFirst();
            if (certificate.isEmpty()) {
                problems.add("the signature was made by key " + KeyRules.keyId(issuer) + ", which is not among the"
                        + " public keys given (" + certificates.stream().map(ring -> describe(ring.getPublicKey()))
                                .collect(Collectors.joining(", "))
                        + "); verify with the public key of the signer");
                continue;
            }
            PGPPublicKey key = certificate.get().getPublicKey(issuer);
            try {
                signature.init(new BcPGPContentVerifierBuilderProvider(), key);
                candidates.add(new Candidate(signature, certificate.get(), key));
            } catch (PGPException e) {
                problems.add("key " + KeyRules.keyId(issuer) + " of " + describe(certificate.get().getPublicKey())
                        + " cannot check the signature: " + e.getMessage());
            }
        }
        if (candidates.isEmpty()) {
            throw new Unusable(String.join("; ", problems));
        }
        byte[] buffer = new byte[1 << 16];
        for (int n; (n = data.read(buffer)) != -1; ) {
            for (Candidate candidate : candidates) {
                candidate.signature().update(buffer, 0, n);
            }
        }
        Verification first = null;
        for (Candidate candidate : candidates) {
            Verification verification = outcome(candidate.signature(), candidate.certificate(), candidate.key());
            if (verification.valid()) {
                return verification;
            }
            if (first == null) {
                first = verification;
            }
        }
        return first;
    }

    private static Verification outcome(PGPSignature signature, PGPPublicKeyRing certificate, PGPPublicKey key) {
        PGPPublicKey primary = certificate.getPublicKey();
        String fingerprint = KeyRules.fingerprint(primary);
        boolean bySubkey = key.getKeyID() != primary.getKeyID();
        String signer = describe(primary) + (bySubkey ? " (subkey " + KeyRules.keyId(key.getKeyID()) + ")" : "");
        boolean correct;
        try {
            correct = signature.verify();
        } catch (PGPException | RuntimeException e) {
            correct = false;
        }
        if (!correct) {
            return Verification.invalid(fingerprint,
                    "BAD signature from " + signer + ": the data does not match the signature");
        }
        Instant made = signature.getCreationTime().toInstant();
        Optional<String> problem = KeyRules.whyItCannotSign(primary, key, made);
        if (problem.isPresent()) {
            return Verification.invalid(fingerprint, "the signature made " + made + " by " + signer
                    + " does not count: the key " + problem.get());
        }
        // Like gpg: a key that expired after it signed leaves the signature good, worth a note.
        String note = KeyRules.whyItCannotSign(primary, key, Instant.now())
                .map(since -> "; note: by now the key " + since).orElse("");
        return new Verification(true, fingerprint, "Good signature from " + signer + ", made " + made + " with "
                + KeyRules.algorithm(key) + " and " + hashName(signature) + note);
    }

    private static String hashName(PGPSignature signature) {
        try {
            return PGPUtil.getDigestName(signature.getHashAlgorithm());
        } catch (PGPException e) {
            return "hash algorithm " + signature.getHashAlgorithm();
        }
    }

    /** The issuer's key ID: from the issuer subpacket, else from the issuer fingerprint (v4: its last 8 bytes). */
    private static long issuer(PGPSignature signature) {
        long id = signature.getKeyID();
        if (id == 0 && signature.getHashedSubPackets() != null) {
            IssuerFingerprint fingerprint = signature.getHashedSubPackets().getIssuerFingerprint();
            if (fingerprint != null) {
                id = fingerprint.getKeyID();
            }
        }
        return id;
    }

    private static List<PGPPublicKeyRing> certificates(InputStream in) throws Unusable {
        List<PGPPublicKeyRing> rings = new ArrayList<>();
        boolean secret = false;
        try {
            BcPGPObjectFactory objects = new BcPGPObjectFactory(PGPUtil.getDecoderStream(in));
            for (Object object; (object = objects.nextObject()) != null; ) {
                if (object instanceof PGPPublicKeyRing ring) {
                    rings.add(ring);
                } else if (object instanceof PGPSecretKeyRing) {
                    secret = true;
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new Unusable("the public key is not an OpenPGP public key; export one with"
                    + " `gpg --export --armor <fingerprint>`");
        }
        if (rings.isEmpty()) {
            throw new Unusable(secret
                    ? "a secret key was given where the public key belongs; give the public key"
                            + " (`gpg --export --armor <fingerprint>`) and keep the secret key out of validation"
                    : "the public key contains no OpenPGP key; export one with `gpg --export --armor <fingerprint>`");
        }
        return rings;
    }

    private static List<PGPSignature> signatures(InputStream in) throws Unusable {
        List<PGPSignature> signatures = new ArrayList<>();
        try {
            collectSignatures(new BcPGPObjectFactory(PGPUtil.getDecoderStream(in)), signatures);
        } catch (IOException | PGPException | RuntimeException e) {
            throw new Unusable("the signature is not an OpenPGP signature: " + e.getMessage());
        }
        if (signatures.isEmpty()) {
            throw new Unusable("the signature contains no OpenPGP signature");
        }
        return signatures;
    }

    private static void collectSignatures(BcPGPObjectFactory objects, List<PGPSignature> into)
            throws IOException, PGPException {
        for (Object object; (object = objects.nextObject()) != null; ) {
            if (object instanceof PGPSignatureList list) {
                list.forEach(into::add);
            } else if (object instanceof PGPCompressedData compressed) {
                collectSignatures(new BcPGPObjectFactory(compressed.getDataStream()), into);
            }
        }
    }

    private static String describe(PGPPublicKey primary) {
        String id = KeyRules.userId(primary);
        return KeyRules.fingerprint(primary) + (id.isEmpty() ? "" : " \"" + id + "\"");
    }

    /** One line without its LF; {@code null} at the end of the stream. */
    private static byte[] readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        int b;
        while ((b = in.read()) != -1 && b != '\n') {
            line.write(b);
        }
        return b == -1 && line.size() == 0 ? null : line.toByteArray();
    }

    /** Drops trailing spaces, tabs and carriage returns: none of them is signed. */
    private static byte[] stripTrailingWhitespace(byte[] line) {
        int end = line.length;
        while (end > 0 && (line[end - 1] == ' ' || line[end - 1] == '\t' || line[end - 1] == '\r')) {
            end--;
        }
        return end == line.length ? line : Arrays.copyOf(line, end);
    }

    private static String ascii(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    private static String abbreviate(String text) {
        return text.length() <= 60 ? text : text.substring(0, 57) + "...";
    }

    /** Input that cannot be checked at all; becomes an invalid {@link Verification}. */
    private static final class Unusable extends Exception {
        Unusable(String message) {
            super(message, null, false, false);
        }
    }
}
