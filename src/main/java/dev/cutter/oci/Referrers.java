package dev.cutter.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cutter.content.Digest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Artifacts that refer to an image (SBOMs, provenance, signatures), as the OCI 1.1 image and
 * distribution specs attach them: an artifact manifest with {@code artifactType} and a
 * {@code subject} naming the image's manifest, found through the registry's referrers API or,
 * where a registry has none (docker-registry 2.8, OCI layouts), through the referrers tag schema:
 * an index tagged {@code sha256-<hex of the subject>} listing every referrer with its artifact
 * type and annotations. Cutter writes that tag always, so tools reading either way find them.
 * cosign's own tags beside an image ({@code sha256-<hex>.sig}, {@code .att}, {@code .sbom}) travel
 * with the referrers.
 */
public final class Referrers {
    /** The empty config ({@code {}}) artifacts without a config of their own carry. */
    static final byte[] EMPTY = "{}".getBytes(StandardCharsets.UTF_8);
    static final Digest EMPTY_DIGEST = Digest.sha256(EMPTY);

    /** How deep referrers of referrers are followed (a signature of an SBOM of an image is 2). */
    private static final int MAX_DEPTH = 4;

    private Referrers() {}

    /** One referrer: its manifest's descriptor (annotations included) and its artifact type. */
    public record Referrer(Descriptor manifest, String artifactType) {}

    /** The referrers tag schema's tag for {@code subject}: {@code <algorithm>-<hex>}, at most 128 characters. */
    public static String fallbackTag(Digest subject) {
        String tag = subject.algorithm() + "-" + subject.hex();
        return tag.length() > 128 ? tag.substring(0, 128) : tag;
    }

