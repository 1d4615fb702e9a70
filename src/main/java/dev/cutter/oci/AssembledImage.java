package dev.cutter.oci;

import dev.cutter.content.Digest;
import java.util.Objects;

/** A single-platform image whose manifest, config and layers are blobs in one directory. */
public record AssembledImage(Descriptor manifest, Platform platform, Digest config) {
    public AssembledImage {
        Objects.requireNonNull(manifest, "manifest");
        Objects.requireNonNull(platform, "platform");
        Objects.requireNonNull(config, "config");
    }

    public Digest digest() {
        return manifest.digest();
    }
}
