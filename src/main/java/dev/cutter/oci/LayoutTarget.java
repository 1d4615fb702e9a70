package dev.cutter.oci;

import com.fasterxml.jackson.databind.json.JsonMapper;
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
            Path blob = existing.get().blob(digest.get());
            String mediaType = JsonMapper.builder().build().readTree(blob.toFile()).path("mediaType").asText(MediaTypes.OCI_INDEX);
            return Optional.of(new Descriptor(mediaType, digest.get(), Files.size(blob)));
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
        byte[] bytes = Files.readAllBytes(layout().blob(digest));
        return Digest.sha256(bytes).equals(digest) ? Optional.of(bytes) : Optional.empty();
    }

    @Override
    public void putManifest(Descriptor manifest, byte[] bytes) throws IOException {
        if (hasBlob(manifest.digest())) {
            return;
        }
        layout().putBlob(manifest.digest(), bytes);
    }

    @Override
    public void tag(String tag, Descriptor manifest, byte[] bytes) throws IOException {
        layout().tag(tag, manifest);
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