    /**
     * Attaches {@code content} to {@code subject} in {@code target}: the blob, the empty config, the
     * artifact manifest by digest, then the subject's fallback index with the new entry (nothing
     * changes when an equal artifact is there already). Returns the artifact manifest's descriptor.
     */
    public static Descriptor attach(ImageTarget target, Descriptor subject, String artifactType, String layerMediaType,
            byte[] content, Map<String, String> annotations) throws IOException {
        Path temp = Files.createTempFile("referrer", ".blob");
        try {
            Files.write(temp, content);
            Digest blob = Digest.sha256(content);
            Path empty = Files.createTempFile("referrer", ".empty");
            try {
                Files.write(empty, EMPTY);
                target.putBlob(EMPTY_DIGEST, d -> empty);
                target.putBlob(blob, d -> temp);
            } finally {
                Files.deleteIfExists(empty);
            }
            byte[] manifest = manifest(subject, artifactType, new Descriptor(layerMediaType, blob, content.length), annotations);
            Descriptor descriptor = new Descriptor(MediaTypes.OCI_MANIFEST, Digest.sha256(manifest), manifest.length, Optional.empty(),
                    annotations);
            target.putManifest(descriptor, manifest);
            index(target, subject.digest(), List.of(new Referrer(descriptor, artifactType)));
            return descriptor;
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** An artifact manifest: the empty config, one layer, the subject, the artifact type and annotations. */
    static byte[] manifest(Descriptor subject, String artifactType, Descriptor layer, Map<String, String> annotations) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("schemaVersion", 2);
        root.put("mediaType", MediaTypes.OCI_MANIFEST);
        root.put("artifactType", artifactType);
        root.set("config", new Descriptor(MediaTypes.OCI_EMPTY, EMPTY_DIGEST, EMPTY.length).toJson());
        root.putArray("layers").add(layer.toJson());
        root.set("subject", new Descriptor(subject.mediaType(), subject.digest(), subject.size()).toJson());
        if (!annotations.isEmpty()) {
            root.set("annotations", CanonicalJson.object(annotations));
        }
        return CanonicalJson.bytes(root);
    }

    /**
     * The referrers of {@code subject} in {@code target}: the registry's referrers API when it
     * answers, else the fallback tag's index; none when neither has any.
     */
    public static List<Referrer> list(ImageTarget target, Digest subject) throws IOException {
        return list(target, subject, Optional.empty());
    }

    /** As {@link #list(ImageTarget, Digest)}, the fallback tag looked for in {@code tags} (the target's, listed once) when given. */
    private static List<Referrer> list(ImageTarget target, Digest subject, Optional<java.util.Set<String>> tags) throws IOException {
        Optional<byte[]> index = target.referrers(subject);
        if (index.isEmpty()) {
            if (tags.isPresent() && !tags.get().contains(fallbackTag(subject))) {
                return List.of();
            }
            Optional<Descriptor> tagged = target.resolve(fallbackTag(subject));
            if (tagged.isEmpty()) {
                return List.of();
            }
            index = target.getManifest(tagged.get().digest());
            if (index.isEmpty()) {
                return List.of();
            }
        }
        return entries(index.get(), target + ":" + fallbackTag(subject));
    }

    private static List<Referrer> entries(byte[] index, String where) throws IOException {
        JsonNode root = CanonicalJson.read(index);
        List<Referrer> out = new ArrayList<>();
        for (JsonNode entry : root.path("manifests")) {
            try {
                Descriptor d = Descriptor.fromJson(entry);
                out.add(new Referrer(d, entry.path("artifactType").asText(d.mediaType())));
            } catch (IllegalArgumentException e) {
                throw new IOException(where + ": " + e.getMessage(), e);
            }
        }
        return out;
    }

    /**
     * Adds {@code added} to the fallback index of {@code subject} in {@code target} (those already
     * listed stay as they are): read, merged, written under the tag. Nothing is written when every
     * one is listed already.
     */
    public static void index(ImageTarget target, Digest subject, List<Referrer> added) throws IOException {
        String tag = fallbackTag(subject);
        Map<Digest, ObjectNode> entries = new LinkedHashMap<>();
        Optional<Descriptor> tagged = target.resolve(tag);
        if (tagged.isPresent()) {
            Optional<byte[]> bytes = target.getManifest(tagged.get().digest());
            if (bytes.isPresent()) {
                for (JsonNode entry : CanonicalJson.read(bytes.get()).path("manifests")) {
                    entries.put(Digest.parse(entry.path("digest").asText()), (ObjectNode) entry);
                }
            }
        }
        boolean changed = false;
        for (Referrer r : added) {
            if (entries.containsKey(r.manifest().digest())) {
                continue;
            }
            ObjectNode entry = JsonNodeFactory.instance.objectNode();
            entry.put("mediaType", r.manifest().mediaType());
            entry.put("digest", r.manifest().digest().toString());
            entry.put("size", r.manifest().size());
            entry.put("artifactType", r.artifactType());
            if (!r.manifest().annotations().isEmpty()) {
                entry.set("annotations", CanonicalJson.object(r.manifest().annotations()));
            }
            entries.put(r.manifest().digest(), entry);
            changed = true;
        }
        if (!changed) {
            return;
        }
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("schemaVersion", 2);
        root.put("mediaType", MediaTypes.OCI_INDEX);
        ArrayNode manifests = root.putArray("manifests");
        entries.values().forEach(manifests::add);
        byte[] bytes = CanonicalJson.bytes(root);
        Descriptor descriptor = new Descriptor(MediaTypes.OCI_INDEX, Digest.sha256(bytes), bytes.length);
        target.putManifest(descriptor, bytes);
        target.tag(tag, descriptor, bytes);
    }

    /** The annotation naming an in-toto artifact's predicate type, as cosign and in-toto tools read it. */
    public static final String PREDICATE_TYPE = "in-toto.io/predicate-type";

    /**
     * The referrers of an image ({@code top}, and each platform manifest of an index, whose bytes
     * {@code from} holds) from {@code from} to {@code to}, as {@link #copy} copies them.
     *
     * @param firstStays a referrer of the same kind (artifact type and predicate type) as one
     *     {@code to} already has for that subject is left out: a publication's provenance made by
     *     another run of the same digest does not pile up beside the first
     * @return how many artifact manifests were sent
     */
    public static int carry(ImageTarget from, ImageTarget to, Descriptor top, boolean firstStays) throws IOException {
        return carry(find(from, top), to, firstStays);
    }

    /**
     * The subjects of an image (the image and each platform manifest of an index) that something
     * refers to in {@code from}: found once, then carried to each target ({@link #carry(Found,
     * ImageTarget, boolean)}), so a target is looked at only for what the source has and an image
     * nothing refers to costs its targets no request (a mirror's re-run then only reads manifests).
     */
    public record Found(ImageTarget from, List<Digest> subjects, Optional<java.util.Set<String>> tags) {
        /** {@code tags}: the source's tags, listed once (empty when it refused the listing), which the copies look tags up in. */
        public Found {
            subjects = List.copyOf(subjects);
            tags = tags.map(java.util.Set::copyOf);
        }
    }

    /**
     * What refers to {@code top} and its platform manifests in {@code from}: the registry's
     * referrers API where it answers, the referrers tag schema's tag and cosign's tags otherwise.
     * The tags are read with one listing of the repository rather than looked up one by one (four
     * lookups for each of an index's subjects); where the listing is refused, each is looked up.
     */
    public static Found find(ImageTarget from, Descriptor top) throws IOException {
        Optional<java.util.Set<String>> tags;
        try {
            tags = Optional.of(new java.util.HashSet<>(from.tags()));
        } catch (RegistryException e) {
            tags = Optional.empty(); // a registry that lists no tags to this login: each tag looked up
        }
        if (tags.isPresent() && tags.get().stream().noneMatch(t -> t.startsWith("sha256-") || t.startsWith("sha512-"))
                && from.referrers(top.digest()).isEmpty()) {
            return new Found(from, List.of(), tags); // no referrers API, and none of the tags either way would write
        }
        List<Digest> subjects = new ArrayList<>(List.of(top.digest()));
        if (MediaTypes.isIndex(top.mediaType())) {
            Optional<byte[]> index = from.getManifest(top.digest());
            if (index.isPresent()) {
                ManifestContent.parse(index.get(), top.mediaType(), from + "@" + top.digest()).manifests()
                        .forEach(m -> subjects.add(m.digest()));
            }
        }
        List<Digest> found = new ArrayList<>();
        for (Digest subject : subjects) {
            if (referred(from, subject, tags)) {
                found.add(subject);
            }
        }
        return new Found(from, found, tags);
    }

    /** Whether anything refers to {@code subject} in {@code from}: referrers (API or fallback tag) or a cosign tag. */
    private static boolean referred(ImageTarget from, Digest subject, Optional<java.util.Set<String>> tags) throws IOException {
        Optional<byte[]> api = from.referrers(subject);
        if (api.isPresent() ? !entries(api.get(), from + ": the referrers of " + subject).isEmpty()
                : tagged(from, fallbackTag(subject), tags)) {
            return true;
        }
        for (String suffix : COSIGN_SUFFIXES) {
            if (tagged(from, fallbackTag(subject) + suffix, tags)) {
                return true;
            }
        }
        return false;
    }

    private static boolean tagged(ImageTarget from, String tag, Optional<java.util.Set<String>> tags) throws IOException {
        return tags.isPresent() ? tags.get().contains(tag) : from.resolve(tag).isPresent();
    }

    /**
     * The referrers {@code found} lists, from its source to {@code to}, as {@link #copy} copies them:
     * the subjects at once, each with its own fallback tag, so an index's platform manifests do not
     * wait for one another's round trips.
     */
    public static int carry(Found found, ImageTarget to, boolean firstStays) throws IOException {
        return each(found.subjects(), subject -> copy(found.from(), to, subject, firstStays, found.tags()));
    }

    /** How many subjects, or referrers of one subject, are copied at once: as many as the blobs of one image ({@link Pusher#BLOB_PARALLELISM}). */
    private static final int PARALLELISM = Pusher.BLOB_PARALLELISM;

    /** A copy of one subject or referrer, returning how many artifact manifests it sent. */
    private interface Sending<T> {
        int send(T item) throws IOException;
    }

    /**
     * {@code sending} of each of {@code items}, {@link #PARALLELISM} at a time, each on its own
     * thread; the sum of what they sent. The first failure is thrown once all have ended, so no
     * copy is left running behind it.
     */
    private static <T> int each(List<T> items, Sending<T> sending) throws IOException {
        if (items.size() <= 1) {
            return items.isEmpty() ? 0 : sending.send(items.get(0));
        }
        java.util.concurrent.Semaphore slots = new java.util.concurrent.Semaphore(PARALLELISM);
        List<java.util.concurrent.Future<Integer>> work = new ArrayList<>();
        try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            for (T item : items) {
                work.add(pool.submit(() -> {
                    slots.acquireUninterruptibly();
                    try {
                        return sending.send(item);
                    } finally {
                        slots.release();
                    }
                }));
            }
            int sent = 0;
            for (var w : work) {
                sent += Awaited.get(w);
            }
            return sent;
        }
    }

