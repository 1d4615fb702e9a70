package dev.cutter.oci;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.cutter.content.Digest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a manifest or an index points at, read once and checked: an index's entries, or a
 * manifest's config and layers. The bytes are not trusted: JSON that is not an object, a
 * descriptor without a valid digest or size, an index entry naming an impossible platform are one
 * {@link RegistryException} naming where the manifest came from, never a NullPointerException or a
 * blob fetched under a made-up digest.
 *
 * <p>Its media type is what the bytes say. The image spec makes {@code mediaType} optional (umoci
 * leaves it out); without it the shape tells, as containerd and the registries read it: a
 * {@code manifests} list is an index, a {@code config} (or {@code layers}) an image manifest, and
 * both at once is refused (the ambiguity registries refuse since CVE-2021-41190). The type it was
 * served or described with counts only where it agrees with that shape; else it is the OCI type.
 * An artifact (its {@code artifactType}, a {@code subject}, the empty config) is an image manifest
 * here: Cutter carries its blobs as any other.
 *
 * @param mediaType the manifest's own {@code mediaType}, else as described above
 * @param manifests an index's entries (empty for a manifest)
 * @param config a manifest's config (empty for an index)
 * @param layers a manifest's layers (empty for an index)
 */
public record ManifestContent(String mediaType, List<Descriptor> manifests, Optional<Descriptor> config,
                              List<Descriptor> layers) {

    /** The most entries an index or layers a manifest may list (registries keep far fewer). */
    static final int MAX_ENTRIES = 10_000;
    private static final String SCHEMA1 = "application/vnd.docker.distribution.manifest.v1+";

    public ManifestContent {
        manifests = List.copyOf(manifests);
        layers = List.copyOf(layers);
    }

    public boolean isIndex() {
        return MediaTypes.isIndex(mediaType);
    }

    /** The config and layers of a manifest, config first. */
    public List<Digest> blobs() {
        return parts().stream().map(Descriptor::digest).toList();
    }

    /** The descriptors of a manifest's config and layers, config first (their media types tell which layers may stay behind). */
    public List<Descriptor> parts() {
        List<Descriptor> parts = new ArrayList<>();
        config.ifPresent(parts::add);
        parts.addAll(layers);
        return parts;
    }

    /** The most a manifest or index may weigh, read whole: what docker-registry and most registries accept (4 MiB). */
    public static final int MAX_SIZE = 4 << 20;

    /**
     * Reads {@code bytes}, served or described as {@code contentType} (a hint; may be empty), as a
     * manifest or an index.
     *
     * @param where the URL or reference the bytes came from, named in the error
     * @throws RegistryException (not retryable) when the bytes are not a manifest or index Cutter can copy
     */
    public static ManifestContent parse(byte[] bytes, String contentType, String where) {
        JsonNode root;
        try {
            root = CanonicalJson.read(bytes);
        } catch (JacksonException e) {
            throw bad(where, "is not JSON (" + e.getOriginalMessage() + ")");
        } catch (IOException e) {
            throw bad(where, "is not JSON (" + e.getMessage() + ")");
        }
        if (!root.isObject()) {
            throw bad(where, "is not a JSON object");
        }
        JsonNode declared = root.get("mediaType");
        if (declared != null && !declared.isTextual()) {
            throw bad(where, "has a mediaType that is not a string");
        }
        boolean listsManifests = root.has("manifests");
        boolean hasImage = root.has("config") || root.has("layers");
        String served = contentType == null ? "" : contentType.split(";", 2)[0].strip();
        String mediaType;
        if (declared != null) {
            mediaType = declared.asText();
            if (!MediaTypes.isIndex(mediaType) && !MediaTypes.isManifest(mediaType)) {
                throw mediaType.startsWith(SCHEMA1) ? schema1(where) : unsupported(where, "has mediaType '" + mediaType
                        + "', which is neither an image manifest nor an index");
            }
            if (MediaTypes.isIndex(mediaType) ? hasImage : listsManifests) {
                throw bad(where, "says it is " + mediaType + " but is shaped as " + (hasImage ? "an image manifest" : "an index"));
            }
        } else if (listsManifests && hasImage) {
            throw bad(where, "has both 'manifests' and 'config' or 'layers', and no mediaType to tell an index from an image manifest");
        } else if (listsManifests) {
            mediaType = MediaTypes.isIndex(served) ? served : MediaTypes.OCI_INDEX;
        } else if (hasImage) {
            mediaType = MediaTypes.isManifest(served) ? served : MediaTypes.OCI_MANIFEST;
        } else if (root.has("fsLayers") || root.path("schemaVersion").asInt() == 1 || served.startsWith(SCHEMA1)) {
            throw schema1(where);
        } else {
            throw bad(where, "is neither an image manifest nor an index (it has no mediaType, 'manifests' or 'config')");
        }
        if (MediaTypes.isIndex(mediaType)) {
            return new ManifestContent(mediaType, descriptors(root.get("manifests"), "manifests", where), Optional.empty(), List.of());
        }
        JsonNode config = root.get("config");
        if (config == null || !config.isObject()) {
            throw bad(where, "is an image manifest without a config");
        }
        return new ManifestContent(mediaType, List.of(), Optional.of(descriptor(config, "config", where)),
                descriptors(root.get("layers"), "layers", where));
    }

    private static List<Descriptor> descriptors(JsonNode array, String field, String where) {
        if (array == null || array.isNull()) {
            return List.of();
        }
        if (!array.isArray()) {
            throw bad(where, "has a '" + field + "' that is not a list");
        }
        if (array.size() > MAX_ENTRIES) {
            throw bad(where, "lists " + array.size() + " " + field + "; more than " + MAX_ENTRIES + " is not an image");
        }
        List<Descriptor> out = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            out.add(descriptor(array.get(i), field + "[" + i + "]", where));
        }
        return out;
    }

    private static Descriptor descriptor(JsonNode node, String field, String where) {
        if (!node.isObject()) {
            throw bad(where, "has " + field + " that is not an object");
        }
        JsonNode size = node.get("size");
        if (size != null && (!size.isIntegralNumber() || !size.canConvertToLong() || size.asLong() < 0)) {
            throw bad(where, "has " + field + ".size '" + size + "' that is not a size in bytes");
        }
        try {
            return Descriptor.fromJson(node);
        } catch (IllegalArgumentException e) {
            throw bad(where, "has an invalid " + field + ": " + e.getMessage());
        }
    }

    private static RegistryException schema1(String where) {
        return unsupported(where, "is a Docker schema 1 manifest, a format registries have deprecated; make it a schema 2"
                + " image first (skopeo copy --format v2s2)");
    }

    /** A manifest Cutter reads but does not carry: the registry answered right, the image is of another kind. */
    private static RegistryException unsupported(String where, String problem) {
        return new RegistryException(where, 200, "the manifest of " + where + " " + problem + "; Cutter carries OCI and Docker"
                + " schema 2 image manifests and indexes", false, null);
    }

    private static RegistryException bad(String where, String problem) {
        return new RegistryException(where, 200, "the manifest of " + where + " " + problem
                + (where.startsWith("oci:") ? "; the layout holds a broken manifest" : "; the registry or something between answered wrongly"),
                false, null);
    }

    /**
     * The media type of a manifest or index from its own bytes: their {@code mediaType}, else
     * what their shape is ({@link #parse}). The type to send it with, whatever a caller may have
     * guessed.
     *
     * @param where where the bytes are, named in the error
     * @throws RegistryException when the bytes are no manifest or index Cutter carries
     */
    public static String mediaTypeOf(byte[] manifest, String where) {
        return parse(manifest, "", where).mediaType();
    }
}
