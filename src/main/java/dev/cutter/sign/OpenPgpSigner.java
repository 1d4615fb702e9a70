package dev.cutter.sign;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.Objects;
import java.util.Optional;
import org.bouncycastle.bcpg.BCPGOutputStream;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.PacketFormat;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureGenerator;
import org.bouncycastle.openpgp.PGPSignatureSubpacketGenerator;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentSignerBuilder;

/**
 * Makes OpenPGP signatures as {@code gpg --armor --detach-sign} and {@code gpg --clearsign} do,
 * with SHA-256.
 *
 * <p>The signature's creation time comes from the {@link Clock}; with a fixed clock the same key
 * and data give byte-identical signatures (RSA PKCS#1 v1.5 and EdDSA are deterministic), so a
 * reproducible pipeline can re-create them. Data is streamed, never held whole in memory.
 * An instance holds no state between calls and may be shared by concurrent jobs.
 */
public final class OpenPgpSigner {
    /** The name of {@link #HASH} in a cleartext signature's {@code Hash:} header. */
    static final String HASH_NAME = "SHA256";
    private static final int HASH = HashAlgorithmTags.SHA256;
    private static final byte[] CRLF = {'\r', '\n'};

    private final OpenPgpKey key;
    private final Clock clock;

    public OpenPgpSigner(OpenPgpKey key) {
        this(key, Clock.systemUTC());
    }

