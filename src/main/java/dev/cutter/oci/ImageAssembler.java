package dev.cutter.oci;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Assembles images from layers without a daemon: config and manifest per platform, then one
 * index over the platforms. Everything is written as canonical JSON (see {@link CanonicalJson}),
 * so the same layers and config give the same digests.
 */
public final class ImageAssembler {
    /** What {@code docker history} shows for a layer Cutter made. */
    static final String CREATED_BY = "cutter: add files";

    private ImageAssembler() {}

    /**
     * Writes the config and manifest of a single-platform image into {@code blobDir}, after
     * copying in (verified) any layer blob that is not there yet, so the directory holds the
     * whole image.
     */
    public static AssembledImage assemble(Platform platform, List<Layer> layers, ImageConfig config, Path blobDir)
            throws IOException {
        BlobDir blobs = new BlobDir(blobDir);
        for (Layer layer : layers) {
            blobs.copy(layer.digest(), layer.blob());
        }
        Descriptor configBlob = blobs.write(MediaTypes.OCI_CONFIG, configJson(platform, layers, config));
        Descriptor manifest = blobs.write(MediaTypes.OCI_MANIFEST, manifestJson(configBlob, layers));
        return new AssembledImage(manifest, platform, configBlob.digest());
    }

    /**
     * Writes an image index with one entry per image, in the order given, each with its platform.
     * The images must have been assembled into the same {@code blobDir}.
     */
    public static Descriptor index(List<AssembledImage> images, Map<String, String> annotations, Path blobDir)
            throws IOException {
        if (images.isEmpty()) {
            throw new IllegalArgumentException("an index needs at least one image");
        }
        BlobDir blobs = new BlobDir(blobDir);
        Set<Platform> platforms = new HashSet<>();
        for (AssembledImage image : images) {
            if (!platforms.add(image.platform())) {
                throw new IllegalArgumentException("two images for platform " + image.platform()
                        + " in one index; give each platform once");
            }
            if (!blobs.has(image.digest())) {
                throw new IllegalArgumentException("manifest " + image.digest() + " (" + image.platform() + ") is not in "
                        + blobDir + "; assemble the images into the directory the index is written to");
            }
        }
        return blobs.write(MediaTypes.OCI_INDEX, indexJson(images, annotations));
    }

    /**
     * Key order: created, architecture, os, variant, config {User, Env, Entrypoint, Cmd,
     * WorkingDir, Labels}, rootfs {type, diff_ids}, history [{created, created_by}]. Empty lists,
     * maps and absent values are left out; Env is {@code KEY=VALUE} sorted by key.
     */
    static byte[] configJson(Platform platform, List<Layer> layers, ImageConfig config) {
        JsonNodeFactory json = JsonNodeFactory.instance;
        String created = timestamp(config.created());
        ObjectNode root = json.objectNode();
        root.put("created", created);
        root.put("architecture", platform.architecture());
        root.put("os", platform.os());
        platform.variant().ifPresent(variant -> root.put("variant", variant));

        ObjectNode run = root.putObject("config");
        config.user().ifPresent(user -> run.put("User", user));
        if (!config.env().isEmpty()) {
            ArrayNode env = run.putArray("Env");
            config.env().forEach((name, value) -> env.add(name + "=" + value));
        }
        if (!config.entrypoint().isEmpty()) {
            run.set("Entrypoint", CanonicalJson.array(config.entrypoint()));
        }
        if (!config.cmd().isEmpty()) {
            run.set("Cmd", CanonicalJson.array(config.cmd()));
        }
        config.workdir().ifPresent(dir -> run.put("WorkingDir", dir));
        if (!config.labels().isEmpty()) {
            run.set("Labels", CanonicalJson.object(config.labels()));
        }

        ObjectNode rootfs = root.putObject("rootfs");
        rootfs.put("type", "layers");
        ArrayNode diffIds = rootfs.putArray("diff_ids");
        layers.forEach(layer -> diffIds.add(layer.diffId().toString()));

        ArrayNode history = root.putArray("history");
        for (int i = 0; i < layers.size(); i++) {
            history.addObject().put("created", created).put("created_by", CREATED_BY);
        }
        return CanonicalJson.bytes(root);
    }

    /** Key order: schemaVersion, mediaType, config, layers. */
    static byte[] manifestJson(Descriptor config, List<Layer> layers) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("schemaVersion", 2);
        root.put("mediaType", MediaTypes.OCI_MANIFEST);
        root.set("config", config.toJson());
        ArrayNode array = root.putArray("layers");
        layers.forEach(layer -> array.add(layer.descriptor().toJson()));
        return CanonicalJson.bytes(root);
    }

    /** Key order: schemaVersion, mediaType, manifests, annotations (when any). */
    static byte[] indexJson(List<AssembledImage> images, Map<String, String> annotations) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("schemaVersion", 2);
        root.put("mediaType", MediaTypes.OCI_INDEX);
        ArrayNode manifests = root.putArray("manifests");
        images.forEach(image -> manifests.add(image.manifest().withPlatform(image.platform()).toJson()));
        if (!annotations.isEmpty()) {
            root.set("annotations", CanonicalJson.object(annotations));
        }
        return CanonicalJson.bytes(root);
    }

    /** RFC 3339 in UTC, as {@link Instant#toString()} writes it: seconds, fraction only when non-zero. */
    private static String timestamp(Instant instant) {
        return instant.toString();
    }
}
