package dev.cutter.sign;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Date;
import org.bouncycastle.bcpg.ArmoredOutputStream;
import org.bouncycastle.bcpg.BCPGOutputStream;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureGenerator;
import org.bouncycastle.openpgp.PGPSignatureSubpacketGenerator;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentSignerBuilder;

/**
 * Detached and clearsigned OpenPGP signatures with SHA-256. The signature's creation time comes
 * from a clock, so a pipeline that fixes it (SOURCE_DATE_EPOCH) gets the same signature bytes
 * again: Ed25519 and RSA PKCS#1 v1.5 signatures are deterministic.
 */
public final class OpenPgpSigner {
    private final OpenPgpKey key;
    private final Clock clock;

    public OpenPgpSigner(OpenPgpKey key) {
        this(key, Clock.systemUTC());
    }

    public OpenPgpSigner(OpenPgpKey key, Clock clock) {
        this.key = key;
        this.clock = clock;
    }

    private PGPSignatureGenerator generator(int type) throws PGPException {
        PGPSignatureGenerator generator = new PGPSignatureGenerator(
                new BcPGPContentSignerBuilder(key.publicKey().getAlgorithm(), HashAlgorithmTags.SHA256), key.publicKey());
        generator.init(type, key.privateKey());
        PGPSignatureSubpacketGenerator hashed = new PGPSignatureSubpacketGenerator();
        hashed.setSignatureCreationTime(false, Date.from(clock.instant()));
        hashed.setIssuerFingerprint(false, key.publicKey());
        generator.setHashedSubpackets(hashed.generate());
        PGPSignatureSubpacketGenerator unhashed = new PGPSignatureSubpacketGenerator();
        unhashed.setIssuerKeyID(false, key.publicKey().getKeyID());
        generator.setUnhashedSubpackets(unhashed.generate());
        return generator;
    }

    /** An armored detached signature of {@code data}, as {@code gpg --armor --detach-sign} writes (.asc, Release.gpg). */
    public void detach(InputStream data, OutputStream armoredSignature) throws IOException {
        try {
            PGPSignatureGenerator generator = generator(PGPSignature.BINARY_DOCUMENT);
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = data.read(buffer)) > 0; ) {
                generator.update(buffer, 0, n);
            }
            try (ArmoredOutputStream armored = OpenPgpKey.armored(armoredSignature)) {
                generator.generate().encode(new BCPGOutputStream(armored));
            }
        } catch (PGPException e) {
            throw new SigningException("signing failed: " + e.getMessage());
        }
    }

    /**
     * The text with a cleartext signature around it (RFC 4880 §7), as apt's InRelease: lines are
     * dash-escaped, and signed with trailing whitespace removed and CRLF line ends.
     */
    public void clearsign(InputStream text, OutputStream out) throws IOException {
        try {
            PGPSignatureGenerator generator = generator(PGPSignature.CANONICAL_TEXT_DOCUMENT);
            ArmoredOutputStream armored = OpenPgpKey.armored(out);
            armored.beginClearText(HashAlgorithmTags.SHA256);
            BufferedReader reader = new BufferedReader(new InputStreamReader(text, StandardCharsets.UTF_8));
            String line = reader.readLine();
            boolean first = true;
            while (line != null) {
                if (!first) {
                    generator.update(new byte[] {'\r', '\n'});
                }
                byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
                armored.write(bytes);
                armored.write('\n');
                generator.update(line.stripTrailing().getBytes(StandardCharsets.UTF_8));
                first = false;
                line = reader.readLine();
            }
            armored.endClearText();
            generator.generate().encode(new BCPGOutputStream(armored));
            armored.close();
        } catch (PGPException e) {
            throw new SigningException("signing failed: " + e.getMessage());
        }
    }
}
