package dev.cutter.oci;

import dev.cutter.content.Digest;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A layer: the descriptor of its compressed blob, the digest of its uncompressed tar (the
 * {@code diff_id} an image config lists), and the file holding the compressed bytes.
 */
public record Layer(Descriptor descriptor, Digest diffId, Path blob) {
    public Layer {
        Objects.requireNonNull(descriptor, "descriptor");
        Objects.requireNonNull(diffId, "diffId");
        Objects.requireNonNull(blob, "blob");
    }

    public Digest digest() {
        return descriptor.digest();
    }
}
