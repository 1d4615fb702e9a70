package dev.cutter.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.cutter.content.Digest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Pushes an index and everything it reaches from a local layout (the content store) to a
 * registry repository, bottom up so the registry never holds a manifest whose parts are
 * missing: blobs first (HEAD, then mount or upload), then each platform manifest, then the
 * index, all by digest. Tagging is separate, so the caller decides which tags move.
 */
public final class Pusher {
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    /** Blobs of one image sent at once; measured against skopeo in bench/, not guessed. */
    static final int BLOB_PARALLELISM = 4;

    private Pusher() {}

    /** What a push did: blobs sent (not already there or mounted), manifests written. */
    public record Result(int blobsUploaded, int blobsPresent, int manifestsWritten) {}

    /** Where a blob's bytes are when they must be sent: in a layout, or fetched from the source on first need. */
    @FunctionalInterface
    public interface Blobs {
        Path path(Digest digest) throws IOException;
    }

    public static Result pushIndex(RegistryClient registry, RegistryClient.Repository target, OciLayout source, Digest index,
            Optional<String> mountFrom) throws IOException {
        return pushIndex(registry, target, source, source::blob, index, mountFrom);
    }

    public static Result pushIndex(RegistryClient registry, RegistryClient.Repository target, OciLayout source, Blobs blobs,
            Digest index, Optional<String> mountFrom) throws IOException {
        int uploaded = 0;
        int present = 0;
        int manifests = 0;
        byte[] indexBytes = Files.readAllBytes(source.blob(index));
        JsonNode root = JSON.readTree(indexBytes);
        for (JsonNode m : root.path("manifests")) {
            Result one = pushManifest(registry, target, source, blobs, Digest.parse(m.path("digest").asText()), mountFrom);
            uploaded += one.blobsUploaded();
            present += one.blobsPresent();
            manifests += one.manifestsWritten();
        }
        if (registry.headManifest(target, index.toString()).isEmpty()) {
            registry.putManifest(target, index.toString(), root.path("mediaType").asText(MediaTypes.OCI_INDEX), indexBytes);
            manifests++;
        }
        return new Result(uploaded, present, manifests);
    }

    /** A single-platform image: its config and layers, then its manifest by digest. */
    public static Result pushManifest(RegistryClient registry, RegistryClient.Repository target, OciLayout source, Digest manifest,
            Optional<String> mountFrom) throws IOException {
        return pushManifest(registry, target, source, source::blob, manifest, mountFrom);
    }

    /** As above, with blob bytes from {@code blobs}; manifests are read from {@code source}. */
    public static Result pushManifest(RegistryClient registry, RegistryClient.Repository target, OciLayout source, Blobs blobSource,
            Digest manifest, Optional<String> mountFrom) throws IOException {
        byte[] bytes = Files.readAllBytes(source.blob(manifest));
        JsonNode node = JSON.readTree(bytes);
        java.util.List<Digest> blobs = new java.util.ArrayList<>();
        blobs.add(Digest.parse(node.path("config").path("digest").asText()));
        node.path("layers").forEach(l -> blobs.add(Digest.parse(l.path("digest").asText())));
        java.util.concurrent.atomic.AtomicInteger uploadedCount = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger presentCount = new java.util.concurrent.atomic.AtomicInteger();
        // blobs in parallel, BLOB_PARALLELISM at a time (skopeo sends 6, crane one per core, regclient 3 per host)
        java.util.concurrent.Semaphore slots = new java.util.concurrent.Semaphore(BLOB_PARALLELISM);
        java.util.List<java.util.concurrent.Future<?>> futures = new java.util.ArrayList<>();
        try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            for (Digest blob : blobs) {
                futures.add(pool.submit((java.util.concurrent.Callable<Void>) () -> {
                    slots.acquireUninterruptibly();
                    try {
                        if (registry.blobExists(target, blob)) {
                            presentCount.incrementAndGet();
                        } else {
                            registry.putBlob(target, blob, blobSource, mountFrom);
                            uploadedCount.incrementAndGet();
                        }
                    } finally {
                        slots.release();
                    }
                    return null;
                }));
            }
            for (var f : futures) {
                try {
                    f.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    if (e.getCause() instanceof RuntimeException r) {
                        throw r;
                    }
                    throw new IOException(e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted", e);
                }
            }
        }
        int uploaded = uploadedCount.get();
        int present = presentCount.get();
        int written = 0;
        if (registry.headManifest(target, manifest.toString()).isEmpty()) {
            registry.putManifest(target, manifest.toString(), node.path("mediaType").asText(MediaTypes.OCI_MANIFEST), bytes);
            written++;
        }
        return new Result(uploaded, present, written);
    }

    /** Points {@code tag} at the index (already pushed by digest). */
    public static void tag(RegistryClient registry, RegistryClient.Repository target, OciLayout source, Digest index, String tag)
            throws IOException {
        byte[] bytes = Files.readAllBytes(source.blob(index));
        String mediaType = JSON.readTree(bytes).path("mediaType").asText(MediaTypes.OCI_INDEX);
        registry.putManifest(target, tag, mediaType, bytes);
    }
}
