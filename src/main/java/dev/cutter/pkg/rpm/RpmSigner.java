package dev.cutter.pkg.rpm;

import dev.cutter.sign.OpenPgpKey;
import dev.cutter.sign.OpenPgpSigner;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.Objects;
import org.bouncycastle.bcpg.ArmoredInputStream;
import org.bouncycastle.bcpg.PublicKeyAlgorithmTags;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureList;
import org.bouncycastle.openpgp.bc.BcPGPObjectFactory;

/**
 * Signs RPM headers as {@code rpmsign --addsign} does (rpm 4.14+): one OpenPGP v4 binary
 * signature of the main header, stored in the signature header as {@code RPMSIGTAG_RSA} for an
 * RSA key, {@code RPMSIGTAG_DSA} for DSA, ECDSA and EdDSA keys (rpm 4.18 verifies Ed25519).
 * No legacy header+payload signature: rpm has not made or needed one since 4.14.
 *
 * <p>The signature comes from {@link OpenPgpSigner} (SHA-256, creation time from the clock, so
 * a fixed clock gives the same bytes), unarmored to the raw packet the header stores.
 */
public final class RpmSigner {
    private final OpenPgpSigner signer;
    private final String keyDescription;

    public RpmSigner(OpenPgpKey key, Clock clock) {
        Objects.requireNonNull(key, "key");
        this.signer = new OpenPgpSigner(key, clock);
        this.keyDescription = key.toString();
    }

    /** The signature header tag and the raw signature packet for {@code header}. */
    record Signature(int tag, byte[] packet) {}

    Signature sign(byte[] header) {
        try {
            ByteArrayOutputStream armored = new ByteArrayOutputStream();
            signer.detach(new ByteArrayInputStream(header), armored);
            byte[] packet;
            try (InputStream in = new ArmoredInputStream(new ByteArrayInputStream(armored.toByteArray()))) {
                packet = in.readAllBytes();
            }
            Object object = new BcPGPObjectFactory(packet).nextObject();
            if (!(object instanceof PGPSignatureList list) || list.size() != 1) {
                throw new IllegalStateException("the signer did not produce one signature packet");
            }
            PGPSignature signature = list.get(0);
            int tag = switch (signature.getKeyAlgorithm()) {
                case PublicKeyAlgorithmTags.RSA_GENERAL, PublicKeyAlgorithmTags.RSA_SIGN -> RpmTag.SIG_RSA;
                case PublicKeyAlgorithmTags.DSA, PublicKeyAlgorithmTags.ECDSA, PublicKeyAlgorithmTags.EDDSA_LEGACY,
                        PublicKeyAlgorithmTags.Ed25519 -> RpmTag.SIG_DSA;
                default -> throw new IllegalArgumentException("rpm cannot verify header signatures made with "
                        + keyDescription + " (OpenPGP public key algorithm " + signature.getKeyAlgorithm()
                        + "); sign packages with an RSA or Ed25519 key");
            };
            return new Signature(tag, packet);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
