package dev.cutter.attest.check;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.List;

/**
 * A release's public key as PEM ({@code -----BEGIN PUBLIC KEY-----}, the
 * {@code PROJECT-VERSION.pub.pem} a release publishes, as openssl and cosign write it): what a
 * verifier without the secret key checks provenance with.
 */
public final class PublicKeys {
    private PublicKeys() {}

    /** Reads a PEM public key of Ed25519, ECDSA or RSA; anything else is an {@link IllegalArgumentException} saying why. */
    public static PublicKey read(String pem) {
        int begin = pem.indexOf("-----BEGIN PUBLIC KEY-----");
        int end = pem.indexOf("-----END PUBLIC KEY-----");
        if (begin < 0 || end < begin) {
            throw new IllegalArgumentException("not a PEM public key: it has no -----BEGIN PUBLIC KEY----- block");
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(pem.substring(begin + "-----BEGIN PUBLIC KEY-----".length(), end));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a PEM public key: " + e.getMessage(), e);
        }
        for (String algorithm : List.of("Ed25519", "EC", "RSA")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                // another algorithm's key
            }
        }
        throw new IllegalArgumentException("not an Ed25519, ECDSA or RSA public key");
    }
}
