package dev.cutter.sign;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.bouncycastle.bcpg.PublicKeyAlgorithmTags;
import org.bouncycastle.bcpg.SignatureSubpacketTags;
import org.bouncycastle.bcpg.sig.KeyFlags;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureList;
import org.bouncycastle.openpgp.PGPSignatureSubpacketVector;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentVerifierBuilderProvider;

/**
 * What gpg decides about a key before it signs with it or accepts a signature from it: whether
 * it is revoked, expired, and allowed to sign.
 *
 * <p>A subkey counts only with a binding signature from its primary key that verifies and, when
 * it may sign, the subkey's own back signature (RFC 4880 §5.2.1, 0x19), as gpg requires;
 * otherwise anyone could claim someone else's signing key as their subkey.
 */
final class KeyRules {
    @SuppressWarnings("deprecation") // RSA sign-only keys are deprecated, yet old keys still carry them
    private static final Set<Integer> SIGNING_ALGORITHMS = Set.of(PublicKeyAlgorithmTags.RSA_GENERAL,
            PublicKeyAlgorithmTags.RSA_SIGN, PublicKeyAlgorithmTags.DSA, PublicKeyAlgorithmTags.ECDSA,
            PublicKeyAlgorithmTags.EDDSA_LEGACY, PublicKeyAlgorithmTags.Ed25519, PublicKeyAlgorithmTags.Ed448);
    private static final Set<Integer> SELF_CERTIFICATIONS = Set.of(PGPSignature.DEFAULT_CERTIFICATION,
            PGPSignature.NO_CERTIFICATION, PGPSignature.CASUAL_CERTIFICATION, PGPSignature.POSITIVE_CERTIFICATION,
            PGPSignature.DIRECT_KEY);

    private KeyRules() {
    }

    /** The fingerprint as gpg prints it with {@code --with-colons}: upper-case hex, no spaces. */
    static String fingerprint(PGPPublicKey key) {
        return HexFormat.of().withUpperCase().formatHex(key.getFingerprint());
    }

    /** The long (64-bit) key ID, upper-case hex as gpg prints it. */
    static String keyId(long id) {
        return String.format(Locale.ROOT, "%016X", id);
    }

    /** The primary user ID: the one whose self-signature says so, else the first; empty when there is none. */
    static String userId(PGPPublicKey primary) {
        String first = null;
        for (Iterator<String> ids = primary.getUserIDs(); ids.hasNext(); ) {
            String id = ids.next();
            if (first == null) {
                first = id;
            }
            for (Iterator<PGPSignature> sigs = primary.getSignaturesForID(id); sigs.hasNext(); ) {
                PGPSignature sig = sigs.next();
                if (sig.getKeyID() == primary.getKeyID() && sig.getHashedSubPackets() != null
                        && sig.getHashedSubPackets().isPrimaryUserID()) {
                    return id;
                }
            }
        }
        return first == null ? "" : first;
    }

    static Instant created(PGPPublicKey key) {
        return key.getCreationTime().toInstant();
    }

    /** When the key stops being valid, if it ever does. */
    static Optional<Instant> expiry(PGPPublicKey key) {
        long seconds = key.getValidSeconds();
        return seconds > 0 ? Optional.of(created(key).plusSeconds(seconds)) : Optional.empty();
    }

    /**
     * Why {@code key} (the primary or one of its subkeys) may not make a signature at {@code at},
     * or empty when it may.
     */
    static Optional<String> whyItCannotSign(PGPPublicKey primary, PGPPublicKey key, Instant at) {
        boolean isPrimary = key.getKeyID() == primary.getKeyID();
        if (!isPrimary) {
            Optional<String> primaryProblem = whyUnusable(primary, at);
            if (primaryProblem.isPresent()) {
                return Optional.of("its primary key " + primaryProblem.get());
            }
        }
        Optional<String> problem = whyUnusable(key, at);
        if (problem.isPresent()) {
            return problem;
        }
        if (!SIGNING_ALGORITHMS.contains(key.getAlgorithm())) {
            return Optional.of("is an " + algorithm(key) + " key, which cannot sign");
        }
        if (isPrimary) {
            Optional<Integer> flags = primaryKeyFlags(primary);
            return flags.isEmpty() || (flags.get() & KeyFlags.SIGN_DATA) != 0
                    ? Optional.empty()
                    : Optional.of("may not sign (usage: " + usage(flags.get()) + ")");
        }
        Optional<PGPSignature> binding = subkeyBinding(primary, key);
        if (binding.isEmpty()) {
            return Optional.of("has no valid binding signature from its primary key");
        }
        int flags = binding.get().getHashedSubPackets().getKeyFlags();
        if ((flags & KeyFlags.SIGN_DATA) == 0) {
            return Optional.of("may not sign (usage: " + usage(flags) + ")");
        }
        if (!hasBackSignature(primary, key, binding.get())) {
            return Optional.of("is a signing subkey without a valid back signature (not cross-certified)");
        }
        return Optional.empty();
    }

