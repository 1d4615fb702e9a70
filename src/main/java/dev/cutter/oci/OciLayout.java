package dev.cutter.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cutter.content.Digest;
import dev.cutter.content.TreeLock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A directory in the OCI image layout format: {@code oci-layout}, {@code blobs/<alg>/<hex>} and
 * {@code index.json}, whose entries are named by the {@code org.opencontainers.image.ref.name}
 * annotation. The target a first release needs no registry for; skopeo and umoci read it as
 * {@code oci:DIR:TAG}.
 *
 * <p>Every file is written under a temporary name and renamed into place, so a killed process
 * leaves the old or the new {@code index.json}, and a blob under its own digest or not at all.
 * Changes to {@code index.json} are serialised between threads and, through a lock on
 * {@code index.json.lock}, between processes. Its entries are kept sorted by ref name, so the
 * same tags give the same bytes.
 *
 * <p>Law 3 (versions are immutable) is not enforced here: {@link #tag} moves a tag, and it is for
 * the caller to decide whether that tag may move.
 */
public final class OciLayout {
    /** The annotation that names an entry of {@code index.json}. */
    public static final String REF_NAME = "org.opencontainers.image.ref.name";
    static final String LAYOUT_FILE = "oci-layout";
    static final String INDEX_FILE = "index.json";
    static final String LOCK_FILE = "index.json.lock";
    static final byte[] LAYOUT_BYTES = "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8);

    /** The grammar of ref names in the image spec's annotations.md. */
    private static final Pattern REF = Pattern.compile(
            "[A-Za-z0-9]+(?:(?:[-._:@+]|--)[A-Za-z0-9]+)*(?:/[A-Za-z0-9]+(?:(?:[-._:@+]|--)[A-Za-z0-9]+)*)*");

    private final Path root;
    private final BlobDir sha256;

    private OciLayout(Path root, BlobDir sha256) {
        this.root = root;
        this.sha256 = sha256;
    }

    /**
     * Opens the layout at {@code dir}, creating it (and the directory) when there is none. Refuses a
     * directory that has other files but no {@code oci-layout}, or a layout of another major version.
     */
    public static OciLayout open(Path dir) throws IOException {
        Path root = Files.createDirectories(dir.toAbsolutePath().normalize()).toRealPath();
        return locked(root, () -> {
            Path layoutFile = root.resolve(LAYOUT_FILE);
            if (Files.exists(layoutFile)) {
                checkVersion(layoutFile);
            } else {
                try (Stream<Path> children = Files.list(root)) {
                    List<String> others = children.map(child -> child.getFileName().toString())
                            .filter(name -> !name.equals(LOCK_FILE) && !name.startsWith(BlobDir.TEMP_PREFIX))
                            .sorted().toList();
                    if (!others.isEmpty()) {
                        throw new OciLayoutException(root, "not an OCI image layout (no oci-layout file) and not empty ("
                                + String.join(", ", others.subList(0, Math.min(3, others.size())))
                                + (others.size() > 3 ? ", …" : "") + "); choose an empty or new directory");
                    }
                }
                replace(root, LAYOUT_FILE, LAYOUT_BYTES);
            }
            BlobDir sha256 = new BlobDir(root.resolve("blobs").resolve(Digest.SHA256));
            if (!Files.exists(root.resolve(INDEX_FILE))) {
                writeIndex(root, emptyIndex());
            }
            return new OciLayout(root, sha256);
        });
    }

    public Path root() {
        return root;
    }

    /** The directory of sha256 blobs, named by hex: where layers and images can be built in place. */
    public Path blobs() {
        return sha256.dir();
    }

    /** Where the blob with {@code digest} is, or would be. */
    public Path blob(Digest digest) {
        return root.resolve("blobs").resolve(digest.algorithm()).resolve(digest.hex());
    }

    public boolean hasBlob(Digest digest) {
        return Files.isRegularFile(blob(digest));
    }

    /**
     * The manifest or index {@code digest}, read whole: only up to {@link ManifestContent#MAX_SIZE}
     * (what registries accept for one), and only when it is the content its digest names. A layout
     * another tool wrote, or one a user names, is input: its index may call any blob a manifest.
     */
    public byte[] manifestBytes(Digest digest) throws IOException {
        Path file = blob(digest);
        if (!Files.isRegularFile(file)) {
            throw new OciLayoutException(file, "is named as a manifest but is not among the layout's blobs");
        }
        long size = Files.size(file);
        if (size > ManifestContent.MAX_SIZE) {
            throw new OciLayoutException(file, "is named as a manifest but has " + size + " bytes; a manifest of at most "
                    + (ManifestContent.MAX_SIZE >> 20) + " MiB is read, as registries accept");
        }
        byte[] bytes = Files.readAllBytes(file);
        Digest actual = Digest.sha256(bytes);
        if (!actual.equals(digest)) {
            throw new DigestMismatchException("the manifest stored as " + digest + " in " + root, digest, actual);
        }
        return bytes;
    }

    /**
     * Copies {@code source} in as the blob {@code digest}, verifying the digest while copying; a
     * source with other content is refused with {@link DigestMismatchException} and nothing is stored.
     *
     * @return false when the blob was already there (nothing copied), true when it was copied
     */
    public boolean putBlob(Digest digest, Path source) throws IOException {
        BlobDir blobs = digest.algorithm().equals(Digest.SHA256) ? sha256 : new BlobDir(blob(digest).getParent());
        return blobs.copy(digest, source);
    }

    /**
     * Takes the file {@code source} in as the blob {@code digest} by renaming it, when it is on this
     * layout's filesystem (else copies it): for a blob a builder wrote into its own OCI layout,
     * named by its digest, and will not read again. Neither written nor hashed a second time; see
     * {@link BlobDir#adopt} for where its digest is checked.
     *
     * @return false when the blob was already there (the file is then left as it was)
     */
    public boolean adoptBlob(Digest digest, Path source) throws IOException {
        BlobDir blobs = digest.algorithm().equals(Digest.SHA256) ? sha256 : new BlobDir(blob(digest).getParent());
        return blobs.adopt(digest, source);
    }

    /**
     * Stores small content (a manifest, an index) as the sha256 blob {@code digest}, written in the
     * blob directory and renamed into place; content with another digest is refused with
     * {@link DigestMismatchException} and nothing is stored.
     *
     * @return false when the blob was already there
     */
    public boolean putBlob(Digest digest, byte[] bytes) throws IOException {
        Digest actual = Digest.sha256(bytes);
        if (!actual.equals(digest)) {
            throw new DigestMismatchException("the content stored as " + digest, digest, actual);
        }
        if (sha256.has(digest)) {
            return false;
        }
        sha256.write(MediaTypes.OCI_MANIFEST, bytes); // the media type is the caller's to record; a blob is bytes
        return true;
    }

    /**
     * Fetches a blob straight into the layout: {@code writer} fills a temporary file in the blob
     * directory and checks its digest; it is then renamed into place, never copied twice.
     */
    public void fetchBlob(Digest digest, BlobWriter writer) throws IOException {
        if (hasBlob(digest)) {
            return;
        }
        Path temp = sha256.temp();
        try {
            Files.deleteIfExists(temp);
            writer.write(temp);
            sha256.commit(temp, digest);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** Writes a blob's bytes into a new file, checking them against the digest on the way. */
    @FunctionalInterface
    public interface BlobWriter {
        void write(Path target) throws IOException;
    }

    /** The descriptor {@code tag} names, without its ref name annotation. */
    public Optional<Descriptor> resolve(String tag) throws IOException {
        checkTag(tag);
        List<JsonNode> found = new ArrayList<>();
        for (JsonNode entry : manifests(readIndex(root))) {
            if (tag.equals(refName(entry))) {
                found.add(entry);
            }
        }
        if (found.size() > 1) {
            throw new OciLayoutException(root.resolve(INDEX_FILE), found.size() + " entries are named " + tag
                    + "; remove all but one (cutter untags all of them)");
        }
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Descriptor descriptor = descriptor(found.getFirst());
        TreeMap<String, String> annotations = new TreeMap<>(descriptor.annotations());
        annotations.remove(REF_NAME);
        return Optional.of(descriptor.withAnnotations(annotations));
    }

    /**
     * Points {@code tag} at {@code descriptor}, replacing what it pointed at. The blob must be in
     * the layout already (put blobs first, then manifests, then the index, then the tag), so a tag
     * never names a missing blob.
     */
    public void tag(String tag, Descriptor descriptor) throws IOException {
        checkTag(tag);
        Path blob = blob(descriptor.digest());
        if (!Files.isRegularFile(blob)) {
            throw new IllegalArgumentException("cannot tag " + tag + " as " + descriptor.digest()
                    + ": the blob is not in " + root + "; put the image's blobs first");
        }
        if (Files.size(blob) != descriptor.size()) {
            throw new IllegalArgumentException("cannot tag " + tag + " as " + descriptor.digest() + ": the descriptor says "
                    + descriptor.size() + " bytes, the blob has " + Files.size(blob));
        }
        TreeMap<String, String> annotations = new TreeMap<>(descriptor.annotations());
        annotations.put(REF_NAME, tag);
        ObjectNode entry = descriptor.withAnnotations(annotations).toJson();
        locked(root, () -> {
            ObjectNode index = readIndex(root);
            List<JsonNode> entries = new ArrayList<>();
            manifests(index).forEach(existing -> {
                if (!tag.equals(refName(existing))) {
                    entries.add(existing);
                }
            });
            entries.add(entry);
            writeIndex(root, withManifests(index, entries));
            return null;
        });
    }

    /**
     * Removes {@code tag}; its blobs stay (a later garbage collection may remove them).
     *
     * @return whether the tag was there
     */
    public boolean untag(String tag) throws IOException {
        checkTag(tag);
        return locked(root, () -> {
            ObjectNode index = readIndex(root);
            List<JsonNode> kept = new ArrayList<>();
            manifests(index).forEach(existing -> {
                if (!tag.equals(refName(existing))) {
                    kept.add(existing);
                }
            });
            if (kept.size() == manifests(index).size()) {
                return false;
            }
            writeIndex(root, withManifests(index, kept));
            return true;
        });
    }

    /** The ref names in {@code index.json}, sorted. */
    public List<String> tags() throws IOException {
        List<String> tags = new ArrayList<>();
        for (JsonNode entry : manifests(readIndex(root))) {
            String name = refName(entry);
            if (name != null) {
                tags.add(name);
            }
        }
        return tags.stream().sorted().toList();
    }

    @Override
    public String toString() {
        return "oci:" + root;
    }

    private static void checkTag(String tag) {
        if (tag == null || !REF.matcher(tag).matches()) {
            throw new IllegalArgumentException("'" + tag + "' is not a valid ref name in an OCI layout;"
                    + " use letters, digits and separators - . _ : @ + between them, e.g. 1.7.8 or latest");
        }
    }

    private static void checkVersion(Path layoutFile) throws IOException {
        JsonNode layout;
        try {
            layout = CanonicalJson.read(readWhole(layoutFile, ManifestContent.MAX_SIZE));
        } catch (IOException e) {
            throw new OciLayoutException(layoutFile, "is not JSON (" + e.getMessage() + ")", e);
        }
        String version = layout.path("imageLayoutVersion").asText("");
        if (!version.startsWith("1.")) {
            throw new OciLayoutException(layoutFile, "image layout version '" + version + "' is not supported; Cutter reads 1.x");
        }
    }

    private static ObjectNode emptyIndex() {
        ObjectNode index = JsonNodeFactory.instance.objectNode();
        index.put("schemaVersion", 2);
        index.put("mediaType", MediaTypes.OCI_INDEX);
        index.putArray("manifests");
        return index;
    }

    /**
     * A layout's own small file ({@code oci-layout}, {@code index.json}), read whole only up to
     * {@code limit}: a layout another tool wrote, or one a user names, is input.
     */
    private static byte[] readWhole(Path file, long limit) throws IOException {
        long size = Files.size(file);
        if (size > limit) {
            throw new OciLayoutException(file, "has " + size + " bytes; Cutter reads at most " + (limit >> 20) + " MiB of it");
        }
        return Files.readAllBytes(file);
    }

    private static ObjectNode readIndex(Path root) throws IOException {
        Path file = root.resolve(INDEX_FILE);
        JsonNode index;
        try {
            index = CanonicalJson.read(readWhole(file, ImageTarget.DOCUMENT_LIMIT));
        } catch (NoSuchFileException e) {
            throw new OciLayoutException(file, "missing; open the layout with Cutter to create it", e);
        } catch (IOException e) {
            throw new OciLayoutException(file, "is not JSON (" + e.getMessage() + ")", e);
        }
        if (!(index instanceof ObjectNode object) || (index.has("manifests") && !index.get("manifests").isArray())) {
            throw new OciLayoutException(file, "is not an image index (an object with a \"manifests\" array)");
        }
        for (JsonNode entry : manifests(object)) {
            try {
                Descriptor.fromJson(entry);
            } catch (IllegalArgumentException e) {
                throw new OciLayoutException(file, "has an entry that is not a descriptor: " + e.getMessage(), e);
            }
        }
        return object;
    }

    private static List<JsonNode> manifests(JsonNode index) {
        List<JsonNode> entries = new ArrayList<>();
        index.path("manifests").forEach(entries::add);
        return entries;
    }

    private static Descriptor descriptor(JsonNode entry) {
        return Descriptor.fromJson(entry);
    }

    private static String refName(JsonNode entry) {
        JsonNode name = entry.path("annotations").get(REF_NAME);
        return name == null || !name.isTextual() ? null : name.textValue();
    }

    /**
     * The index with its entries sorted by ref name (unnamed ones, which other tools may add, first
     * and in their order); other fields of the index and of its entries are kept as they were.
     */
    private static ObjectNode withManifests(ObjectNode index, List<JsonNode> entries) {
        ObjectNode copy = index.deepCopy();
        ArrayNode manifests = copy.putArray("manifests");
        entries.stream()
                .sorted(Comparator.comparing((JsonNode entry) -> Optional.ofNullable(refName(entry)).orElse("")))
                .forEach(manifests::add);
        return copy;
    }

    private static void writeIndex(Path root, ObjectNode index) throws IOException {
        replace(root, INDEX_FILE, CanonicalJson.bytes(index));
    }

    /** Writes {@code name} in {@code root} whole: temporary file, sync, atomic rename, as blobs are written. */
    private static void replace(Path root, String name, byte[] bytes) throws IOException {
        Path temp = BlobDir.temp(root);
        try {
            Files.write(temp, bytes);
            BlobDir.sync(temp);
            BlobDir.moveAtomically(temp, root.resolve(name));
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private interface Action<T> {
        T run() throws IOException;
    }

    @SuppressWarnings("try") // the lock is held, not used, for the duration of the block
    private static <T> T locked(Path root, Action<T> action) throws IOException {
        try (TreeLock lock = TreeLock.acquire(root.resolve(LOCK_FILE))) {
            return action.run();
        }
    }
}
