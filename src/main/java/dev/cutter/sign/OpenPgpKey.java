package dev.cutter.sign;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import org.bouncycastle.bcpg.SymmetricKeyAlgorithmTags;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPrivateKey;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPSecretKey;
import org.bouncycastle.openpgp.PGPSecretKeyRing;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.bc.BcPGPObjectFactory;
import org.bouncycastle.openpgp.operator.bc.BcPBESecretKeyDecryptorBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPGPDigestCalculatorProvider;

/**
 * An unlocked OpenPGP secret key, ready to sign: what {@code gpg --export-secret-keys [--armor]}
 * writes, RSA or Ed25519 (the EdDSA keys gpg 2.2 generates) alike.
 *
 * <p>Like gpg, it signs with the newest signing subkey that is valid now, and with the primary
 * key only when there is none and the primary may sign; revoked and expired keys are skipped.
 * {@link #fingerprint()}, {@link #keyId()} and {@link #userId()} name the key as users know it
 * (its primary key); {@link #signingFingerprint()} names the (sub)key that actually signs.
 *
 * <p>The passphrase is used once to unlock the key and not kept. Neither it nor any key material
 * appears in {@link #toString()} or in an exception message.
 */
public final class OpenPgpKey {
    private static final String NOT_A_KEY = "cannot read the signing key: it is not an OpenPGP secret key; export one"
            + " with `gpg --export-secret-keys --armor <fingerprint>`";

    private final PGPPublicKeyRing certificate;
    private final PGPPublicKey signingKey;
    private final PGPPrivateKey privateKey;
    private final String userId;

    private OpenPgpKey(PGPPublicKeyRing certificate, PGPPublicKey signingKey, PGPPrivateKey privateKey,
            String userId) {
        this.certificate = certificate;
        this.signingKey = signingKey;
        this.privateKey = privateKey;
        this.userId = userId;
    }

    /**
     * Reads one secret key, ASCII-armored or binary, picks its signing (sub)key and unlocks it.
     *
     * @param passphrase the key's passphrase; empty (or {@code null}) for an unprotected key.
     *     Not modified and not kept: the caller may clear it afterwards.
     * @throws SigningException when the input is not exactly one OpenPGP secret key, has no
     *     (sub)key that may sign now, or cannot be unlocked with {@code passphrase}
     */
    public static OpenPgpKey read(InputStream in, char[] passphrase) {
        Objects.requireNonNull(in, "in");
        char[] phrase = passphrase == null ? new char[0] : passphrase;
        List<PGPSecretKeyRing> secretKeys = new ArrayList<>();
        List<PGPPublicKeyRing> publicKeys = new ArrayList<>();
        try {
            BcPGPObjectFactory objects = new BcPGPObjectFactory(PGPUtil.getDecoderStream(in));
            for (Object object; (object = objects.nextObject()) != null; ) {
                if (object instanceof PGPSecretKeyRing ring) {
                    secretKeys.add(ring);
                } else if (object instanceof PGPPublicKeyRing ring) {
                    publicKeys.add(ring);
                }
            }
        } catch (IOException | RuntimeException e) {
            // Bouncy Castle's parse errors say nothing of the content, but the content itself
            // may be secret: keep it out of the message either way.
            throw new SigningException(NOT_A_KEY, e);
        }
        if (secretKeys.isEmpty()) {
            throw new SigningException(publicKeys.isEmpty()
                    ? NOT_A_KEY
                    : "the signing key is a public key (" + describe(publicKeys.get(0).getPublicKey())
                            + "), which cannot sign; export the secret key with `gpg --export-secret-keys --armor "
                            + KeyRules.fingerprint(publicKeys.get(0).getPublicKey()) + "`");
        }
        if (secretKeys.size() > 1) {
            throw new SigningException("the signing key contains " + secretKeys.size() + " secret keys ("
                    + secretKeys.stream().map(ring -> describe(ring.getPublicKey())).collect(Collectors.joining(", "))
                    + "); export only the one to sign with: `gpg --export-secret-keys --armor <fingerprint>`");
        }
        PGPSecretKeyRing ring = secretKeys.get(0);
        PGPSecretKey chosen = signingKey(ring, Instant.now());
        PGPPublicKeyRing certificate = publicCertificate(ring);
        PGPPrivateKey privateKey = unlock(chosen, ring.getPublicKey(), phrase);
        return new OpenPgpKey(certificate, chosen.getPublicKey(), privateKey, KeyRules.userId(ring.getPublicKey()));
    }