    /** Two referrers of one kind: the same artifact type and, for in-toto statements, the same predicate type. */
    static boolean sameKind(Referrer a, Referrer b) {
        return a.artifactType().equals(b.artifactType())
                && java.util.Objects.equals(a.manifest().annotations().get(PREDICATE_TYPE), b.manifest().annotations().get(PREDICATE_TYPE));
    }

    /**
     * Copies the referrers of {@code subject} (and theirs, a signature of an SBOM) from {@code from}
     * to {@code to}, digest for digest: each artifact's blobs and manifest, then the subject's
     * fallback index in {@code to}, merged with what is there; {@code to}'s own are kept. With
     * {@code firstStays}, see {@link #carry}. Returns how many artifact manifests were sent.
     */
    public static int copy(ImageTarget from, ImageTarget to, Digest subject, boolean firstStays) throws IOException {
        return copy(from, to, subject, firstStays, Optional.empty());
    }

    /** As {@link #copy(ImageTarget, ImageTarget, Digest, boolean)}, {@code from}'s tags looked up in {@code tags} when given. */
    private static int copy(ImageTarget from, ImageTarget to, Digest subject, boolean firstStays, Optional<java.util.Set<String>> tags)
            throws IOException {
        return copy(from, to, subject, firstStays, 0, tags) + cosignTags(from, to, subject, tags);
    }

