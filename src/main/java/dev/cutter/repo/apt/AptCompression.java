package dev.cutter.repo.apt;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

/** How an index file is published: {@code Packages}, {@code Packages.gz}, {@code Packages.xz}. */
public enum AptCompression {
    NONE(""),
    GZIP(".gz"),
    XZ(".xz");

    private final String suffix;

    AptCompression(String suffix) {
        this.suffix = suffix;
    }

    /** What the file name gets appended: "", ".gz", ".xz". */
    public String suffix() {
        return suffix;
    }

    /**
     * A compressing stream whose bytes depend only on the input: gzip with no name and mtime 0 at
     * level 9, xz preset 6 with a CRC64 check. Closing it closes {@code out}.
     */
    OutputStream compress(OutputStream out) throws IOException {
        return switch (this) {
            case NONE -> out;
            case GZIP -> new BufferedOutputStream(new GZIPOutputStream(out, 1 << 16) {
                {
                    def.setLevel(Deflater.BEST_COMPRESSION);
                }
            }, 1 << 16);
            case XZ -> new BufferedOutputStream(new XZOutputStream(out, new LZMA2Options(6), org.tukaani.xz.XZ.CHECK_CRC64), 1 << 16);
        };
    }
}