    /** Signs with creation times from {@code clock} (truncated to seconds, as OpenPGP stores them). */
    public OpenPgpSigner(OpenPgpKey key, Clock clock) {
        this.key = Objects.requireNonNull(key, "key");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Writes an ASCII-armored detached signature of {@code data}, taken as binary (signature type
     * 0x00): a {@code .asc} file, apt's {@code Release.gpg}, yum's {@code repomd.xml.asc}.
     * Neither stream is closed.
     */
    public void detach(InputStream data, OutputStream armoredSignature) throws IOException {
        PGPSignatureGenerator generator = generator(PGPSignature.BINARY_DOCUMENT);
        byte[] buffer = new byte[1 << 16];
        for (int n; (n = data.read(buffer)) != -1; ) {
            generator.update(buffer, 0, n);
        }
        writeSignature(generator, armoredSignature);
    }

    /**
     * Writes {@code text} in the cleartext signature framework (RFC 4880 §7), as apt's
     * {@code InRelease}: a {@code Hash: SHA256} header, the text with lines starting with
     * {@code -} dash-escaped, then an armored signature of the text as a canonical text document.
     *
     * <p>Lines end at LF (a CRLF counts as one); they are written with LF and signed with CRLF.
     * Trailing spaces and tabs are not signed (RFC 4880 §7.1), so they are not written either:
     * the clear text holds exactly what the signature covers, which is also what {@code gpg
     * --decrypt} gives back. The line ending before the signature belongs to the framework, so a
     * text with and without a final newline sign alike. Neither stream is closed.
     *
     * @throws SigningException when the text holds a carriage return that does not end a line:
     *     verifiers disagree on what it means
     */
    public void clearsign(InputStream text, OutputStream out) throws IOException {
        PGPSignatureGenerator generator = generator(PGPSignature.CANONICAL_TEXT_DOCUMENT);
        BufferedOutputStream buffered = new BufferedOutputStream(out, 1 << 16);
        buffered.write(("-----BEGIN PGP SIGNED MESSAGE-----\nHash: " + HASH_NAME + "\n\n").getBytes(StandardCharsets.US_ASCII));
        new ClearText(generator, buffered).copy(new BufferedInputStream(text, 1 << 16));
        writeSignature(generator, buffered);
        buffered.flush();
    }

    private PGPSignatureGenerator generator(int signatureType) {
        PGPPublicKey signing = key.signingPublicKey();
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Optional<String> problem = KeyRules.whyUnusable(signing, now).or(() -> KeyRules.whyUnusable(key.primaryKey(), now));
        if (problem.isPresent()) {
            throw new SigningException("cannot sign at " + now + " with key " + key.signingKeyId() + " of "
                    + key.fingerprint() + ": it " + problem.get() + "; check the clock or use a valid key");
        }
        try {
            PGPSignatureGenerator generator = new PGPSignatureGenerator(
                    new BcPGPContentSignerBuilder(signing.getAlgorithm(), HASH), signing);
            generator.init(signatureType, key.privateKey());
            PGPSignatureSubpacketGenerator hashed = new PGPSignatureSubpacketGenerator();
            hashed.setSignatureCreationTime(false, Date.from(now));
            hashed.setIssuerFingerprint(false, signing);
            generator.setHashedSubpackets(hashed.generate());
            PGPSignatureSubpacketGenerator unhashed = new PGPSignatureSubpacketGenerator();
            unhashed.setIssuerKeyID(false, signing.getKeyID());
            generator.setUnhashedSubpackets(unhashed.generate());
            return generator;
        } catch (PGPException e) {
            throw new SigningException("cannot sign with " + KeyRules.algorithm(signing) + " key " + key.signingKeyId()
                    + " of " + key.fingerprint() + ": " + e.getMessage(), e);
        }
    }

    private void writeSignature(PGPSignatureGenerator generator, OutputStream out) throws IOException {
        PGPSignature signature;
        try {
            signature = generator.generate();
        } catch (PGPException e) {
            throw new SigningException("cannot sign with key " + key.signingKeyId() + " of " + key.fingerprint() + ": "
                    + e.getMessage(), e);
        }
        try (Armor armor = Armor.open(out, Armor.SIGNATURE)) {
            // Old-format packet header, as gpg writes signatures: readable by every verifier.
            BCPGOutputStream packets = new BCPGOutputStream(armor, PacketFormat.LEGACY);
            signature.encode(packets);
            packets.flush();
        }
    }

    /**
     * Copies text into the cleartext framework a byte at a time while feeding the signature its
     * canonical form, holding back only a run of spaces and tabs (it is trailing whitespace if a
     * line ending follows) and a carriage return (until the next byte says whether it ends a line).
     */
    private static final class ClearText {
        private final PGPSignatureGenerator signature;
        private final OutputStream out;
        private final ByteArrayOutputStream blanks = new ByteArrayOutputStream();
        private boolean inLine;
        private boolean pendingCr;
        private long lines;

        ClearText(PGPSignatureGenerator signature, OutputStream out) {
            this.signature = signature;
            this.out = out;
        }

        void copy(InputStream text) throws IOException {
            for (int b; (b = text.read()) != -1; ) {
                if (pendingCr) {
                    pendingCr = false;
                    if (b != '\n') {
                        throw new SigningException("cannot clearsign the text: line " + lines
                                + " holds a carriage return that does not end the line; verifiers disagree on"
                                + " what it means, so remove it");
                    }
                }
                switch (b) {
                    case '\n' -> endLine();
                    case '\r' -> {
                        startLine();
                        pendingCr = true;
                    }
                    case ' ', '\t' -> {
                        startLine();
                        blanks.write(b);
                    }
                    default -> {
                        if (!inLine && b == '-') {
                            startLine();
                            out.write('-');
                            out.write(' ');
                        } else {
                            startLine();
                        }
                        if (blanks.size() > 0) {
                            byte[] kept = blanks.toByteArray();
                            out.write(kept);
                            signature.update(kept);
                            blanks.reset();
                        }
                        out.write(b);
                        signature.update((byte) b);
                    }
                }
            }
            if (pendingCr) {
                throw new SigningException("cannot clearsign the text: it ends with a carriage return that does not"
                        + " end a line; remove it");
            }
            if (inLine) {
                endLine();
            }
        }

        /** The line ending before a line is signed when the line starts: the last one belongs to the framework. */
        private void startLine() {
            if (!inLine) {
                if (lines > 0) {
                    signature.update(CRLF);
                }
                inLine = true;
                lines++;
            }
        }

        private void endLine() throws IOException {
            startLine();
            blanks.reset();
            out.write('\n');
            inLine = false;
        }
    }
}
