package dev.cutter.oci;

import dev.cutter.content.Digest;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Copies an image, digest for digest (the index and every manifest byte-identical), from one
 * place to several: the source is read once into a content store, then each target gets what it
 * lacks (blobs it already holds are skipped; within one registry they are mounted).
 */
public final class Copier {
    private final RegistryClient registry;
    private final OciLayout store;

    public Copier(RegistryClient registry, OciLayout store) {
        this.registry = registry;
        this.store = store;
    }

    public record Copied(ImageReference target, Digest digest, int blobsSent) {}

    public List<Copied> copy(ImageReference source, List<ImageReference> targets) throws IOException {
        Descriptor top;
        OciLayout from;
        if (source.layout()) {
            from = OciLayout.open(Path.of(source.location()));
            top = from.resolve(source.reference()).orElseThrow(() -> new IOException(source + " does not exist"));
        } else {
            top = Puller.pull(registry, source.repository(), source.reference(), store).top();
            from = store;
        }
        List<Copied> copied = new ArrayList<>();
        for (ImageReference target : targets) {
            if (target.layout()) {
                OciLayout to = OciLayout.open(Path.of(target.location()));
                int sent = 0;
                for (Digest blob : reachable(from, top)) {
                    if (to.putBlob(blob, from.blob(blob))) {
                        sent++;
                    }
                }
                to.tag(target.reference(), top);
                copied.add(new Copied(target, top.digest(), sent));
            } else {
                RegistryClient.Repository repo = target.repository();
                Optional<String> mount = !source.layout() && source.repository().host().equals(repo.host())
                        ? Optional.of(source.repository().path()) : Optional.empty();
                Pusher.Result result = MediaTypes.isIndex(top.mediaType())
                        ? Pusher.pushIndex(registry, repo, from, top.digest(), mount)
                        : Pusher.pushManifest(registry, repo, from, top.digest(), mount);
                if (!target.reference().equals(top.digest().toString())) {
                    Pusher.tag(registry, repo, from, top.digest(), target.reference());
                }
                copied.add(new Copied(target, top.digest(), result.blobsUploaded()));
            }
        }
        return copied;
    }

    /** Every blob under {@code top}, parts before the whole. */
    static List<Digest> reachable(OciLayout layout, Descriptor top) throws IOException {
        var json = com.fasterxml.jackson.databind.json.JsonMapper.builder().build();
        List<Digest> out = new ArrayList<>();
        var root = json.readTree(layout.blob(top.digest()).toFile());
        List<Digest> manifests = new ArrayList<>();
        if (MediaTypes.isIndex(top.mediaType())) {
            root.path("manifests").forEach(m -> manifests.add(Digest.parse(m.path("digest").asText())));
        } else {
            manifests.add(top.digest());
        }
        for (Digest manifest : manifests) {
            var node = json.readTree(layout.blob(manifest).toFile());
            out.add(Digest.parse(node.path("config").path("digest").asText()));
            node.path("layers").forEach(l -> out.add(Digest.parse(l.path("digest").asText())));
            if (!manifest.equals(top.digest())) {
                out.add(manifest);
            }
        }
        out.add(top.digest());
        return out;
    }
}