    /** The newest subkey that may sign at {@code now}, else the primary key if it may. */
    private static PGPSecretKey signingKey(PGPSecretKeyRing ring, Instant now) {
        PGPPublicKey primary = ring.getPublicKey();
        Optional<String> primaryProblem = KeyRules.whyUnusable(primary, now);
        if (primaryProblem.isPresent()) {
            String hint = primary.hasRevocation()
                    ? "sign with another key"
                    : "extend it with `gpg --quick-set-expire " + KeyRules.fingerprint(primary)
                            + " 2y` (and `'*'` for its subkeys), then export it again";
            throw new SigningException("OpenPGP key " + describe(primary) + " " + primaryProblem.get() + "; " + hint);
        }
        List<PGPSecretKey> subkeys = new ArrayList<>();
        PGPSecretKey primarySecret = null;
        for (Iterator<PGPSecretKey> keys = ring.getSecretKeys(); keys.hasNext(); ) {
            PGPSecretKey key = keys.next();
            if (key.isMasterKey()) {
                primarySecret = key;
            } else {
                subkeys.add(key);
            }
        }
        subkeys.sort(Comparator.comparing((PGPSecretKey key) -> key.getPublicKey().getCreationTime()).reversed());
        List<PGPSecretKey> candidates = new ArrayList<>(subkeys);
        if (primarySecret != null) {
            candidates.add(primarySecret);
        }
        List<String> problems = new ArrayList<>();
        for (PGPSecretKey candidate : candidates) {
            PGPPublicKey key = candidate.getPublicKey();
            Optional<String> problem = KeyRules.whyItCannotSign(primary, key, now);
            if (problem.isEmpty() && candidate.isPrivateKeyEmpty()) {
                problem = Optional.of("may sign, but its secret part is not in the export (a stub, as"
                        + " `--export-secret-subkeys` or a smartcard leaves)");
            }
            if (problem.isEmpty()) {
                return candidate;
            }
            problems.add((key.isMasterKey() ? "primary key " : "subkey ") + KeyRules.keyId(key.getKeyID()) + " "
                    + problem.get());
        }
        throw new SigningException("OpenPGP key " + describe(primary) + " has no key that can sign: "
                + String.join("; ", problems) + ". Add a signing subkey (`gpg --quick-add-key "
                + KeyRules.fingerprint(primary) + " ed25519 sign`) and export the secret key again");
    }

    private static PGPPrivateKey unlock(PGPSecretKey key, PGPPublicKey primary, char[] passphrase) {
        String which = (key.isMasterKey() ? "" : "subkey " + KeyRules.keyId(key.getKeyID()) + " of ") + describe(primary);
        boolean protectedKey = key.getKeyEncryptionAlgorithm() != SymmetricKeyAlgorithmTags.NULL;
        if (protectedKey && passphrase.length == 0) {
            throw new SigningException("the secret key " + which
                    + " is protected by a passphrase, but none was given; give its passphrase");
        }
        try {
            PGPPrivateKey unlocked = key.extractPrivateKey(
                    new BcPBESecretKeyDecryptorBuilder(new BcPGPDigestCalculatorProvider()).build(passphrase));
            if (unlocked == null) {
                throw new SigningException("the secret key " + which + " holds no secret key material");
            }
            return unlocked;
        } catch (PGPException | RuntimeException e) {
            if (e instanceof SigningException signing) {
                throw signing;
            }
            // No cause: nothing about the failed decryption belongs in a message or a log.
            throw new SigningException(protectedKey
                    ? "wrong passphrase for the secret key " + which
                            + ": it does not unlock the key; check the passphrase configured for this key"
                    : "cannot unlock the secret key " + which + ": its secret key material is damaged");
        }
    }

