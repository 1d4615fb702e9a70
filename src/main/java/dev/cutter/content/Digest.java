package dev.cutter.content;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * A content digest, written {@code sha256:<hex>} as OCI does. Everything Cutter publishes is
 * known by one (law 2); tags and file names only point at it.
 */
public record Digest(String algorithm, String hex) {
    public static final String SHA256 = "sha256";

    public Digest {
        algorithm = algorithm.toLowerCase(Locale.ROOT);
        int length = switch (algorithm) {
            case SHA256 -> 64;
            case "sha512" -> 128;
            default -> throw new IllegalArgumentException("unsupported digest algorithm '" + algorithm + "'; use sha256 or sha512");
        };
        if (hex.length() != length || !hex.matches("[0-9a-f]+")) {
            throw new IllegalArgumentException("'" + hex + "' is not a " + algorithm + " digest (" + length + " lower-case hex digits)");
        }
    }

    /** Parses {@code sha256:<hex>}. */
    public static Digest parse(String text) {
        int colon = text.indexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("'" + text + "' is not a digest; write sha256:<64 hex digits>");
        }
        return new Digest(text.substring(0, colon), text.substring(colon + 1));
    }

    public static Digest sha256(byte[] bytes) {
        return new Digest(SHA256, HexFormat.of().formatHex(messageDigest(SHA256).digest(bytes)));
    }

    /** The digest of a file, streamed through a direct buffer: never the whole file in memory. */
    public static Digest sha256(Path file) throws IOException {
        return of(SHA256, file);
    }

    public static Digest of(String algorithm, Path file) throws IOException {
        MessageDigest md = messageDigest(algorithm);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20);
            while (channel.read(buffer) >= 0) {
                buffer.flip();
                md.update(buffer);
                buffer.clear();
            }
        }
        return new Digest(algorithm, HexFormat.of().formatHex(md.digest()));
    }

    public static Digest sha256(InputStream in) throws IOException {
        MessageDigest md = messageDigest(SHA256);
        byte[] buffer = new byte[1 << 16];
        for (int n; (n = in.read(buffer)) > 0; ) {
            md.update(buffer, 0, n);
        }
        return new Digest(SHA256, HexFormat.of().formatHex(md.digest()));
    }

    static MessageDigest messageDigest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm.equals(SHA256) ? "SHA-256" : "SHA-512");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has " + algorithm, e);
        }
    }

    @Override
    public String toString() {
        return algorithm + ":" + hex;
    }

    /**
     * An output stream that digests and counts what passes through it, so a file can be written
     * and known by its digest in one pass.
     */
    public static final class Counting extends OutputStream {
        private final OutputStream out;
        private final MessageDigest md;
        private long size;

        public Counting(OutputStream out) {
            this(out, SHA256);
        }

        public Counting(OutputStream out, String algorithm) {
            this.out = out;
            this.md = messageDigest(algorithm);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            md.update((byte) b);
            size++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            md.update(b, off, len);
            size += len;
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }

        @Override
        public void close() throws IOException {
            out.close();
        }

        public long size() {
            return size;
        }

        /** The digest of everything written so far; call once, after the last write. */
        public Digest digest() {
            return new Digest(md.getAlgorithm().equals("SHA-256") ? SHA256 : "sha512", HexFormat.of().formatHex(md.digest()));
        }
    }
}
