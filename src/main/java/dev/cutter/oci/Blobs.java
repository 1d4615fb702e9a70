package dev.cutter.oci;

import dev.cutter.content.Digest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where a blob's bytes are when they must be sent: in a layout, or fetched from the source on first need. */
@FunctionalInterface
public interface Blobs {
    Path path(Digest digest) throws IOException;

    /**
     * Whether the source holds the blob at all; asked only of non-distributable layers, which
     * stay behind when it does not. Without a cheaper answer: whether {@link #path} is a file.
     */
    default boolean has(Digest digest) throws IOException {
        return Files.isRegularFile(path(digest));
    }
}
