package dev.cutter.oci;

import dev.cutter.content.Digest;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Copies an image, digest for digest (the index and every manifest byte-identical), from one
 * place to several: the source is read once into a content store, then each target gets what it
 * lacks (blobs it already holds are skipped; within one registry they are mounted).
 */
public final class Copier {
    private final RegistryClient registry;
    private final OciLayout store;
    private final boolean referrers;

    public Copier(RegistryClient registry, OciLayout store) {
        this(registry, store, true);
    }

    /**
     * @param referrers whether the artifacts referring to the image (SBOMs, provenance, signatures:
     *     {@link Referrers}) go along, digest for digest, with the fallback tags that list them
     */
    public Copier(RegistryClient registry, OciLayout store, boolean referrers) {
        this.registry = registry;
        this.store = store;
        this.referrers = referrers;
    }

    public record Copied(ImageReference target, Digest digest, int blobsSent) {}

    public List<Copied> copy(ImageReference source, List<ImageReference> targets) throws IOException {
        return copy(source, targets, List.of());
    }

    /**
     * As {@link #copy(ImageReference, List)}, narrowed to {@code platforms} when the source is an
     * index: one platform copies that platform's manifest; several copy a new index of just them
     * (its digest then differs from the source's, as it must).
     */
    public List<Copied> copy(ImageReference source, List<ImageReference> targets, List<Platform> platforms) throws IOException {
        return copy(prepare(source, targets, platforms));
    }

    /**
     * A copy whose source is resolved and nothing written yet: its final digest is known, so the
     * tag laws can judge every target before any of them changes ({@link #targetsNow}).
     *
     * @param unchanged every target already holds the source's digest (known from HEADs alone)
     */
    public record Prepared(ImageReference source, List<ImageReference> targets, Descriptor top, OciLayout from,
            boolean unchanged) {
        public Digest digest() {
            return top.digest();
        }
    }

    /** Resolves the source (its manifests only, and the narrowed index) without touching any target. */
    public Prepared prepare(ImageReference source, List<ImageReference> targets, List<Platform> platforms) throws IOException {
        if (!source.layout() && platforms.isEmpty() && targets.stream().noneMatch(ImageReference::layout)) {
            Optional<Descriptor> unchanged = unchanged(source, targets);
            if (unchanged.isPresent()) {
                return new Prepared(source, targets, unchanged.get(), store, true);
            }
        }
        Descriptor top;
        OciLayout from;
        if (source.layout()) {
            from = OciLayout.open(Path.of(source.location()));
            top = from.resolve(source.reference()).orElseThrow(() -> new IOException(source + " does not exist"));
        } else {
            top = Puller.pull(registry, source.repository(), source.reference(), store, false).top();
            from = store;
        }
        if (!platforms.isEmpty() && MediaTypes.isIndex(top.mediaType())) {
            top = narrow(from, top, platforms);
        }
        return new Prepared(source, targets, top, from, false);
    }

    /** What each tag target of a copy points at now (empty: the tag does not exist), read before anything is written. */
    public java.util.Map<ImageReference, Optional<Digest>> targetsNow(Prepared prepared) throws IOException {
        java.util.Map<ImageReference, Optional<Digest>> now = new java.util.LinkedHashMap<>();
        for (ImageReference target : prepared.targets()) {
            if (target.reference().startsWith("sha256:")) {
                continue; // a digest is no tag: it cannot point elsewhere
            }
            now.put(target, prepared.unchanged() ? Optional.of(prepared.digest()) // read by prepare, moments ago
                    : target.target(registry).resolve(target.reference()).map(Descriptor::digest));
        }
        return now;
    }

    /** Copies a prepared source to its targets. */
    public List<Copied> copy(Prepared prepared) throws IOException {
        return copy(prepared, Guard.NONE);
    }

    /**
     * The caller's tag law, asked again just before each tag is written, with what the target's tag
     * points at then: the law judged the targets before anything was written, but a registry has no
     * compare-and-set, and another writer may have tagged since.
     */
    @FunctionalInterface
    public interface Guard {
        Guard NONE = (target, now) -> Optional.empty();

        /** Why {@code target} must not be moved from {@code now} (another digest than the copy's); empty: it may. */
        Optional<String> refusal(ImageReference target, Digest now);
    }

    /** A tag the {@link Guard} refused to move just before it was written; that target is left as it was. */
    public static final class Refused extends RuntimeException {
        public Refused(String message) {
            super(message);
        }
    }

