package dev.cutter.oci;

import dev.cutter.content.Digest;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A registry repository as an image target, through a client whose tokens the run shares.
 * Blobs are mounted from {@code mountFrom} (another repository of the same registry) when set.
 */
public record RegistryTarget(RegistryClient client, Repository repository, Optional<String> mountFrom)
        implements ImageTarget {
    public RegistryTarget(RegistryClient client, Repository repository) {
        this(client, repository, Optional.empty());
    }

    @Override
    public Optional<Descriptor> resolve(String reference) {
        Optional<RegistryClient.ManifestHead> head = client.headManifest(repository, reference);
        if (head.isPresent() && (head.get().mediaType().isBlank() || head.get().size() < 0)) {
            // a HEAD without its type or size: the manifest itself says (rare; registries send both)
            return client.getManifest(repository, head.get().digest().toString()).map(m -> new Descriptor(
                    ManifestContent.parse(m.bytes(), m.mediaType(), repository + ":" + reference).mediaType(), m.digest(), m.bytes().length));
        }
        return head.map(h -> new Descriptor(h.mediaType(), h.digest(), h.size()));
    }

    @Override
    public boolean hasBlob(Digest digest) {
        return client.blobExists(repository, digest);
    }

    @Override
    public void getBlob(Digest digest, Path into) {
        client.getBlob(repository, digest, into);
    }

    @Override
    public void putBlob(Digest digest, Blobs bytes) {
        client.putBlob(repository, digest, bytes, mountFrom);
    }

    @Override
    public Optional<byte[]> getManifest(Digest digest) {
        return client.getManifest(repository, digest.toString()).map(RegistryClient.Manifest::bytes);
    }

    /** Sent with the media type its bytes have: a registry refuses a manifest sent as another type (MANIFEST_INVALID). */
    @Override
    public void putManifest(Descriptor manifest, byte[] bytes) {
        client.putManifest(repository, manifest.digest().toString(), contentType(manifest, bytes), bytes);
    }

    @Override
    public void tag(String tag, Descriptor manifest, byte[] bytes) {
        if (!tag.equals(manifest.digest().toString())) { // a digest is no tag: the manifest is there by it already
            client.putManifest(repository, tag, contentType(manifest, bytes), bytes);
        }
    }

    private String contentType(Descriptor manifest, byte[] bytes) {
        return ManifestContent.parse(bytes, manifest.mediaType(), repository + "@" + manifest.digest()).mediaType();
    }

    @Override
    public Optional<byte[]> referrers(Digest subject) {
        return client.referrers(repository, subject);
    }

    @Override
    public List<String> tags() {
        return client.tags(repository);
    }

    /** Mounts from {@code source} when it is on this registry; from elsewhere blobs are sent. */
    @Override
    public ImageTarget mountingFrom(String source) {
        Repository from = Repository.parse(source);
        return from.host().equals(repository.host()) ? new RegistryTarget(client, repository, Optional.of(from.path())) : this;
    }

    @Override
    public String toString() {
        return repository.toString();
    }
}