    /** The certificate users verify with: every public key, user ID and signature of the ring. */
    private static PGPPublicKeyRing publicCertificate(PGPSecretKeyRing ring) {
        List<PGPPublicKey> keys = new ArrayList<>();
        ring.getPublicKeys().forEachRemaining(keys::add);
        return new PGPPublicKeyRing(keys);
    }

    private static String describe(PGPPublicKey primary) {
        String id = KeyRules.userId(primary);
        return KeyRules.fingerprint(primary) + (id.isEmpty() ? "" : " \"" + id + "\"");
    }

    /** The primary key's fingerprint, upper-case hex as gpg prints it, e.g. {@code 397A15F9…E3067145}. */
    public String fingerprint() {
        return KeyRules.fingerprint(certificate.getPublicKey());
    }

    /** The primary key's long key ID (16 upper-case hex digits). */
    public String keyId() {
        return KeyRules.keyId(certificate.getPublicKey().getKeyID());
    }

    /** The primary user ID, e.g. {@code Example Releases <releases@example.org>}; empty when the key has none. */
    public String userId() {
        return userId;
    }

    /** When the (sub)key that signs was made: no valid signature can be older. */
    public java.time.Instant created() {
        return signingKey.getCreationTime().toInstant();
    }

    /** The fingerprint of the (sub)key that signs; gpg prints it as "using … key". */
    public String signingFingerprint() {
        return KeyRules.fingerprint(signingKey);
    }

    /** The long key ID of the (sub)key that signs; signatures name it as their issuer. */
    public String signingKeyId() {
        return KeyRules.keyId(signingKey.getKeyID());
    }

    /**
     * The signing (sub)key as a Java key pair, for signatures in formats other than OpenPGP (DSSE
     * envelopes, cosign): Ed25519, ECDSA or RSA, as the key is. Its public half is what
     * {@link java.security.PublicKey#getEncoded()} gives as SubjectPublicKeyInfo (PEM for openssl
     * and cosign).
     */
    public java.security.KeyPair keyPair() {
        try {
            var converter = new org.bouncycastle.openpgp.operator.jcajce.JcaPGPKeyConverter();
            return new java.security.KeyPair(converter.getPublicKey(signingKey), converter.getPrivateKey(privateKey));
        } catch (PGPException | RuntimeException e) {
            throw new SigningException("the OpenPGP key " + signingFingerprint() + " cannot be used outside OpenPGP: "
                    + e.getMessage(), e);
        }
    }

    /**
     * Writes the public key, ASCII-armored as {@code gpg --export --armor} does: for users to
     * import, for apt's {@code signed-by} ({@code .asc}) and dnf's {@code gpgkey}.
     */
    public void exportPublicKey(OutputStream armoredOut) throws IOException {
        try (Armor armor = Armor.open(armoredOut, Armor.PUBLIC_KEY)) {
            certificate.encode(armor, true);
        }
    }

    /** Writes the public key in binary form, as {@code gpg --export} does: a keyring for gpgv and apt's {@code .gpg} files. */
    public void exportPublicKeyBinary(OutputStream out) throws IOException {
        certificate.encode(out, true);
        out.flush();
    }

    PGPPublicKey signingPublicKey() {
        return signingKey;
    }

    PGPPrivateKey privateKey() {
        return privateKey;
    }

    PGPPublicKey primaryKey() {
        return certificate.getPublicKey();
    }

    @Override
    public String toString() {
        return "OpenPgpKey[" + describe(certificate.getPublicKey()) + ", signs with " + KeyRules.algorithm(signingKey)
                + " key " + signingKeyId() + "]";
    }
}
