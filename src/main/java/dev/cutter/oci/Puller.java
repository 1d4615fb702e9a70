package dev.cutter.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.cutter.content.Digest;
import java.io.IOException;
import java.nio.file.Files;
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

    public static Pulled pull(RegistryClient registry, RegistryClient.Repository repo, String reference, OciLayout store)
            throws IOException {
        return pull(registry, repo, reference, store, true);
    }

    /**
     * The manifests of an image into the store, and its blobs too unless {@code blobs} is false
     * (a copy fetches each blob only when some target lacks it: {@link #fetch}).
     */
    public static Pulled pull(RegistryClient registry, RegistryClient.Repository repo, String reference, OciLayout store,
            boolean blobs) throws IOException {
        RegistryClient.Manifest top = registry.getManifest(repo, reference).orElseThrow(() -> new RegistryException(
                repo + ":" + reference, 404, repo + ":" + reference + " does not exist", false, null));
        int fetched = 0;
        ManifestContent root = ManifestContent.parse(top.bytes(), top.mediaType(), repo + ":" + reference);
        for (Descriptor entry : root.manifests()) {
            Digest manifest = entry.digest();
            RegistryClient.Manifest child = registry.getManifest(repo, manifest.toString()).orElseThrow(() -> new RegistryException(
                    repo + "@" + manifest, 404, repo + " lists " + manifest + " in its index but does not have it", false, null));
            ManifestContent content = ManifestContent.parse(child.bytes(), child.mediaType(), repo + "@" + manifest);
            if (content.isIndex()) {
                throw new RegistryException(repo + "@" + manifest, 200, "the index of " + repo + ":" + reference
                        + " lists another index, " + manifest + "; Cutter copies an index of image manifests", false, null);
            }
            fetched += blobs ? blobsOf(registry, repo, content, store) : 0;
            fetched += store(store, manifest, child.bytes()) ? 1 : 0;
        }
        if (!root.isIndex() && blobs) {
            fetched += blobsOf(registry, repo, root, store);
        }
        fetched += store(store, top.digest(), top.bytes()) ? 1 : 0;
        return new Pulled(new Descriptor(root.mediaType(), top.digest(), top.bytes().length), fetched);
    }

    /** The base image of {@code platform}: pulled into the store, with its layers and config ready to build on. */
    public static Base base(RegistryClient registry, RegistryClient.Repository repo, String reference, Platform platform,
            OciLayout store) throws IOException {
        Pulled pulled = pull(registry, repo, reference, store);
        String where = repo + ":" + reference;
        ManifestContent top = ManifestContent.parse(Files.readAllBytes(store.blob(pulled.top().digest())), pulled.top().mediaType(), where);
        Digest manifest = pulled.top().digest();
        if (top.isIndex()) {
            manifest = top.manifests().stream()
                    .filter(m -> m.platform().map(p -> p.os().equals(platform.os()) && p.architecture().equals(platform.architecture())
                            && (platform.variant().isEmpty() || platform.variant().equals(p.variant()))).orElse(false))
                    .map(Descriptor::digest).findFirst()
                    .orElseThrow(() -> new RegistryException(where, 404, where
                    + " has no image for " + platform + "; choose a base that does, or leave the platform out", false, null));
        }
        ManifestContent m = ManifestContent.parse(Files.readAllBytes(store.blob(manifest)), MediaTypes.OCI_MANIFEST, where + "@" + manifest);
        JsonNode config = JSON.readTree(Files.readAllBytes(store.blob(m.config().orElseThrow().digest())));
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
            layers.add(new Layer(new Descriptor(layer.mediaType(), layer.digest(), layer.size()), diffId, store.blob(layer.digest())));
        }
        return new Base(List.copyOf(layers), config);
    }

    private static int blobsOf(RegistryClient registry, RegistryClient.Repository repo, ManifestContent manifest, OciLayout store)
            throws IOException {
        int fetched = 0;
        for (Digest blob : manifest.blobs()) {
            if (!store.hasBlob(blob)) {
                fetch(registry, repo, blob, store);
                fetched++;
            }
        }
        return fetched;
    }

    /** One blob from the registry straight into the store (streamed, digest checked), unless it is there. */
    public static void fetch(RegistryClient registry, RegistryClient.Repository repo, Digest blob, OciLayout store)
            throws IOException {
        store.fetchBlob(blob, target -> registry.getBlob(repo, blob, target));
    }

    private static boolean store(OciLayout store, Digest digest, byte[] bytes) throws IOException {
        return store.putBlob(digest, bytes);
    }
}
