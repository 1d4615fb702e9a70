package dev.cutter.sign;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/**
 * ASCII armor (RFC 4880 §6.2) as gpg writes it: no headers, 64 columns, a CRC-24 line, and
 * {@code \n} line endings on every platform.
 *
 * <p>Bouncy Castle's armor writer uses the platform's line separator and a {@code Version}
 * header; signatures and keys Cutter publishes must be the same bytes on every machine.
 * Closing the stream writes the checksum and the footer; the underlying stream stays open.
 */
final class Armor extends OutputStream {
    static final String SIGNATURE = "PGP SIGNATURE";
    static final String PUBLIC_KEY = "PGP PUBLIC KEY BLOCK";

    private static final int LINE_BYTES = 48; // 64 base64 characters
    private static final int CRC24_INIT = 0xB704CE;
    private static final int CRC24_POLY = 0x1864CFB;

    private final OutputStream out;
    private final String type;
    private final byte[] line = new byte[LINE_BYTES];
    private int filled;
    private int crc = CRC24_INIT;
    private boolean closed;

    private Armor(OutputStream out, String type) {
        this.out = out;
        this.type = type;
    }

    /** Writes the armor header line for {@code type} (e.g. {@link #SIGNATURE}) and returns the body stream. */
    static Armor open(OutputStream out, String type) throws IOException {
        out.write(("-----BEGIN " + type + "-----\n\n").getBytes(StandardCharsets.US_ASCII));
        return new Armor(out, type);
    }

    @Override
    public void write(int b) throws IOException {
        updateCrc(b);
        line[filled++] = (byte) b;
        if (filled == LINE_BYTES) {
            flushLine();
        }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        for (int i = 0; i < len; i++) {
            write(b[off + i]);
        }
    }

    private void updateCrc(int b) {
        crc ^= (b & 0xFF) << 16;
        for (int i = 0; i < 8; i++) {
            crc <<= 1;
            if ((crc & 0x1000000) != 0) {
                crc ^= CRC24_POLY;
            }
        }
    }

    private void flushLine() throws IOException {
        if (filled > 0) {
            byte[] chunk = filled == LINE_BYTES ? line : Arrays.copyOf(line, filled);
            out.write(Base64.getEncoder().encode(chunk));
            out.write('\n');
            filled = 0;
        }
    }

    /** Writes the checksum and the footer; does not close the underlying stream. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        flushLine();
        byte[] checksum = {(byte) (crc >> 16), (byte) (crc >> 8), (byte) crc};
        out.write('=');
        out.write(Base64.getEncoder().encode(checksum));
        out.write(("\n-----END " + type + "-----\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }
}
