package dev.cutter.oci;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.cutter.content.Digest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a manifest or an index fetched from a registry points at, read once and checked: an index's
 * platform manifests, or a manifest's config and layers. A registry's bytes are not trusted: JSON
 * that is not an object, a descriptor without a valid digest or size, an index entry naming an
 * impossible platform are one {@link RegistryException} naming where the manifest came from,
 * never a NullPointerException or a blob fetched under a made-up digest.
 *
 * @param mediaType the manifest's own {@code mediaType}, else the Content-Type it was served with
 * @param manifests an index's entries (empty for a manifest)
 * @param config a manifest's config (empty for an index)
 * @param layers a manifest's layers (empty for an index)
 */
public record ManifestContent(String mediaType, List<Descriptor> manifests, Optional<Descriptor> config,
                              List<Descriptor> layers) {

    /** The most entries an index or layers a manifest may list (registries keep far fewer). */
    static final int MAX_ENTRIES = 10_000;

    public ManifestContent {
        manifests = List.copyOf(manifests);
        layers = List.copyOf(layers);
    }

    public boolean isIndex() {
        return MediaTypes.isIndex(mediaType);
    }

    /** The config and layers of a manifest, config first. */
    public List<Digest> blobs() {
        List<Digest> blobs = new ArrayList<>();
        config.ifPresent(c -> blobs.add(c.digest()));
        layers.forEach(l -> blobs.add(l.digest()));
        return blobs;
    }

    /**
     * Reads {@code bytes}, served with {@code contentType}, as a manifest or an index.
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
        String mediaType = declared != null ? declared.asText() : contentType == null ? "" : contentType.split(";", 2)[0].strip();
        JsonNode manifests = root.get("manifests");
        if (MediaTypes.isIndex(mediaType) || (!MediaTypes.isManifest(mediaType) && manifests != null && !root.has("layers"))) {
            if (!MediaTypes.isIndex(mediaType)) {
                mediaType = MediaTypes.OCI_INDEX; // an index without a media type, as the image spec allows
            }
            return new ManifestContent(mediaType, descriptors(manifests, "manifests", where), Optional.empty(), List.of());
        }
        if (!MediaTypes.isManifest(mediaType) && !root.has("config")) {
            throw bad(where, "is neither an image manifest nor an index (mediaType '" + mediaType + "')");
        }
        JsonNode config = root.get("config");
        if (config == null || !config.isObject()) {
            throw bad(where, "is an image manifest without a config");
        }
        if (!MediaTypes.isManifest(mediaType)) {
            mediaType = MediaTypes.OCI_MANIFEST;
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

    private static RegistryException bad(String where, String problem) {
        return new RegistryException(where, 200, "the manifest of " + where + " " + problem
                + "; the registry or something between answered wrongly", false, null);
    }
}
