package dev.cutter.oci;

import dev.cutter.content.Digest;
import java.io.IOException;
import java.nio.file.Path;

/** Where a blob's bytes are when they must be sent: in a layout, or fetched from the source on first need. */
@FunctionalInterface
public interface Blobs {
    Path path(Digest digest) throws IOException;
}
