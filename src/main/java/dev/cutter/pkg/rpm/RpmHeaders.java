package dev.cutter.pkg.rpm;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The two headers of an RPM file, read from its start without touching the payload: what
 * repository metadata is made from.
 *
 * @param signature the signature header (digests, sizes, OpenPGP signatures)
 * @param header the main header (name, version, dependencies, files…)
 * @param headerStart the main header's offset in the file (createrepo_c's {@code header-range start})
 * @param headerEnd the offset just past it, where the payload starts
 */
public record RpmHeaders(RpmHeader signature, RpmHeader header, long headerStart, long headerEnd) {
    private static final byte[] LEAD_MAGIC = {(byte) 0xed, (byte) 0xab, (byte) 0xee, (byte) 0xdb};
    /** rpm's own limits (hdrchkTags, hdrchkData): larger values mean a damaged or hostile file. */
    private static final int MAX_ENTRIES = 0xffff;
    private static final int MAX_DATA = 0x0fffffff;

    /**
     * Reads the lead and both headers from {@code in}, leaving it positioned at the payload.
     *
     * @param source the file's name, for messages
     * @throws RpmFormatException when the input is not an RPM (bad lead or header magic, a
     *     source package, sizes beyond rpm's limits, truncated headers)
     */
    public static RpmHeaders read(InputStream in, String source) throws IOException {
        byte[] lead = readFully(in, 96, source, "lead");
        if (!Arrays.equals(lead, 0, 4, LEAD_MAGIC, 0, 4)) {
            throw new RpmFormatException(source + " is not an RPM package: bad lead magic "
                    + Bytes.hex(Arrays.copyOf(lead, 4)) + " (expected edabeedb)");
        }
        if (lead[4] != 3 && lead[4] != 4) {
            throw new RpmFormatException(source + " is not an RPM v3/v4 package: lead format " + lead[4]);
        }
        if (lead[7] == 1) {
            throw new RpmFormatException(source + " is a source RPM; a yum repository of binary packages cannot index it");
        }
        long position = 96;
        byte[][] signature = readHeader(in, source, "signature");
        RpmHeader sig = RpmHeader.parse(signature[1], ByteBuffer.wrap(signature[0]).getInt(8), source, "signature");
        long sigSize = 16 + signature[1].length;
        position += sigSize;
        int pad = (int) ((8 - sigSize % 8) % 8);
        readFully(in, pad, source, "signature padding");
        position += pad;
        long start = position;
        byte[][] main = readHeader(in, source, "main");
        RpmHeader header = RpmHeader.parse(main[1], ByteBuffer.wrap(main[0]).getInt(8), source, "main");
        return new RpmHeaders(sig, header, start, start + 16 + main[1].length);
    }

    private static byte[][] readHeader(InputStream in, String source, String which) throws IOException {
        byte[] intro = readFully(in, 16, source, which + " header");
        if (!Arrays.equals(intro, 0, 4, HeaderBuilder.MAGIC, 0, 4)) {
            throw new RpmFormatException(source + " is not a valid RPM: bad " + which + " header magic "
                    + Bytes.hex(Arrays.copyOf(intro, 4)) + " (expected 8eade801)");
        }
        ByteBuffer b = ByteBuffer.wrap(intro);
        int il = b.getInt(8);
        int dl = b.getInt(12);
        if (il < 1 || il > MAX_ENTRIES || dl < 0 || dl > MAX_DATA) {
            throw new RpmFormatException(source + " is not a valid RPM: its " + which + " header claims " + il
                    + " entries and " + dl + " bytes of data");
        }
        return new byte[][] {intro, readFully(in, il * 16 + dl, source, which + " header")};
    }

    private static byte[] readFully(InputStream in, int length, String source, String what) throws IOException {
        byte[] bytes = in.readNBytes(length);
        if (bytes.length != length) {
            throw new RpmFormatException(source + " is not a valid RPM: it ends inside its " + what + " ("
                    + bytes.length + " of " + length + " bytes)");
        }
        return bytes;
    }

}
