package dev.cutter.pkg.deb;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** The common ar format of a .deb: the global header, then 60-byte member headers, members padded to even sizes. */
final class Ar {
    static final byte[] MAGIC = "!<arch>\n".getBytes(StandardCharsets.US_ASCII);
    static final int HEADER = 60;

    private Ar() {}

    /** A member header as dpkg-deb writes it: owner 0/0, mode 100644, the given mtime. */
    static void header(OutputStream out, String name, long mtime, long size) throws IOException {
        if (name.length() > 16) {
            throw new IllegalArgumentException("ar member name longer than 16 bytes: " + name);
        }
        String h = pad(name, 16) + pad(Long.toString(mtime), 12) + pad("0", 6) + pad("0", 6) + pad("100644", 8)
                + pad(Long.toString(size), 10) + "`\n";
        out.write(h.getBytes(StandardCharsets.US_ASCII));
    }

    private static String pad(String s, int width) {
        if (s.length() > width) {
            throw new IllegalArgumentException("'" + s + "' does not fit an ar header field of " + width + " bytes");
        }
        return s + " ".repeat(width - s.length());
    }
}
