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
import java.util.Optional;

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
        List<Digest> manifests = new ArrayList<>();
        JsonNode root = JSON.readTree(top.bytes());
        if (MediaTypes.isIndex(mediaType(top, root))) {
            for (JsonNode m : root.path("manifests")) {
                manifests.add(Digest.parse(m.path("digest").asText()));
            }
        }
        for (Digest manifest : manifests) {
            RegistryClient.Manifest child = registry.getManifest(repo, manifest.toString()).orElseThrow(() -> new RegistryException(
                    repo + "@" + manifest, 404, repo + " lists " + manifest + " in its index but does not have it", false, null));
            fetched += blobs ? blobsOf(registry, repo, JSON.readTree(child.bytes()), store) : 0;
            fetched += store(store, manifest, child.bytes()) ? 1 : 0;
        }
        if (manifests.isEmpty() && blobs) {
            fetched += blobsOf(registry, repo, root, store);
        }
        fetched += store(store, top.digest(), top.bytes()) ? 1 : 0;
        return new Pulled(new Descriptor(mediaType(top, root), top.digest(), top.bytes().length), fetched);
    }

    /** The base image of {@code platform}: pulled into the store, with its layers and config ready to build on. */
    public static Base base(RegistryClient registry, RegistryClient.Repository repo, String reference, Platform platform,
            OciLayout store) throws IOException {
        Pulled pulled = pull(registry, repo, reference, store);
        JsonNode top = JSON.readTree(Files.readAllBytes(store.blob(pulled.top().digest())));
        Digest manifest = pulled.top().digest();
        if (MediaTypes.isIndex(pulled.top().mediaType())) {
            Optional<Digest> match = Optional.empty();
            for (JsonNode m : top.path("manifests")) {
                JsonNode p = m.path("platform");
                if (p.path("os").asText().equals(platform.os()) && p.path("architecture").asText().equals(platform.architecture())
                        && (platform.variant().isEmpty() || platform.variant().get().equals(p.path("variant").asText()))) {
                    match = Optional.of(Digest.parse(m.path("digest").asText()));
                    break;
                }
            }
            manifest = match.orElseThrow(() -> new RegistryException(repo + ":" + reference, 404, repo + ":" + reference
                    + " has no image for " + platform + "; choose a base that does, or leave the platform out", false, null));
        }
        JsonNode m = JSON.readTree(Files.readAllBytes(store.blob(manifest)));
        JsonNode config = JSON.readTree(Files.readAllBytes(store.blob(Digest.parse(m.path("config").path("digest").asText()))));
        List<Layer> layers = new ArrayList<>();
        JsonNode diffIds = config.path("rootfs").path("diff_ids");
        int i = 0;
        for (JsonNode layer : m.path("layers")) {
            Digest digest = Digest.parse(layer.path("digest").asText());
            layers.add(new Layer(new Descriptor(layer.path("mediaType").asText(), digest, layer.path("size").asLong()),
                    Digest.parse(diffIds.path(i++).asText()), store.blob(digest)));
        }
        return new Base(List.copyOf(layers), config);
    }

    private static String mediaType(RegistryClient.Manifest manifest, JsonNode root) {
        return root.hasNonNull("mediaType") ? root.get("mediaType").asText() : manifest.mediaType();
    }

    private static int blobsOf(RegistryClient registry, RegistryClient.Repository repo, JsonNode manifest, OciLayout store)
            throws IOException {
        int fetched = 0;
        List<Digest> blobs = new ArrayList<>();
        blobs.add(Digest.parse(manifest.path("config").path("digest").asText()));
        manifest.path("layers").forEach(l -> blobs.add(Digest.parse(l.path("digest").asText())));
        for (Digest blob : blobs) {
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
        if (store.hasBlob(digest)) {
            return false;
        }
        Path temp = Files.createTempFile(store.root(), ".manifest", ".tmp");
        try {
            Files.write(temp, bytes);
            store.putBlob(digest, temp);
            return true;
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
