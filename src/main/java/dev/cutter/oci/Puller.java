package dev.cutter.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.cutter.content.Digest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Fetches an image (an index or a single manifest) and every blob it reaches from a registry into
 * a local layout used as the content store, so that each blob is read from the source once,
 * whatever fans out from it next (a base image for several builds, a copy to several targets).
 * Blobs already in the store are not fetched again.
 */
public final class Puller {
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private Puller() {}

    /** What was fetched: the top descriptor and, for a base image, the platform's manifest. */
    public record Pulled(Descriptor top, int blobsFetched) {}

    /** A platform's image of a base: its layers (with their diff ids) and its config. */
    public record Base(List<Layer> layers, JsonNode config) {}

    public static Pulled pull(RegistryClient registry, Repository repo, String reference, OciLayout store)
            throws IOException {
        return pull(registry, repo, reference, store, true);
    }

    /**
     * The manifests of an image into the store, and its blobs too unless {@code blobs} is false
     * (a copy fetches each blob only when some target lacks it: {@link #fetch}). An index within
     * an index is walked too; a non-distributable layer's blob is fetched only when the registry
     * has it (else its {@code urls} say where it is, and it stays there).
     */
    public static Pulled pull(RegistryClient registry, Repository repo, String reference, OciLayout store,
            boolean blobs) throws IOException {
        RegistryClient.Manifest top = registry.getManifest(repo, reference).orElseThrow(() -> new RegistryException(
                repo + ":" + reference, 404, repo + ":" + reference + " does not exist", false, null));
        ManifestContent root = ManifestContent.parse(top.bytes(), top.mediaType(), repo + ":" + reference);
        int fetched = walk(registry, repo, repo + ":" + reference, root, store, blobs, 0);
        fetched += store(store, top.digest(), top.bytes()) ? 1 : 0;
        return new Pulled(new Descriptor(root.mediaType(), top.digest(), top.bytes().length), fetched);
    }

    private static int walk(RegistryClient registry, Repository repo, String where, ManifestContent content,
            OciLayout store, boolean blobs, int depth) throws IOException {
        if (!content.isIndex()) {
            return blobs ? blobsOf(registry, repo, content, store) : 0;
        }
        if (depth >= Pusher.MAX_DEPTH) {
            throw new RegistryException(where, 200, where + " nests indexes " + Pusher.MAX_DEPTH + " deep; Cutter walks no deeper",
                    false, null);
        }
        int fetched = 0;
        for (Descriptor entry : content.manifests()) {
            Digest manifest = entry.digest();
            RegistryClient.Manifest child = registry.getManifest(repo, manifest.toString()).orElseThrow(() -> new RegistryException(
                    repo + "@" + manifest, 404, repo + " lists " + manifest + " in its index but does not have it", false, null));
            ManifestContent part = ManifestContent.parse(child.bytes(), entry.mediaType(), repo + "@" + manifest);
            fetched += walk(registry, repo, where, part, store, blobs, depth + 1);
            fetched += store(store, manifest, child.bytes()) ? 1 : 0;
        }
        return fetched;
    }

    /** The base image of {@code platform}: pulled into the store, with its layers and config ready to build on. */
    public static Base base(RegistryClient registry, Repository repo, String reference, Platform platform,
            OciLayout store) throws IOException {
        Pulled pulled = pull(registry, repo, reference, store);
        String where = repo + ":" + reference;
        ManifestContent top = ManifestContent.parse(store.manifestBytes(pulled.top().digest()), pulled.top().mediaType(), where);
        Digest manifest = pulled.top().digest();
        if (top.isIndex()) {
            manifest = top.manifests().stream()
                    .filter(m -> m.platform().map(p -> p.os().equals(platform.os()) && p.architecture().equals(platform.architecture())
                            && (platform.variant().isEmpty() || platform.variant().equals(p.variant()))).orElse(false))
                    .map(Descriptor::digest).findFirst()
                    .orElseThrow(() -> new RegistryException(where, 404, where
                    + " has no image for " + platform + "; choose a base that does, or leave the platform out", false, null));
        }
        ManifestContent m = ManifestContent.parse(store.manifestBytes(manifest), MediaTypes.OCI_MANIFEST, where + "@" + manifest);
        if (m.isIndex()) {
            throw new RegistryException(where, 200, where + " lists an index, not an image, for " + platform
                    + "; choose a base whose index lists the platform's image", false, null);
        }
        Path configFile = store.blob(m.config().orElseThrow().digest());
        if (Files.size(configFile) > ImageTarget.DOCUMENT_LIMIT) { // the registry's to write: never read whole past the limit
            throw new RegistryException(where, 200, "the config of " + where + " has " + Files.size(configFile)
                    + " bytes; a config of at most " + (ImageTarget.DOCUMENT_LIMIT >> 20) + " MiB is read", false, null);
        }
        JsonNode config = JSON.readTree(configFile.toFile());
        JsonNode diffIds = config.path("rootfs").path("diff_ids");
        if (!diffIds.isArray() || diffIds.size() != m.layers().size()) {
            throw new RegistryException(where, 200, "the config of " + where + " lists " + diffIds.size() + " diff_ids for "
                    + m.layers().size() + " layers; the registry or something between answered wrongly", false, null);
        }
        List<Layer> layers = new ArrayList<>();
        for (int i = 0; i < m.layers().size(); i++) {
            Descriptor layer = m.layers().get(i);
            Digest diffId;
            try {
                diffId = Digest.parse(diffIds.get(i).asText());
            } catch (IllegalArgumentException e) {
                throw new RegistryException(where, 200, "the config of " + where + " has an invalid diff_ids[" + i + "]: "
                        + e.getMessage(), false, null);
            }
            if (!store.hasBlob(layer.digest())) { // a non-distributable layer its registry does not hold
                throw new RegistryException(where, 200, "the layer " + layer.digest() + " of " + where + " (" + layer.mediaType()
                        + ") is not in its registry; Cutter builds only on bases whose layers it can read", false, null);
            }
            layers.add(new Layer(new Descriptor(layer.mediaType(), layer.digest(), layer.size()), diffId, store.blob(layer.digest())));
        }
        return new Base(List.copyOf(layers), config);
    }

    private static int blobsOf(RegistryClient registry, Repository repo, ManifestContent manifest, OciLayout store)
            throws IOException {
        int fetched = 0;
        for (Descriptor blob : manifest.parts()) {
            if (store.hasBlob(blob.digest())
                    || MediaTypes.isNonDistributable(blob.mediaType()) && !registry.blobExists(repo, blob.digest())) {
                continue;
            }
            fetch(registry, repo, blob.digest(), store);
            fetched++;
        }
        return fetched;
    }

    /** One blob from the registry straight into the store (streamed, digest checked), unless it is there. */
    public static void fetch(RegistryClient registry, Repository repo, Digest blob, OciLayout store)
            throws IOException {
        store.fetchBlob(blob, target -> registry.getBlob(repo, blob, target));
    }

    private static boolean store(OciLayout store, Digest digest, byte[] bytes) throws IOException {
        return store.putBlob(digest, bytes);
    }
}
