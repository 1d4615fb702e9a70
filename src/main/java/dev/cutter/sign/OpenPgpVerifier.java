package dev.cutter.sign;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPObjectFactory;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRingCollection;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureList;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.operator.bc.BcKeyFingerprintCalculator;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentVerifierBuilderProvider;

/** Checks OpenPGP signatures against a public key: Cutter's own validation of what it published. */
public final class OpenPgpVerifier {
    public record Verification(boolean valid, String keyFingerprint, String message) {}

    private OpenPgpVerifier() {}

    public static Verification verifyDetached(InputStream publicKey, InputStream data, InputStream signature) throws IOException {
        try {
            PGPSignature sig = firstSignature(PGPUtil.getDecoderStream(signature));
            PGPPublicKey key = key(publicKey, sig.getKeyID());
            if (key == null) {
                return new Verification(false, "", "signed by key " + String.format("%016X", sig.getKeyID()) + ", which is not the given public key");
            }
            sig.init(new BcPGPContentVerifierBuilderProvider(), key);
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = data.read(buffer)) > 0; ) {
                sig.update(buffer, 0, n);
            }
            boolean ok = sig.verify();
            return new Verification(ok, OpenPgpKey.hex(key.getFingerprint()), ok ? "good signature" : "BAD signature: the data changed");
        } catch (PGPException e) {
            return new Verification(false, "", "not a valid signature: " + e.getMessage());
        }
    }

    public static Verification verifyClearsigned(InputStream publicKey, InputStream clearsigned) throws IOException {
        String[] lines = new String(clearsigned.readAllBytes(), StandardCharsets.UTF_8).split("\r?\n", -1);
        int i = 0;
        while (i < lines.length && !lines[i].equals("-----BEGIN PGP SIGNED MESSAGE-----")) {
            i++;
        }
        i++;
        while (i < lines.length && !lines[i].isEmpty()) {
            i++; // Hash: headers
        }
        i++;
        java.util.List<String> text = new java.util.ArrayList<>();
        while (i < lines.length && !lines[i].equals("-----BEGIN PGP SIGNATURE-----")) {
            text.add(lines[i].startsWith("- ") ? lines[i].substring(2) : lines[i]);
            i++;
        }
        if (i >= lines.length) {
            return new Verification(false, "", "not a clearsigned message");
        }
        String armour = String.join("\n", java.util.Arrays.copyOfRange(lines, i, lines.length));
        try {
            PGPSignature sig = firstSignature(PGPUtil.getDecoderStream(new java.io.ByteArrayInputStream(armour.getBytes(StandardCharsets.US_ASCII))));
            PGPPublicKey key = key(publicKey, sig.getKeyID());
            if (key == null) {
                return new Verification(false, "", "signed by another key");
            }
            sig.init(new BcPGPContentVerifierBuilderProvider(), key);
            for (int n = 0; n < text.size(); n++) {
                if (n > 0) {
                    sig.update(new byte[] {'\r', '\n'});
                }
                sig.update(text.get(n).stripTrailing().getBytes(StandardCharsets.UTF_8));
            }
            boolean ok = sig.verify();
            return new Verification(ok, OpenPgpKey.hex(key.getFingerprint()), ok ? "good signature" : "BAD signature: the text changed");
        } catch (PGPException e) {
            return new Verification(false, "", "not a valid signature: " + e.getMessage());
        }
    }

    private static PGPSignature firstSignature(InputStream in) throws IOException {
        Object object = new PGPObjectFactory(in, new BcKeyFingerprintCalculator()).nextObject();
        if (object instanceof PGPSignatureList list && !list.isEmpty()) {
            return list.get(0);
        }
        throw new IOException("no OpenPGP signature found");
    }

    private static PGPPublicKey key(InputStream publicKey, long keyId) throws IOException, PGPException {
        return new PGPPublicKeyRingCollection(PGPUtil.getDecoderStream(publicKey), new BcKeyFingerprintCalculator()).getPublicKey(keyId);
    }
}
