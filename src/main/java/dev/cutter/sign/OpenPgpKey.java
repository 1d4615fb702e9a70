package dev.cutter.sign;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import org.bouncycastle.bcpg.ArmoredOutputStream;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPrivateKey;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPSecretKey;
import org.bouncycastle.openpgp.PGPSecretKeyRing;
import org.bouncycastle.openpgp.PGPSecretKeyRingCollection;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.operator.bc.BcKeyFingerprintCalculator;
import org.bouncycastle.openpgp.operator.bc.BcPBESecretKeyDecryptorBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPGPDigestCalculatorProvider;

/**
 * An OpenPGP secret key ready to sign, read from what {@code gpg --export-secret-keys [--armor]}
 * writes. The signing-capable subkey is preferred (as gpg does), else a primary that can sign.
 * Messages never contain the passphrase or key material.
 */
public final class OpenPgpKey {
    private final PGPSecretKeyRing ring;
    private final PGPSecretKey secret;
    private final PGPPrivateKey privateKey;

    private OpenPgpKey(PGPSecretKeyRing ring, PGPSecretKey secret, PGPPrivateKey privateKey) {
        this.ring = ring;
        this.secret = secret;
        this.privateKey = privateKey;
    }

    public static OpenPgpKey read(InputStream in, char[] passphrase) throws IOException {
        PGPSecretKeyRingCollection rings;
        try {
            rings = new PGPSecretKeyRingCollection(PGPUtil.getDecoderStream(in), new BcKeyFingerprintCalculator());
        } catch (PGPException | IOException | RuntimeException e) {
            throw new SigningException("the signing key is not an OpenPGP secret key (a public key, or not a key at all?);"
                    + " export it with `gpg --armor --export-secret-keys KEYID`");
        }
        if (!rings.getKeyRings().hasNext()) {
            throw new SigningException("the signing key holds no secret key; export it with `gpg --armor --export-secret-keys KEYID`");
        }
        for (Iterator<PGPSecretKeyRing> it = rings.getKeyRings(); it.hasNext(); ) {
            PGPSecretKeyRing ring = it.next();
            List<PGPSecretKey> candidates = new ArrayList<>();
            for (Iterator<PGPSecretKey> keys = ring.getSecretKeys(); keys.hasNext(); ) {
                PGPSecretKey key = keys.next();
                if (key.isSigningKey() && !key.isPrivateKeyEmpty() && usable(key.getPublicKey())) {
                    candidates.add(key);
                }
            }
            // a signing subkey first, as gpg does; the primary when it is the only one that signs
            candidates.sort((a, b) -> Boolean.compare(a.isMasterKey(), b.isMasterKey()));
            for (PGPSecretKey key : candidates) {
                try {
                    PGPPrivateKey privateKey = key.extractPrivateKey(
                            new BcPBESecretKeyDecryptorBuilder(new BcPGPDigestCalculatorProvider()).build(passphrase));
                    return new OpenPgpKey(ring, key, privateKey);
                } catch (PGPException e) {
                    throw new SigningException("cannot unlock the signing key " + hex(key.getPublicKey().getFingerprint())
                            + ": wrong or missing passphrase");
                }
            }
        }
        throw new SigningException("the key has no usable signing key (expired, revoked or encryption-only)");
    }

    private static boolean usable(PGPPublicKey key) {
        if (key.hasRevocation()) {
            return false;
        }
        long valid = key.getValidSeconds();
        return valid == 0 || key.getCreationTime().toInstant().plusSeconds(valid).isAfter(java.time.Instant.now());
    }

    PGPPrivateKey privateKey() {
        return privateKey;
    }

    PGPPublicKey publicKey() {
        return secret.getPublicKey();
    }

    /** The signing key's fingerprint, upper-case hex as gpg prints it. */
    public String fingerprint() {
        return hex(secret.getPublicKey().getFingerprint());
    }

    /** When the signing key was made: no valid signature can be older. */
    public java.time.Instant created() {
        return secret.getPublicKey().getCreationTime().toInstant();
    }

    public String keyId() {
        return String.format(Locale.ROOT, "%016X", secret.getKeyID());
    }

    public String userId() {
        Iterator<String> ids = ring.getPublicKey().getUserIDs();
        return ids.hasNext() ? ids.next() : "";
    }

    /** The public half, armored: what users and apt/yum clients import. */
    public void exportPublicKey(OutputStream out) throws IOException {
        List<PGPPublicKey> keys = new ArrayList<>();
        ring.getPublicKeys().forEachRemaining(keys::add);
        try (ArmoredOutputStream armored = armored(out)) {
            new PGPPublicKeyRing(keys).encode(armored);
        }
    }

    static ArmoredOutputStream armored(OutputStream out) {
        ArmoredOutputStream armored = new ArmoredOutputStream(out);
        armored.setHeader(ArmoredOutputStream.VERSION_HDR, null); // no tool version: the same bytes from any Cutter
        return armored;
    }

    static String hex(byte[] bytes) {
        return HexFormat.of().withUpperCase().formatHex(bytes);
    }

    @Override
    public String toString() {
        return "OpenPgpKey[" + fingerprint() + "]";
    }

    static int signatureType(boolean text) {
        return text ? PGPSignature.CANONICAL_TEXT_DOCUMENT : PGPSignature.BINARY_DOCUMENT;
    }
}
