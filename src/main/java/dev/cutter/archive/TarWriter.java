package dev.cutter.archive;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A minimal POSIX tar writer whose bytes depend only on what is written: ustar headers with
 * uid/gid 0 and empty user and group names (or the owner name given: a .deb's members say
 * root/root, as {@code dpkg-deb --root-owner-group} writes them), and a pax extended header (named
 * {@code PaxHeaders/<base name>}, mode 0644, the entry's mtime) only for a path that is not ASCII
 * or longer than the 100-byte name field, or a size above the 11-digit octal field. commons-compress
 * writes the running user's name into its own pax headers, which would make a layer built by
 * another user differ, hence this writer, shared by archives and image layers. The archive ends with two zero blocks, unpadded (as Go's
 * archive/tar does).
 */
public final class TarWriter {
    private static final int BLOCK = 512;
    private static final long MAX_OCTAL_11 = 077777777777L;
    private static final int COPY_CHUNK = 1 << 16;

    private final OutputStream out;
    private final byte[] owner;
    private final byte[] chunk = new byte[COPY_CHUNK];

    public TarWriter(OutputStream out) {
        this(out, "");
    }

    /** Entries owned by uid/gid 0 named {@code owner} (user and group), e.g. {@code root}. */
    public TarWriter(OutputStream out, String owner) {
        this.out = out;
        this.owner = owner.getBytes(StandardCharsets.US_ASCII);
        if (this.owner.length > 31) {
            throw new IllegalArgumentException("a tar owner name holds 31 bytes: " + owner);
        }
    }

    public void directory(String name, int mode, long mtime) throws IOException {
        header(name.endsWith("/") ? name : name + "/", mode, 0, mtime, (byte) '5');
    }

    /**
     * A regular file of {@code size} bytes read from {@code content} in fixed-size chunks, so that
     * what the compressor sees never depends on how the source happened to be read.
     */
    public void file(String name, int mode, long mtime, long size, InputStream content) throws IOException {
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

    /** A small regular file given whole (a control file, a checksum list). */
    public void file(String name, int mode, long mtime, byte[] content) throws IOException {
        file(name, mode, mtime, content.length, new java.io.ByteArrayInputStream(content));
    }

    /** A symbolic link to {@code target}, written as it is (relative or absolute); mode 0777 as Linux reports links. */
    public void symlink(String name, String target, long mtime) throws IOException {
        header(name, 0777, 0, mtime, (byte) '2', target);
    }

    /** Two zero blocks: the end of the archive. */
    public void finish() throws IOException {
        out.write(new byte[2 * BLOCK]);
    }

    private void header(String name, int mode, long size, long mtime, byte type) throws IOException {
        header(name, mode, size, mtime, type, "");
    }

    private void header(String name, int mode, long size, long mtime, byte type, String link) throws IOException {
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        boolean ascii = nameBytes.length == name.length();
        Map<String, String> pax = new LinkedHashMap<>();
        if (!ascii || nameBytes.length > 100) {
            pax.put("path", name);
        }
        byte[] linkBytes = link.getBytes(StandardCharsets.UTF_8);
        if (linkBytes.length != link.length() || linkBytes.length > 100) {
            pax.put("linkpath", link);
        }
        if (size > MAX_OCTAL_11) {
            pax.put("size", Long.toString(size));
        }
        if (!pax.isEmpty()) {
            byte[] records = paxRecords(pax);
            String base = name.replaceAll("/+$", "");
            base = base.substring(base.lastIndexOf('/') + 1);
            block(ascii7("PaxHeaders/" + base), 0644, records.length, mtime, (byte) 'x', "");
            out.write(records);
            pad(records.length);
        }
        block(ascii7(name), mode, size > MAX_OCTAL_11 ? 0 : size, mtime, type, ascii7(link));
    }

    private void block(String name, int mode, long size, long mtime, byte type, String link) throws IOException {
        byte[] h = new byte[BLOCK];
        put(h, 0, 100, name.getBytes(StandardCharsets.US_ASCII));
        put(h, 157, 100, link.getBytes(StandardCharsets.US_ASCII));
        octal(h, 100, 8, mode);
        octal(h, 108, 8, 0);          // uid
        octal(h, 116, 8, 0);          // gid
        octal(h, 124, 12, size);
        octal(h, 136, 12, mtime);
        Arrays.fill(h, 148, 156, (byte) ' ');
        h[156] = type;
        put(h, 257, 6, "ustar\0".getBytes(StandardCharsets.US_ASCII));
        put(h, 263, 2, "00".getBytes(StandardCharsets.US_ASCII));
        put(h, 265, 32, owner);       // uname
        put(h, 297, 32, owner);       // gname
        octal(h, 329, 8, 0);          // devmajor
        octal(h, 337, 8, 0);          // devminor
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

    /** The name field holds 100 ASCII bytes; the pax header carries the real path when it does not fit. */
    private static String ascii7(String name) {
        StringBuilder b = new StringBuilder(Math.min(name.length(), 100));
        for (int i = 0; i < name.length() && b.length() < 100; i++) {
            char c = name.charAt(i);
            b.append(c >= 0x20 && c < 0x7f ? c : '_');
        }
        return b.toString();
    }

    private static byte[] paxRecords(Map<String, String> pax) {
        StringBuilder all = new StringBuilder();
        pax.forEach((key, value) -> {
            String body = " " + key + "=" + value + "\n";
            int bodyLength = body.getBytes(StandardCharsets.UTF_8).length;
            // the length counts its own digits
            int length = bodyLength + 1;
            while (Integer.toString(length).length() + bodyLength != length) {
                length++;
            }
            all.append(length).append(body);
        });
        return all.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void put(byte[] h, int offset, int length, byte[] value) {
        System.arraycopy(value, 0, h, offset, Math.min(length, value.length));
    }

    /** {@code length - 1} octal digits, zero-padded, then NUL. */
    private static void octal(byte[] h, int offset, int length, long value) {
        String digits = Long.toOctalString(value);
        if (digits.length() > length - 1) {
            throw new IllegalArgumentException(value + " does not fit a " + length + "-byte tar header field");
        }
        String padded = "0".repeat(length - 1 - digits.length()) + digits;
        put(h, offset, length - 1, padded.getBytes(StandardCharsets.US_ASCII));
        h[offset + length - 1] = 0;
    }

    private void pad(long size) throws IOException {
        int rest = (int) (size % BLOCK);
        if (rest != 0) {
            out.write(new byte[BLOCK - rest]);
        }
    }
}