    /** As {@link #copy(Prepared)}, each tag judged again by {@code guard} just before it is written. */
    public List<Copied> copy(Prepared prepared, Guard guard) throws IOException {
        if (prepared.unchanged()) {
            Optional<Referrers.Found> found = referrers(prepared.source(), prepared.top());
            for (ImageReference target : prepared.targets()) { // the image is there; what refers to it may not be yet
                carryReferrers(found, target);
            }
            return prepared.targets().stream().map(t -> new Copied(t, prepared.digest(), 0)).toList();
        }
        ImageReference source = prepared.source();
        List<ImageReference> targets = prepared.targets();
        Descriptor top = prepared.top();
        OciLayout from = prepared.from();
        // each blob is fetched from the source once, and only if some target lacks it
        Map<Digest, java.util.concurrent.CompletableFuture<Path>> fetched = new java.util.concurrent.ConcurrentHashMap<>();
        OciLayout blobsFrom = from;
        Blobs blobs = source.layout() ? from::blob : new Blobs() {
            @Override
            public Path path(Digest digest) throws IOException {
                var mine = new java.util.concurrent.CompletableFuture<Path>();
                var future = fetched.putIfAbsent(digest, mine);
                if (future == null) { // the first target to need it fetches it; the others wait for that
                    try {
                        Puller.fetch(registry, source.repository(), digest, blobsFrom);
                        mine.complete(blobsFrom.blob(digest));
                    } catch (IOException | RuntimeException e) {
                        fetched.remove(digest);
                        mine.completeExceptionally(e);
                    }
                    future = mine;
                }
                try {
                    return future.join();
                } catch (java.util.concurrent.CompletionException e) {
                    if (e.getCause() instanceof IOException io) {
                        throw io;
                    }
                    if (e.getCause() instanceof RuntimeException r) {
                        throw r;
                    }
                    throw new IOException(e.getCause());
                }
            }

            @Override
            public boolean has(Digest digest) {
                return blobsFrom.hasBlob(digest) || registry.blobExists(source.repository(), digest);
            }
        };
        Descriptor image = top;
        Optional<Referrers.Found> found = referrers(source, top); // read once, carried to each target
        List<java.util.concurrent.Future<Copied>> work = new ArrayList<>();
        try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            for (ImageReference target : targets) { // targets in parallel
                work.add(pool.submit(() -> {
                    Copied copied = copyTo(source, target, image, blobsFrom, blobs, guard);
                    carryReferrers(found, target);
                    return copied;
                }));
            }
            List<Copied> copied = new ArrayList<>();
            for (var w : work) {
                copied.add(Awaited.get(w));
            }
            return copied;
        }
    }

    /**
     * What refers to the copied image and to each of its platform manifests in the source
     * ({@link Referrers#find}), read once for all targets; empty when this copier leaves them.
     */
    private Optional<Referrers.Found> referrers(ImageReference source, Descriptor top) throws IOException {
        return referrers ? Optional.of(Referrers.find(source.target(registry), top)) : Optional.empty();
    }

    /** The referrers {@code found} in the source, to {@code to}, digest for digest ({@link Referrers#copy}). */
    private void carryReferrers(Optional<Referrers.Found> found, ImageReference to) throws IOException {
        if (found.isPresent() && !found.get().subjects().isEmpty()) {
            Referrers.carry(found.get(), to.target(registry), false);
        }
    }

    /**
     * A re-run's answer from HEADs alone: the source's digest, then each target's; when every
     * target already holds it, nothing is fetched (HEADs do not count against pull limits).
     */
    private Optional<Descriptor> unchanged(ImageReference source, List<ImageReference> targets) {
        Optional<RegistryClient.ManifestHead> head = registry.headManifest(source.repository(), source.reference());
        if (head.isEmpty() || head.get().digest() == null) {
            return Optional.empty();
        }
        Digest digest = head.get().digest();
        List<java.util.concurrent.Future<Boolean>> checks = new ArrayList<>();
        try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            for (ImageReference target : targets) {
                checks.add(pool.submit(() -> registry.headManifest(target.repository(), target.reference())
                        .map(h -> digest.equals(h.digest())).orElse(false)));
            }
            for (var check : checks) {
                if (!check.get()) {
                    return Optional.empty();
                }
            }
        } catch (java.util.concurrent.ExecutionException e) {
            return Optional.empty(); // the full copy reports the failure with its context
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
        String mediaType = head.get().mediaType() == null || head.get().mediaType().isBlank()
                ? MediaTypes.OCI_MANIFEST : head.get().mediaType(); // only its digest is used: nothing is copied
        return Optional.of(new Descriptor(mediaType, digest, Math.max(0, head.get().size())));
    }

    private Copied copyTo(ImageReference source, ImageReference to, Descriptor top, OciLayout from, Blobs blobs, Guard guard)
            throws IOException {
        ImageTarget target = to.target(registry);
        if (target.resolve(to.reference()).map(d -> d.digest().equals(top.digest())).orElse(false)) {
            return new Copied(to, top.digest(), 0); // already there: one HEAD instead of one per blob
        }
        if (!source.layout()) {
            target = target.mountingFrom(source.location());
        }
        Pusher.Result result = Pusher.push(target, from, blobs, top);
        if (!to.reference().startsWith(Digest.SHA256 + ":")) { // read again: what was judged may have moved during the upload
            Optional<Digest> now = target.resolve(to.reference()).map(Descriptor::digest);
            Optional<String> refusal = now.filter(d -> !d.equals(top.digest())).flatMap(d -> guard.refusal(to, d));
            if (refusal.isPresent()) {
                throw new Refused(refusal.get());
            }
        }
        target.tag(to.reference(), top, from.manifestBytes(top.digest()));
        return new Copied(to, top.digest(), result.blobsUploaded());
    }

    /**
     * The index narrowed to {@code platforms}: one image, that image's manifest; several, a new
     * index of their entries as the source wrote them, each with the attestations that describe
     * it (buildx's unknown/unknown entries), in the source's order. When every entry stays, the
     * index is the source's, byte for byte.
     */
    private static Descriptor narrow(OciLayout layout, Descriptor index, List<Platform> platforms) throws IOException {
        var json = com.fasterxml.jackson.databind.json.JsonMapper.builder().build();
        byte[] bytes = layout.manifestBytes(index.digest());
        ManifestContent content = ManifestContent.parse(bytes, index.mediaType(), layout + "@" + index.digest());
        List<Descriptor> images = content.manifests().stream().filter(m -> m.describes().isEmpty()
                && m.platform().map(p -> platforms.stream().anyMatch(want -> matches(p, want))).orElse(false)).toList();
        if (images.isEmpty()) {
            throw new IOException("the image has none of the platforms " + platforms);
        }
        if (images.size() == 1) {
            Descriptor only = images.get(0);
            return new Descriptor(only.mediaType(), only.digest(), only.size());
        }
        java.util.Set<Digest> kept = new java.util.HashSet<>(images.stream().map(Descriptor::digest).toList());
        var root = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(bytes);
        var entries = json.createArrayNode();
        List<Descriptor> all = content.manifests();
        for (int i = 0; i < all.size(); i++) {
            Descriptor entry = all.get(i);
            if (kept.contains(entry.digest()) || entry.describes().map(kept::contains).orElse(false)) {
                entries.add(root.path("manifests").get(i));
            }
        }
        if (entries.size() == all.size()) {
            return new Descriptor(content.mediaType(), index.digest(), bytes.length);
        }
        root.set("manifests", entries);
        byte[] narrowed = json.writeValueAsBytes(root);
        Digest digest = Digest.sha256(narrowed);
        java.nio.file.Path temp = java.nio.file.Files.createTempFile(layout.root(), ".index", ".tmp");
        try {
            java.nio.file.Files.write(temp, narrowed);
            layout.putBlob(digest, temp);
        } finally {
            java.nio.file.Files.deleteIfExists(temp);
        }
        return new Descriptor(content.mediaType(), digest, narrowed.length);
    }

    /** An entry's platform is the one asked for: os and architecture equal, and the variant when one is asked. */
    private static boolean matches(Platform entry, Platform want) {
        return entry.os().equals(want.os()) && entry.architecture().equals(want.architecture())
                && want.variant().map(v -> v.equals(entry.variant().orElse(""))).orElse(true);
    }

    /**
     * Every blob under {@code top} that {@code layout} holds, parts before the whole: what a copy
     * of it must carry. A non-distributable layer the layout does not hold is not among them.
     */
    public static List<Digest> reachable(OciLayout layout, Descriptor top) throws IOException {
        Pusher.Walk walk = Pusher.walk(layout, top);
        List<Digest> out = new ArrayList<>();
        for (Descriptor blob : walk.blobs().values()) {
            if (!MediaTypes.isNonDistributable(blob.mediaType()) || layout.hasBlob(blob.digest())) {
                out.add(blob.digest());
            }
        }
        walk.manifests().forEach(m -> out.add(m.digest()));
        return out;
    }
}
