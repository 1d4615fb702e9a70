package dev.cutter.attest;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Base64;

/**
 * A key that signs DSSE envelopes, cosign payloads and files: Ed25519 (pure), ECDSA with SHA-256
 * (deterministic, RFC 6979; an ASN.1 DER signature, as
 * cosign writes it) or RSA with SHA-256 (PKCS #1 v1.5), chosen by the key's own algorithm.
 *
 * @param keyId how the envelope names the key (the OpenPGP fingerprint of the release key)
 */
public record EnvelopeSigner(String keyId, PrivateKey privateKey, PublicKey publicKey) {
    public static EnvelopeSigner of(String keyId, KeyPair pair) {
        return new EnvelopeSigner(keyId, pair.getPrivate(), pair.getPublic());
    }

    /** The JCA signature algorithm for a key of {@code algorithm} ({@code Ed25519}, {@code EdDSA}, {@code EC}, {@code RSA}). */
    public static String algorithm(String keyAlgorithm) {
        return switch (keyAlgorithm) {
            case "Ed25519", "EdDSA" -> "Ed25519";
            case "EC", "ECDSA" -> "SHA256withECDSA";
            case "RSA" -> "SHA256withRSA";
            default -> throw new IllegalArgumentException("a " + keyAlgorithm + " key cannot sign a DSSE envelope;"
                    + " use an Ed25519, ECDSA or RSA key");
        };
    }

    /**
     * A signature for signing with {@code key}: ECDSA's nonce derived from the key and the message
     * (RFC 6979, Bouncy Castle's {@code SHA256withECDDSA}) rather than drawn at random, so an ECDSA
     * key signs the same bytes the same way on every run, as Ed25519 and RSA PKCS #1 v1.5 do, and
     * a release made again changes nothing. Verifiers see an ordinary ECDSA signature.
     */
    private static Signature signing(PrivateKey key) throws GeneralSecurityException {
        String algorithm = algorithm(key.getAlgorithm());
        Signature signature = algorithm.equals("SHA256withECDSA")
                ? Signature.getInstance("SHA256withECDDSA", BouncyCastle.PROVIDER)
                : Signature.getInstance(algorithm);
        signature.initSign(key);
        return signature;
    }

    /**
     * Bouncy Castle's provider, made on first use: only ECDSA keys need it, and making it
     * registers hundreds of algorithms (a few hundred milliseconds) an Ed25519 or RSA key never uses.
     */
    private static final class BouncyCastle {
        static final java.security.Provider PROVIDER = new org.bouncycastle.jce.provider.BouncyCastleProvider();
    }

    public byte[] sign(byte[] message) {
        try {
            Signature signature = signing(privateKey);
            signature.update(message);
            return signature.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("signing with key " + keyId + " failed: " + e.getMessage(), e);
        }
    }

    /** Signs the bytes of {@code file}, streamed (a Sigstore bundle signs the file itself). */
    public byte[] sign(java.nio.file.Path file) throws java.io.IOException {
        try (java.io.InputStream in = java.nio.file.Files.newInputStream(file)) {
            Signature signature = signing(privateKey);
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                signature.update(buffer, 0, n);
            }
            return signature.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("signing with key " + keyId + " failed: " + e.getMessage(), e);
        }
    }

    /** Whether {@code signature} is {@code publicKey}'s over {@code message}. */
    public static boolean verify(PublicKey publicKey, byte[] message, byte[] signature) {
        try {
            Signature verifier = Signature.getInstance(algorithm(publicKey.getAlgorithm()));
            verifier.initVerify(publicKey);
            verifier.update(message);
            return verifier.verify(signature);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    /** The public key as PEM ({@code -----BEGIN PUBLIC KEY-----}), as openssl and cosign read it. */
    public String publicKeyPem() {
        return pem(publicKey);
    }

    public static String pem(PublicKey key) {
        return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(key.getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
    }
}
