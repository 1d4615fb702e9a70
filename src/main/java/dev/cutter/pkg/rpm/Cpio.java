package dev.cutter.pkg.rpm;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes a cpio archive in the SVR4 "newc" format (magic {@code 070701}, fields in lower-case
 * hex as rpm's own cpio code writes them), with no padding after the trailer, as rpm payloads are.
 */
final class Cpio {
    private static final byte[] ZEROS = new byte[4];

    private final OutputStream out;
    private long written;

    Cpio(OutputStream out) {
        this.out = out;
    }

    /** Writes an entry's header; the caller then writes exactly {@code size} bytes and calls {@link #endEntry}. */
    void startEntry(String name, int inode, int mode, long mtime, long size, int devMajor, int devMinor)
            throws IOException {
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        StringBuilder header = new StringBuilder(110).append("070701");
        for (long field : new long[] {inode, mode & 0xffffffffL, 0, 0, 1, mtime, size, devMajor, devMinor, 0, 0,
                nameBytes.length + 1, 0}) {
            String hex = Long.toHexString(field);
            header.append("0".repeat(8 - hex.length())).append(hex);
        }
        write(header.toString().getBytes(StandardCharsets.US_ASCII), header.length());
        write(nameBytes, nameBytes.length);
        write(new byte[] {0}, 1);
        pad();
    }

    void data(byte[] buffer, int length) throws IOException {
        write(buffer, length);
    }

    void endEntry() throws IOException {
        pad();
    }

    void finish() throws IOException {
        startEntry("TRAILER!!!", 0, 0, 0, 0, 0, 0);
    }

    private void write(byte[] bytes, int length) throws IOException {
        out.write(bytes, 0, length);
        written += length;
    }

    private void pad() throws IOException {
        int pad = (int) ((4 - written % 4) % 4);
        write(ZEROS, pad);
    }
}