    /**
     * The tags cosign keeps beside an image: its signatures, attestations and SBOM, tagged
     * {@code sha256-<hex of the subject>} with {@code .sig}, {@code .att} or {@code .sbom}.
     */
    public static final List<String> COSIGN_SUFFIXES = List.of(".sig", ".att", ".sbom");

    /**
     * Copies cosign's tags of {@code subject} that {@code to} lacks, with what they name; a tag
     * {@code to} has already stays as it is (its first signature is kept). Returns how many
     * manifests were sent.
     */
    private static int cosignTags(ImageTarget from, ImageTarget to, Digest subject, Optional<java.util.Set<String>> tags)
            throws IOException {
        int sent = 0;
        for (String suffix : COSIGN_SUFFIXES) {
            String tag = fallbackTag(subject) + suffix;
            if (tags.isPresent() && !tags.get().contains(tag)) {
                continue; // the listing has no such tag: not asked for
            }
            Optional<Descriptor> tagged = from.resolve(tag);
            if (tagged.isEmpty() || to.resolve(tag).isPresent()) {
                continue;
            }
            Digest digest = tagged.get().digest();
            byte[] bytes = from.getManifest(digest).orElseThrow(() -> new IOException(from + ":" + tag + " names " + digest
                    + " but does not have it"));
            ManifestContent content = ManifestContent.parse(bytes, tagged.get().mediaType(), from + ":" + tag);
            Descriptor manifest = new Descriptor(content.mediaType(), digest, bytes.length);
            if (to.resolve(digest.toString()).isEmpty()) {
                send(from, to, content, manifest, bytes);
                sent++;
            }
            to.tag(tag, manifest, bytes);
        }
        return sent;
    }

    /** The blobs {@code to} lacks of a manifest, then the manifest by digest. */
    private static void send(ImageTarget from, ImageTarget to, ManifestContent content, Descriptor manifest, byte[] bytes)
            throws IOException {
        for (Descriptor part : content.parts()) {
            if (!to.hasBlob(part.digest())) {
                Path temp = Files.createTempFile("referrer", ".blob");
                try {
                    Files.delete(temp);
                    from.getBlob(part.digest(), temp);
                    to.putBlob(part.digest(), d -> temp);
                } finally {
                    Files.deleteIfExists(temp);
                }
            }
        }
        to.putManifest(manifest, bytes);
    }

    private static int copy(ImageTarget from, ImageTarget to, Digest subject, boolean firstStays, int depth,
            Optional<java.util.Set<String>> tags) throws IOException {
        if (depth >= MAX_DEPTH) {
            return 0;
        }
        List<Referrer> ours = list(from, subject, tags);
        if (ours.isEmpty()) {
            return 0; // nothing to carry: the target is not asked
        }
        List<Referrer> theirs = list(to, subject);
        List<Referrer> referrers = ours.stream().filter(r -> !firstStays || theirs.stream().noneMatch(
                t -> sameKind(t, r) && !t.manifest().digest().equals(r.manifest().digest()))).toList();
        if (referrers.isEmpty()) {
            return 0;
        }
        // each referrer and what refers to it at once; the subject's fallback index once, after all of them
        int sent = each(referrers, r -> {
            int mine = 0;
            if (theirs.stream().noneMatch(t -> t.manifest().digest().equals(r.manifest().digest()))
                    && to.resolve(r.manifest().digest().toString()).isEmpty()) {
                byte[] bytes = from.getManifest(r.manifest().digest()).orElseThrow(() -> new IOException(
                        from + " lists " + r.manifest().digest() + " as a referrer of " + subject + " but does not have it"));
                ManifestContent content = ManifestContent.parse(bytes, r.manifest().mediaType(), from + "@" + r.manifest().digest());
                send(from, to, content, new Descriptor(content.mediaType(), r.manifest().digest(), bytes.length), bytes);
                mine++;
            }
            return mine + copy(from, to, r.manifest().digest(), firstStays, depth + 1, tags);
        });
        index(to, subject, referrers);
        return sent;
    }
}
