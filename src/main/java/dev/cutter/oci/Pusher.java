package dev.cutter.oci;

import dev.cutter.content.Digest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Pushes an image (an index, a manifest, an artifact) and everything it reaches from a local
 * layout (the content store) to an image target (a registry repository or a layout), bottom up so
 * the target never holds a manifest whose parts are missing: blobs first (HEAD, then mount or
 * upload), then the manifests an index lists (an index within an index before it), then the image
 * itself, all by digest and byte for byte. Tagging is separate, so the caller decides which tags
 * move. A non-distributable layer's blob is sent only when its source has it (the image spec:
 * such layers are not uploaded; their {@code urls} say where they are).
 */
public final class Pusher {
    /** Blobs of one image sent at once; measured against skopeo in bench/, not guessed. */
    static final int BLOB_PARALLELISM = 4;
    /** How deep indexes may nest (an index of indexes of …): a bound on what a hostile source can make Cutter walk. */
    static final int MAX_DEPTH = 8;

    private Pusher() {}

    /** What a push did: blobs sent (not already there or mounted), manifests written. */
    public record Result(int blobsUploaded, int blobsPresent, int manifestsWritten) {}

    public static Result pushIndex(RegistryClient registry, Repository target, OciLayout source, Digest index,
            Optional<String> mountFrom) throws IOException {
        return push(new RegistryTarget(registry, target, mountFrom), source, source::blob, describe(source, index));
    }

    /** A single-platform image: its config and layers, then its manifest by digest. */
    public static Result pushManifest(RegistryClient registry, Repository target, OciLayout source, Digest manifest,
            Optional<String> mountFrom) throws IOException {
        return push(new RegistryTarget(registry, target, mountFrom), source, source::blob, describe(source, manifest));
    }

    /**
     * {@code top} (an index or a manifest, in {@code source}) and everything it reaches into
     * {@code target}, parts before the whole; blob bytes come from {@code blobs}, manifests from
     * {@code source}. Every manifest goes with the media type its own bytes have, whatever
     * {@code top} says.
     */
    public static Result push(ImageTarget target, OciLayout source, Blobs blobs, Descriptor top) throws IOException {
        Walk walk = walk(source, top);
        // every platform's blobs at once, so one platform's upload overlaps another's fetch
        int[] counts = pushBlobs(target, blobs, List.copyOf(walk.blobs().values()));
        int written = 0;
        for (Descriptor manifest : walk.manifests()) {
            written += putManifest(target, source, blobs, manifest);
        }
        return new Result(counts[0], counts[1], written);
    }

    /**
     * Everything under {@code top} in {@code source}: its manifests, parts before the whole and
     * {@code top} last (each described as its bytes say), and the blobs of every image manifest.
     */
    record Walk(List<Descriptor> manifests, Map<Digest, Descriptor> blobs) {}

    static Walk walk(OciLayout source, Descriptor top) throws IOException {
        Map<Digest, Descriptor> manifests = new LinkedHashMap<>();
        Map<Digest, Descriptor> blobs = new LinkedHashMap<>();
        walk(source, top.digest(), top.mediaType(), 0, manifests, blobs);
        return new Walk(List.copyOf(manifests.values()), java.util.Collections.unmodifiableMap(blobs));
    }

    private static void walk(OciLayout source, Digest digest, String described, int depth, Map<Digest, Descriptor> manifests,
            Map<Digest, Descriptor> blobs) throws IOException {
        if (manifests.containsKey(digest)) {
            return; // listed twice: walked once
        }
        byte[] bytes = source.manifestBytes(digest);
        ManifestContent content = ManifestContent.parse(bytes, described, source + "@" + digest);
        if (content.isIndex()) {
            if (depth >= MAX_DEPTH) {
                throw new OciLayoutException(source.blob(digest), "an index nested " + MAX_DEPTH + " deep in an image; Cutter walks no deeper");
            }
            for (Descriptor entry : content.manifests()) {
                walk(source, entry.digest(), entry.mediaType(), depth + 1, manifests, blobs);
            }
        } else {
            content.parts().forEach(part -> blobs.putIfAbsent(part.digest(), part));
        }
        manifests.put(digest, new Descriptor(content.mediaType(), digest, bytes.length));
    }

