package dev.cutter.pkg.deb;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The tar members of a .deb, as {@code dpkg-deb --build --root-owner-group} writes them: ustar
 * headers owned by uid/gid 0 named root/root, with a pax {@code path} record for a name that does
 * not fit 100 ASCII bytes and a pax {@code size} record beyond 8 GiB (dpkg reads both).
 * {@link dev.cutter.archive.TarWriter} leaves the owner names empty, which {@code dpkg-deb -c}
 * and lintian show as 0/0 rather than root/root, hence this variant.
 */
final class DebTar {
    private static final int BLOCK = 512;
    private static final long MAX_OCTAL_11 = 077777777777L;
    private static final byte[] ROOT = "root".getBytes(StandardCharsets.US_ASCII);

    private final OutputStream out;
    private final byte[] chunk = new byte[1 << 16];

    DebTar(OutputStream out) {
        this.out = out;
    }

    void directory(String name, int mode, long mtime) throws IOException {
        header(name.endsWith("/") ? name : name + "/", mode, 0, mtime, (byte) '5');
    }

    /** A regular file whose {@code size} bytes come from {@code content}; a source that changed size is an error. */
    void file(String name, int mode, long mtime, long size, InputStream content) throws IOException {
        header(name, mode, size, mtime, (byte) '0');
        long left = size;
        while (left > 0) {
            int n = content.readNBytes(chunk, 0, (int) Math.min(chunk.length, left));
            if (n <= 0) {
                throw new IOException(name + ": the source got shorter while being read (expected " + size + " bytes)");
            }
            out.write(chunk, 0, n);
            left -= n;
        }
        if (content.read() != -1) {
            throw new IOException(name + ": the source grew while being read (expected " + size + " bytes)");
        }
        pad(size);
    }

    void file(String name, int mode, long mtime, byte[] content) throws IOException {
        file(name, mode, mtime, content.length, new java.io.ByteArrayInputStream(content));
    }

    void finish() throws IOException {
        out.write(new byte[2 * BLOCK]);
    }

    private void header(String name, int mode, long size, long mtime, byte type) throws IOException {
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        boolean fits = nameBytes.length == name.length() && nameBytes.length <= 100;
        StringBuilder pax = new StringBuilder();
        if (!fits) {
            pax.append(paxRecord("path", name));
        }
        if (size > MAX_OCTAL_11) {
            pax.append(paxRecord("size", Long.toString(size)));
        }
        if (!pax.isEmpty()) {
            byte[] records = pax.toString().getBytes(StandardCharsets.UTF_8);
            block("PaxHeaders/" + Integer.toHexString(name.hashCode()), 0644, records.length, mtime, (byte) 'x');
            out.write(records);
            pad(records.length);
        }
        block(fits ? name : truncatedAscii(name), mode, size > MAX_OCTAL_11 ? 0 : size, mtime, type);
    }

    private void block(String name, int mode, long size, long mtime, byte type) throws IOException {
        byte[] h = new byte[BLOCK];
        put(h, 0, 100, name.getBytes(StandardCharsets.US_ASCII));
        octal(h, 100, 8, mode);
        octal(h, 108, 8, 0);
        octal(h, 116, 8, 0);
        octal(h, 124, 12, size);
        octal(h, 136, 12, mtime);
        Arrays.fill(h, 148, 156, (byte) ' ');
        h[156] = type;
        put(h, 257, 6, "ustar\0".getBytes(StandardCharsets.US_ASCII));
        put(h, 263, 2, "00".getBytes(StandardCharsets.US_ASCII));
        put(h, 265, 32, ROOT);
        put(h, 297, 32, ROOT);
        octal(h, 329, 8, 0);
        octal(h, 337, 8, 0);
        long sum = 0;
        for (byte b : h) {
            sum += b & 0xff;
        }
        byte[] check = String.format("%06o", sum).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(check, 0, h, 148, 6);
        h[154] = 0;
        h[155] = ' ';
        out.write(h);
    }

    private static String truncatedAscii(String name) {
        StringBuilder b = new StringBuilder(100);
        for (int i = 0; i < name.length() && b.length() < 100; i++) {
            char c = name.charAt(i);
            b.append(c >= 0x20 && c < 0x7f ? c : '_');
        }
        return b.toString();
    }

    private static String paxRecord(String key, String value) {
        String body = " " + key + "=" + value + "\n";
        int bodyLength = body.getBytes(StandardCharsets.UTF_8).length;
        int length = bodyLength + 1;
        while (Integer.toString(length).length() + bodyLength != length) {
            length++;
        }
        return length + body;
    }

    private static void put(byte[] h, int offset, int length, byte[] value) {
        System.arraycopy(value, 0, h, offset, Math.min(length, value.length));
    }

    private static void octal(byte[] h, int offset, int length, long value) {
        String digits = Long.toOctalString(value);
        if (digits.length() > length - 1) {
            throw new IllegalArgumentException(value + " does not fit a " + length + "-byte tar header field");
        }
        put(h, offset, length - 1, ("0".repeat(length - 1 - digits.length()) + digits).getBytes(StandardCharsets.US_ASCII));
        h[offset + length - 1] = 0;
    }

    private void pad(long size) throws IOException {
        int rest = (int) (size % BLOCK);
        if (rest != 0) {
            out.write(new byte[BLOCK - rest]);
        }
    }
}
