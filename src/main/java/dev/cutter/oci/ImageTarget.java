package dev.cutter.oci;

import dev.cutter.content.Digest;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Where an image goes and is read back from: an OCI layout directory ({@link LayoutTarget}) or a
 * registry repository ({@link RegistryTarget}), as go-containerregistry's {@code layout} and
 * {@code remote} share one image model. Publishing, copying and checking are written once over
 * it; only the protocol differs.
 */
public interface ImageTarget {
    /** What {@code reference} (a tag, or a digest) names there now; empty when nothing. */
    Optional<Descriptor> resolve(String reference) throws IOException;

    boolean hasBlob(Digest digest) throws IOException;

    /** Streams the blob into {@code into} (a new file), its digest checked on the way. */
    void getBlob(Digest digest, Path into) throws IOException;

    /**
     * The most a blob read whole into memory may declare: a signature's payload, an SBOM, a
     * provenance envelope. Layers are streamed, never read whole.
     */
    long DOCUMENT_LIMIT = 64L << 20;

    /**
     * A small blob read whole (a document an artifact manifest names), as its descriptor declares
     * it: refused unread when {@code declaredSize} is negative or over {@link #DOCUMENT_LIMIT}, so a
     * hostile manifest cannot make the reader hold gigabytes, and refused when what arrived is not
     * that size. Its digest is checked as {@link #getBlob} checks it.
     */
    default byte[] getDocument(Digest digest, long declaredSize) throws IOException {
        if (declaredSize < 0 || declaredSize > DOCUMENT_LIMIT) {
            throw new IOException("blob " + digest + " declares " + declaredSize + " bytes; a document of at most "
                    + (DOCUMENT_LIMIT >> 20) + " MiB is read");
        }
        Path temp = java.nio.file.Files.createTempFile("cutter-document", ".blob");
        try {
            java.nio.file.Files.delete(temp);
            getBlob(digest, temp);
            long size = java.nio.file.Files.size(temp);
            if (size != declaredSize) {
                throw new IOException("blob " + digest + " has " + size + " bytes, not the " + declaredSize + " its descriptor declares");
            }
            return java.nio.file.Files.readAllBytes(temp);
        } finally {
            java.nio.file.Files.deleteIfExists(temp);
        }
    }

    /** Puts the blob; {@code bytes} is asked for the file only when the blob must really be sent. */
    void putBlob(Digest digest, Blobs bytes) throws IOException;

    /** The bytes of the manifest or index {@code digest}, verified against it; empty when the target lacks it. */
    Optional<byte[]> getManifest(Digest digest) throws IOException;

    /**
     * Puts a manifest or index by its digest; what it names must be there already. Its media type
     * is the one its {@code bytes} have ({@link ManifestContent}), whatever {@code manifest} says.
     */
    void putManifest(Descriptor manifest, byte[] bytes) throws IOException;

    /**
     * Points {@code tag} at {@code manifest} (already put by digest, its {@code bytes} given for
     * targets that store a tag as a copy). Whether the tag may move is the caller's decision.
     */
    void tag(String tag, Descriptor manifest, byte[] bytes) throws IOException;

    /** Every tag there; none when the target does not exist yet. */
    List<String> tags() throws IOException;

    /**
     * This target taking blobs from {@code repository} ({@code host/path}) without sending them
     * where it can: a registry mounts from another repository of its own; others send them.
     */
    default ImageTarget mountingFrom(String repository) {
        return this;
    }

    /**
     * The index the registry's referrers API answers for {@code subject} (OCI distribution 1.1);
     * empty when the target has no such API (then the referrers tag schema is read).
     */
    default Optional<byte[]> referrers(Digest subject) throws IOException {
        return Optional.empty();
    }

    /** {@code reference} as a digest when it is one. */
    static Optional<Digest> digestIn(String reference) {
        return reference.startsWith(Digest.SHA256 + ":") ? Optional.of(Digest.parse(reference)) : Optional.empty();
    }
}