    /** A manifest or index of {@code source} as its own bytes describe it. */
    static Descriptor describe(OciLayout source, Digest digest) throws IOException {
        byte[] bytes = source.manifestBytes(digest);
        return new Descriptor(ManifestContent.mediaTypeOf(bytes, source + "@" + digest), digest, bytes.length);
    }

    /**
     * The manifest by digest, unless the target has it; returns 1 when written. A registry may
     * answer that a blob is unknown although this push saw it there: docker-registry links a blob
     * into a repository by rewriting a small file, and a concurrent push of the same blob into the
     * same repository (two variants sharing a layer) can make it unreadable for a moment. Then
     * every blob is checked again, sent if missing, and the manifest put once more. An index meets
     * the same with its manifests, when two copies put them into one repository at once (one
     * image to two tags): each is looked at again, put if missing, and the index put once more.
     */
    private static int putManifest(ImageTarget target, OciLayout source, Blobs blobs, Descriptor manifest) throws IOException {
        if (target.resolve(manifest.digest().toString()).isPresent()) {
            return 0;
        }
        byte[] bytes = source.manifestBytes(manifest.digest());
        try {
            target.putManifest(manifest, bytes);
        } catch (RegistryException e) {
            if (e.status() != 400 || !e.getMessage().contains("MANIFEST_BLOB_UNKNOWN")) {
                throw e;
            }
            ManifestContent content = ManifestContent.parse(bytes, manifest.mediaType(), source + "@" + manifest.digest());
            if (content.isIndex()) {
                for (Descriptor entry : content.manifests()) {
                    putManifest(target, source, blobs, describe(source, entry.digest()));
                }
            } else {
                pushBlobs(target, blobs, content.parts());
            }
            target.putManifest(manifest, bytes);
        }
        return 1;
    }

    /**
     * Each blob the target lacks, mounted or uploaded, {@link #BLOB_PARALLELISM} at a time
     * (skopeo sends 6, crane one per core, regclient 3 per host). Returns {uploaded, present}.
     */
    private static int[] pushBlobs(ImageTarget target, Blobs blobSource, List<Descriptor> blobs) throws IOException {
        java.util.concurrent.atomic.AtomicInteger uploadedCount = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger presentCount = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.Semaphore slots = new java.util.concurrent.Semaphore(BLOB_PARALLELISM);
        java.util.List<java.util.concurrent.Future<?>> futures = new java.util.ArrayList<>();
        try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            for (Descriptor blob : blobs) {
                futures.add(pool.submit((java.util.concurrent.Callable<Void>) () -> {
                    slots.acquireUninterruptibly();
                    try {
                        if (target.hasBlob(blob.digest())) {
                            presentCount.incrementAndGet();
                        } else if (MediaTypes.isNonDistributable(blob.mediaType()) && !blobSource.has(blob.digest())) {
                            // not uploaded: the source does not hold it either; its urls say where it is
                        } else {
                            target.putBlob(blob.digest(), blobSource);
                            uploadedCount.incrementAndGet();
                        }
                    } finally {
                        slots.release();
                    }
                    return null;
                }));
            }
            for (var f : futures) {
                Awaited.get(f);
            }
        }
        return new int[] {uploadedCount.get(), presentCount.get()};
    }

    /** Points {@code tag} at the index or manifest (already pushed by digest). */
    public static void tag(RegistryClient registry, Repository target, OciLayout source, Digest index, String tag)
            throws IOException {
        new RegistryTarget(registry, target).tag(tag, describe(source, index), source.manifestBytes(index));
    }
}
