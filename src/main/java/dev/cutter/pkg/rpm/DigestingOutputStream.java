package dev.cutter.pkg.rpm;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** Passes bytes on while counting and digesting them. Closing it closes the stream underneath. */
final class DigestingOutputStream extends FilterOutputStream {
    private final MessageDigest digest;
    private long count;

    DigestingOutputStream(OutputStream out, String algorithm) {
        super(out);
        this.digest = digest(algorithm);
    }

    static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is part of every Java runtime", e);
        }
    }

    @Override
    public void write(int b) throws IOException {
        out.write(b);
        digest.update((byte) b);
        count++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
        digest.update(b, off, len);
        count += len;
    }

    long count() {
        return count;
    }

    byte[] digest() {
        return digest.digest();
    }
}
