package dev.cutter.pkg.rpm;

import com.github.luben.zstd.ZstdOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Optional;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

/**
 * How an RPM's cpio payload is compressed, with the levels rpmbuild's {@code %_binary_payload}
 * uses: {@code w9.gzdio}, {@code w2.xzdio}, {@code w19.zstdio}. Every choice is deterministic.
 */
public enum PayloadCompression {
    /** Read by every rpm; the default. */
    GZIP("gzip", "9", Optional.empty()),
    /** rpm 4.7 and later (RHEL 6+). */
    XZ("xz", "2", Optional.of("rpmlib(PayloadIsXz)=5.2-1")),
    /** rpm 4.14 and later (RHEL 8+, Fedora 31+). */
    ZSTD("zstd", "19", Optional.of("rpmlib(PayloadIsZstd)=5.4.18-1"));

    final String compressor;
    final String flags;
    /** The rpmlib() feature a reader needs, as "name=version". */
    final Optional<String> rpmlibFeature;

    PayloadCompression(String compressor, String flags, Optional<String> rpmlibFeature) {
        this.compressor = compressor;
        this.flags = flags;
        this.rpmlibFeature = rpmlibFeature;
    }

    OutputStream compress(OutputStream out) throws IOException {
        return switch (this) {
            case GZIP -> new GZIPOutputStream(out, 1 << 16) {
                {
                    def.setLevel(Deflater.BEST_COMPRESSION);
                }
            };
            case XZ -> new XZOutputStream(out, new LZMA2Options(2));
            case ZSTD -> new ZstdOutputStream(out, 19);
        };
    }
}
