package dev.cutter.repo.apt;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/** Size and MD5/SHA-1/SHA-256/SHA-512 hex digests of some bytes, in Release's section order. */
record Digests(long size, String md5, String sha1, String sha256, String sha512) {
    /** The Release section names, apt's by-hash directory names, in the order of {@link #all()}. */
    static final List<String> NAMES = List.of("MD5Sum", "SHA1", "SHA256", "SHA512");
    private static final List<String> ALGORITHMS = List.of("MD5", "SHA-1", "SHA-256", "SHA-512");

    List<String> all() {
        return List.of(md5, sha1, sha256, sha512);
    }

    static Digests of(byte[] data) {
        MessageDigest[] digests = digests();
        for (MessageDigest d : digests) {
            d.update(data);
        }
        return finish(data.length, digests);
    }

    static Digests of(Path file) throws IOException {
        MessageDigest[] digests = digests();
        long size = 0;
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                for (MessageDigest d : digests) {
                    d.update(buffer, 0, n);
                }
                size += n;
            }
        }
        return finish(size, digests);
    }

    private static Digests finish(long size, MessageDigest[] d) {
        HexFormat hex = HexFormat.of();
        return new Digests(size, hex.formatHex(d[0].digest()), hex.formatHex(d[1].digest()),
                hex.formatHex(d[2].digest()), hex.formatHex(d[3].digest()));
    }

    static MessageDigest[] digests() {
        MessageDigest[] d = new MessageDigest[ALGORITHMS.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = digest(ALGORITHMS.get(i));
        }
        return d;
    }

    static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is missing from this Java runtime", e);
        }
    }
}
