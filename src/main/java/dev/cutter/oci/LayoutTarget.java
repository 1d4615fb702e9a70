package dev.cutter.oci;

import dev.cutter.content.Digest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * An OCI layout directory as an image target. It is created on the first write only, so reading
 * a target that was never published to (a check, a tag law's look) leaves no directory behind.
 */
public final class LayoutTarget implements ImageTarget {
    private final Path dir;
    private volatile OciLayout layout;

    public LayoutTarget(Path dir) {
        this.dir = dir;
    }

    public LayoutTarget(OciLayout layout) {
        this.dir = layout.root();
        this.layout = layout;
    }

    /** The layout, created if it does not exist yet. */
    public OciLayout layout() throws IOException {
        OciLayout open = layout;
        if (open == null) {
            open = OciLayout.open(dir);
            layout = open;
        }
        return open;
    }

    /** The layout when the directory exists. */
    private Optional<OciLayout> existing() throws IOException {
        return layout != null || Files.isDirectory(dir) ? Optional.of(layout()) : Optional.empty();
    }

    @Override
    public Optional<Descriptor> resolve(String reference) throws IOException {
        Optional<OciLayout> existing = existing();
        if (existing.isEmpty()) {
            return Optional.empty();
        }
        Optional<Digest> digest = ImageTarget.digestIn(reference);
        if (digest.isPresent() && existing.get().hasBlob(digest.get())) {
            byte[] bytes = existing.get().manifestBytes(digest.get());
            return Optional.of(new Descriptor(ManifestContent.mediaTypeOf(bytes, this + "@" + digest.get()), digest.get(), bytes.length));
        }
        return existing.get().resolve(reference);
    }

    @Override
    public boolean hasBlob(Digest digest) throws IOException {
        return existing().map(l -> l.hasBlob(digest)).orElse(false);
    }

    @Override
    public void getBlob(Digest digest, Path into) throws IOException {
        if (!hasBlob(digest)) {
            throw new NoSuchFileException(layout().blob(digest).toString(), null, "no such blob in " + dir);
        }
        Path blob = layout().blob(digest);
        Files.copy(blob, into);
        Digest actual = Digest.sha256(into);
        if (!actual.equals(digest)) {
            Files.delete(into);
            throw new DigestMismatchException(blob, digest, actual);
        }
    }

    @Override
    public void putBlob(Digest digest, Blobs bytes) throws IOException {
        if (!hasBlob(digest)) {
            layout().putBlob(digest, bytes.path(digest));
        }
    }

    @Override
    public Optional<byte[]> getManifest(Digest digest) throws IOException {
        if (!hasBlob(digest)) {
            return Optional.empty();
        }
        try {
            return Optional.of(layout().manifestBytes(digest));
        } catch (DigestMismatchException e) {
            return Optional.empty(); // what is stored under that name is other content: the target lacks the manifest
        }
    }

    @Override
    public void putManifest(Descriptor manifest, byte[] bytes) throws IOException {
        if (hasBlob(manifest.digest())) {
            return;
        }
        layout().putBlob(manifest.digest(), bytes);
    }

    /** The entry {@code index.json} gets has the media type the manifest's bytes have, whatever {@code manifest} says. */
    @Override
    public void tag(String tag, Descriptor manifest, byte[] bytes) throws IOException {
        layout().tag(tag, new Descriptor(ManifestContent.parse(bytes, manifest.mediaType(), this + "@" + manifest.digest()).mediaType(),
                manifest.digest(), bytes.length, manifest.platform(), manifest.annotations()));
    }

    @Override
    public List<String> tags() throws IOException {
        Optional<OciLayout> existing = existing();
        return existing.isPresent() ? existing.get().tags() : List.of();
    }

    @Override
    public String toString() {
        return "oci:" + dir;
    }
}
