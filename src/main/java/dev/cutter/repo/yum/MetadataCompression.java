package dev.cutter.repo.yum;

import com.github.luben.zstd.ZstdOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.zip.GZIPOutputStream;

/**
 * How repodata files are compressed. A repomd.xml lists one file per type, so a repository
 * uses one: gzip is read by every yum and dnf; zstd (createrepo_c's newer default) needs
 * librepo/libsolv built with zstd (dnf on Fedora 31+, RHEL 9).
 */
public enum MetadataCompression {
    GZIP(".gz"),
    ZSTD(".zst");

    final String suffix;

    MetadataCompression(String suffix) {
        this.suffix = suffix;
    }

    OutputStream compress(OutputStream out) throws IOException {
        return switch (this) {
            case GZIP -> new GZIPOutputStream(out, 1 << 16);
            case ZSTD -> new ZstdOutputStream(out, 10);
        };
    }
}