    /** Revocation, creation after {@code at} and expiry before it; empty when none applies. */
    static Optional<String> whyUnusable(PGPPublicKey key, Instant at) {
        if (key.hasRevocation()) {
            return Optional.of("is revoked");
        }
        if (created(key).isAfter(at)) {
            return Optional.of("was created on " + created(key) + ", after " + at);
        }
        Optional<Instant> expiry = expiry(key);
        if (expiry.isPresent() && !expiry.get().isAfter(at)) {
            return Optional.of("expired on " + expiry.get());
        }
        return Optional.empty();
    }

    /** The key flags of the newest self-signature that carries some; empty when none does (old keys). */
    private static Optional<Integer> primaryKeyFlags(PGPPublicKey primary) {
        PGPSignature newest = null;
        for (Iterator<PGPSignature> sigs = primary.getSignatures(); sigs.hasNext(); ) {
            PGPSignature sig = sigs.next();
            if (sig.getKeyID() == primary.getKeyID() && SELF_CERTIFICATIONS.contains(sig.getSignatureType())
                    && sig.getHashedSubPackets() != null
                    && sig.getHashedSubPackets().hasSubpacket(SignatureSubpacketTags.KEY_FLAGS)
                    && (newest == null || sig.getCreationTime().after(newest.getCreationTime()))) {
                newest = sig;
            }
        }
        return newest == null ? Optional.empty() : Optional.of(newest.getHashedSubPackets().getKeyFlags());
    }

    /** The newest binding signature from {@code primary} on {@code subkey} that verifies. */
    private static Optional<PGPSignature> subkeyBinding(PGPPublicKey primary, PGPPublicKey subkey) {
        List<PGPSignature> bindings = new ArrayList<>();
        subkey.getSignaturesOfType(PGPSignature.SUBKEY_BINDING).forEachRemaining(bindings::add);
        bindings.sort(Comparator.comparing(PGPSignature::getCreationTime).reversed());
        for (PGPSignature binding : bindings) {
            if (binding.getKeyID() == primary.getKeyID() && binding.getHashedSubPackets() != null
                    && verifies(binding, primary, primary, subkey)) {
                return Optional.of(binding);
            }
        }
        return Optional.empty();
    }

    private static boolean hasBackSignature(PGPPublicKey primary, PGPPublicKey subkey, PGPSignature binding) {
        try {
            for (PGPSignatureSubpacketVector area : new PGPSignatureSubpacketVector[] {
                    binding.getHashedSubPackets(), binding.getUnhashedSubPackets()}) {
                if (area == null) {
                    continue;
                }
                PGPSignatureList embedded = area.getEmbeddedSignatures();
                for (PGPSignature back : embedded) {
                    if (back.getSignatureType() == PGPSignature.PRIMARYKEY_BINDING
                            && verifies(back, subkey, primary, subkey)) {
                        return true;
                    }
                }
            }
        } catch (PGPException e) {
            return false;
        }
        return false;
    }

    private static boolean verifies(PGPSignature certification, PGPPublicKey signer, PGPPublicKey primary,
            PGPPublicKey subkey) {
        try {
            certification.init(new BcPGPContentVerifierBuilderProvider(), signer);
            return certification.verifyCertification(primary, subkey);
        } catch (PGPException | RuntimeException e) {
            return false;
        }
    }

    /** The key's algorithm as gpg names it in {@code --list-keys}. */
    @SuppressWarnings("deprecation") // names deprecated algorithms too: old keys use them
    static String algorithm(PGPPublicKey key) {
        return switch (key.getAlgorithm()) {
            case PublicKeyAlgorithmTags.RSA_GENERAL, PublicKeyAlgorithmTags.RSA_SIGN,
                    PublicKeyAlgorithmTags.RSA_ENCRYPT -> "RSA";
            case PublicKeyAlgorithmTags.DSA -> "DSA";
            case PublicKeyAlgorithmTags.ELGAMAL_ENCRYPT, PublicKeyAlgorithmTags.ELGAMAL_GENERAL -> "ElGamal";
            case PublicKeyAlgorithmTags.ECDH -> "ECDH";
            case PublicKeyAlgorithmTags.ECDSA -> "ECDSA";
            case PublicKeyAlgorithmTags.EDDSA_LEGACY -> "EdDSA";
            case PublicKeyAlgorithmTags.Ed25519 -> "Ed25519";
            case PublicKeyAlgorithmTags.Ed448 -> "Ed448";
            case PublicKeyAlgorithmTags.X25519 -> "X25519";
            case PublicKeyAlgorithmTags.X448 -> "X448";
            default -> "algorithm-" + key.getAlgorithm();
        };
    }

    private static String usage(int flags) {
        List<String> uses = new ArrayList<>();
        if ((flags & KeyFlags.CERTIFY_OTHER) != 0) {
            uses.add("certify");
        }
        if ((flags & KeyFlags.SIGN_DATA) != 0) {
            uses.add("sign");
        }
        if ((flags & (KeyFlags.ENCRYPT_COMMS | KeyFlags.ENCRYPT_STORAGE)) != 0) {
            uses.add("encrypt");
        }
        if ((flags & KeyFlags.AUTHENTICATION) != 0) {
            uses.add("authenticate");
        }
        return uses.isEmpty() ? "none" : String.join(", ", uses);
    }
}
