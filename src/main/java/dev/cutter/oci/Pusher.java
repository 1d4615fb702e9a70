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
 * Pushes an index and everything it reaches from a local layout (the content store) to an
 * image target (a registry repository or a layout), bottom up so the target never holds a
 * manifest whose parts are missing: blobs first (HEAD, then mount or upload), then each platform manifest, then the
 * index, all by digest. Tagging is separate, so the caller decides which tags move.
 */
public final class Pusher {
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    /** Blobs of one image sent at once; measured against skopeo in bench/, not guessed. */
    static final int BLOB_PARALLELISM = 4;

    private Pusher() {}

    /** What a push did: blobs sent (not already there or mounted), manifests written. */
    public record Result(int blobsUploaded, int blobsPresent, int manifestsWritten) {}

    public static Result pushIndex(RegistryClient registry, RegistryClient.Repository target, OciLayout source, Digest index,
            Optional<String> mountFrom) throws IOException {
        return push(new RegistryTarget(registry, target, mountFrom), source, source::blob, describe(source, index, MediaTypes.OCI_INDEX));
    }

    /** A single-platform image: its config and layers, then its manifest by digest. */
    public static Result pushManifest(RegistryClient registry, RegistryClient.Repository target, OciLayout source, Digest manifest,
            Optional<String> mountFrom) throws IOException {
        return push(new RegistryTarget(registry, target, mountFrom), source, source::blob,
                describe(source, manifest, MediaTypes.OCI_MANIFEST));
    }

    /**
     * {@code top} (an index or a single manifest, in {@code source}) and everything it reaches
     * into {@code target}, parts before the whole; blob bytes come from {@code blobs}, manifests
     * from {@code source}.
     */
    public static Result push(ImageTarget target, OciLayout source, Blobs blobs, Descriptor top) throws IOException {
        byte[] topBytes = Files.readAllBytes(source.blob(top.digest()));
        JsonNode root = JSON.readTree(topBytes);
        java.util.List<Digest> manifests = new java.util.ArrayList<>();
        if (MediaTypes.isIndex(top.mediaType())) {
            root.path("manifests").forEach(m -> manifests.add(Digest.parse(m.path("digest").asText())));
        }
        // every platform's blobs at once, so one platform's upload overlaps another's fetch
        java.util.Map<Digest, JsonNode> nodes = new java.util.LinkedHashMap<>();
        java.util.LinkedHashSet<Digest> all = new java.util.LinkedHashSet<>();
        for (Digest manifest : manifests) {
            JsonNode node = JSON.readTree(Files.readAllBytes(source.blob(manifest)));
            nodes.put(manifest, node);
            all.addAll(blobsOf(node));
        }
        if (manifests.isEmpty()) {
            all.addAll(blobsOf(root));
        }
        int[] counts = pushBlobs(target, blobs, java.util.List.copyOf(all));
        int written = 0;
        for (Digest manifest : manifests) {
            written += putManifest(target, source, blobs, new Descriptor(nodes.get(manifest).path("mediaType").asText(MediaTypes.OCI_MANIFEST),
                    manifest, Files.size(source.blob(manifest))));
        }
        written += putManifest(target, source, blobs, top);
        return new Result(counts[0], counts[1], written);
    }

    /** A manifest or index of {@code source} as its own bytes describe it ({@code fallback}: their type when they do not say). */
    static Descriptor describe(OciLayout source, Digest digest, String fallback) throws IOException {
        byte[] bytes = Files.readAllBytes(source.blob(digest));
        return new Descriptor(JSON.readTree(bytes).path("mediaType").asText(fallback), digest, bytes.length);
    }

    private static java.util.List<Digest> blobsOf(JsonNode manifest) {
        java.util.List<Digest> blobs = new java.util.ArrayList<>();
        blobs.add(Digest.parse(manifest.path("config").path("digest").asText()));
        manifest.path("layers").forEach(l -> blobs.add(Digest.parse(l.path("digest").asText())));
        return blobs;
    }

    /**
     * The manifest by digest, unless the target has it; returns 1 when written. A registry may
     * answer that a blob is unknown although this push saw it there: docker-registry links a blob
     * into a repository by rewriting a small file, and a concurrent push of the same blob into the
     * same repository (two variants sharing a layer) can make it unreadable for a moment. Then
     * every blob is checked again, sent if missing, and the manifest put once more.
     */
    private static int putManifest(ImageTarget target, OciLayout source, Blobs blobs, Descriptor manifest) throws IOException {
        if (target.resolve(manifest.digest().toString()).isPresent()) {
            return 0;
        }
        byte[] bytes = Files.readAllBytes(source.blob(manifest.digest()));
        try {
            target.putManifest(manifest, bytes);
        } catch (RegistryException e) {
            if (e.status() != 400 || !e.getMessage().contains("MANIFEST_BLOB_UNKNOWN") || MediaTypes.isIndex(manifest.mediaType())) {
                throw e;
            }
            pushBlobs(target, blobs, blobsOf(JSON.readTree(bytes)));
            target.putManifest(manifest, bytes);
        }
        return 1;
    }

    /**
     * Each blob the target lacks, mounted or uploaded, {@link #BLOB_PARALLELISM} at a time
     * (skopeo sends 6, crane one per core, regclient 3 per host). Returns {uploaded, present}.
     */
    private static int[] pushBlobs(ImageTarget target, Blobs blobSource, java.util.List<Digest> blobs) throws IOException {
        java.util.concurrent.atomic.AtomicInteger uploadedCount = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger presentCount = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.Semaphore slots = new java.util.concurrent.Semaphore(BLOB_PARALLELISM);
        java.util.List<java.util.concurrent.Future<?>> futures = new java.util.ArrayList<>();
        try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            for (Digest blob : blobs) {
                futures.add(pool.submit((java.util.concurrent.Callable<Void>) () -> {
                    slots.acquireUninterruptibly();
                    try {
                        if (target.hasBlob(blob)) {
                            presentCount.incrementAndGet();
                        } else {
                            target.putBlob(blob, blobSource);
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
                    throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted", e);
                }
            }
        }
        return new int[] {uploadedCount.get(), presentCount.get()};
    }

    /** Points {@code tag} at the index (already pushed by digest). */
    public static void tag(RegistryClient registry, RegistryClient.Repository target, OciLayout source, Digest index, String tag)
            throws IOException {
        new RegistryTarget(registry, target).tag(tag, describe(source, index, MediaTypes.OCI_INDEX), Files.readAllBytes(source.blob(index)));
    }
}
