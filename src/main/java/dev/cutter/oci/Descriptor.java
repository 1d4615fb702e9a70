package dev.cutter.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cutter.content.Digest;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What points at a blob: its media type, digest and size, and for an index entry the platform.
 * Annotations are kept sorted by key, so equal descriptors serialise to equal bytes.
 */
public record Descriptor(String mediaType, Digest digest, long size, Optional<Platform> platform,
                         Map<String, String> annotations) {
    /** buildx's annotation on an index entry that describes another entry rather than being an image. */
    public static final String REFERENCE_TYPE = "vnd.docker.reference.type";
    /** The entry an attestation describes, by digest. */
    public static final String REFERENCE_DIGEST = "vnd.docker.reference.digest";
    /** {@link #REFERENCE_TYPE}'s value for an attestation manifest (provenance, SBOM), listed as platform unknown/unknown. */
    public static final String ATTESTATION_MANIFEST = "attestation-manifest";

    public Descriptor {
        if (mediaType == null || mediaType.isBlank()) {
            throw new IllegalArgumentException("a descriptor needs a media type");
        }
        Objects.requireNonNull(digest, "digest");
        Objects.requireNonNull(platform, "platform");
        if (size < 0) {
            throw new IllegalArgumentException("blob size " + size + " is negative");
        }
        annotations = sorted(annotations);
    }

    public Descriptor(String mediaType, Digest digest, long size) {
        this(mediaType, digest, size, Optional.empty(), Map.of());
    }

    public Descriptor withPlatform(Platform platform) {
        return new Descriptor(mediaType, digest, size, Optional.of(platform), annotations);
    }

    public Descriptor withAnnotations(Map<String, String> annotations) {
        return new Descriptor(mediaType, digest, size, platform, annotations);
    }

    /**
     * The entry this one describes, when it is buildx's attestation manifest for it (platform
     * unknown/unknown, {@value #REFERENCE_TYPE}: {@value #ATTESTATION_MANIFEST}); it travels
     * with that entry, never on its own.
     */
    public Optional<Digest> describes() {
        String digest = annotations.get(REFERENCE_DIGEST);
        if (!ATTESTATION_MANIFEST.equals(annotations.get(REFERENCE_TYPE)) || digest == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Digest.parse(digest));
        } catch (IllegalArgumentException e) {
            return Optional.empty(); // names nothing Cutter could find: an entry of its own
        }
    }

    static SortedMap<String, String> sorted(Map<String, String> map) {
        TreeMap<String, String> copy = new TreeMap<>();
        map.forEach((key, value) -> copy.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, () -> "value of " + key)));
        return Collections.unmodifiableSortedMap(copy);
    }

    /** Key order: mediaType, digest, size, platform, annotations; absent or empty ones left out. */
    ObjectNode toJson() {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("mediaType", mediaType);
        node.put("digest", digest.toString());
        node.put("size", size);
        platform.ifPresent(p -> node.set("platform", p.toJson()));
        if (!annotations.isEmpty()) {
            node.set("annotations", CanonicalJson.object(annotations));
        }
        return node;
    }

    /** Reads a descriptor written by any tool; fields Cutter does not model are ignored. */
    static Descriptor fromJson(JsonNode node) {
        JsonNode mediaType = node.get("mediaType");
        JsonNode digest = node.get("digest");
        JsonNode size = node.get("size");
        if (mediaType == null || !mediaType.isTextual() || digest == null || !digest.isTextual()
                || size == null || !size.canConvertToLong()) {
            String text = node.toString();
            throw new IllegalArgumentException("a descriptor needs mediaType, digest and size: "
                    + (text.length() > 200 ? text.substring(0, 200) + "…" : text));
        }
        TreeMap<String, String> annotations = new TreeMap<>();
        JsonNode found = node.get("annotations");
        if (found != null && found.isObject()) {
            for (Map.Entry<String, JsonNode> entry : found.properties()) {
                annotations.put(entry.getKey(), entry.getValue().asText());
            }
        }
        JsonNode platform = node.get("platform");
        return new Descriptor(mediaType.asText(), Digest.parse(digest.asText()), size.asLong(),
                platform != null && platform.isObject() ? Optional.of(Platform.fromJson(platform)) : Optional.empty(),
                annotations);
    }
}
