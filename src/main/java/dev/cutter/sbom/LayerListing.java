package dev.cutter.sbom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cutter.content.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What an SBOM needs of a layer Cutter wrote, taken while it was written: each regular file's
 * SHA-256, SHA-1 and size from the bytes on their way into the tar, and the path of every other
 * entry. Kept beside the content store by the layer's digest ({@code LISTINGS/sha256/HEX.json}), so
 * the attest job lists the layer without reading it again. A layer holding a package database or
 * {@code os-release} is marked to be read (those are kept whole; it is rare in a layer of files).
 */
public final class LayerListing {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Map<String, MessageDigest[]> digests = new LinkedHashMap<>();
    private final Map<String, long[]> sizes = new LinkedHashMap<>();
    private final List<String> others = new ArrayList<>();
    private boolean read;

    /** The stream {@code path}'s bytes are read from while they go into the layer: its digests are taken as they pass. */
    public InputStream file(String path, InputStream content) {
        String clean = Contents.clean(path);
        read |= PackageDatabases.isDatabase(clean) || clean.equals("etc/os-release") || clean.equals("usr/lib/os-release");
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            long[] size = {0};
            digests.put(clean, new MessageDigest[] {sha256, sha1});
            sizes.put(clean, size);
            return new DigestInputStream(new DigestInputStream(content, sha256), sha1) {
                @Override
                public int read() throws IOException {
                    int b = super.read();
                    if (b >= 0) {
                        size[0]++;
                    }
                    return b;
                }

                @Override
                public int read(byte[] buffer, int offset, int length) throws IOException {
                    int n = super.read(buffer, offset, length);
                    if (n > 0) {
                        size[0] += n;
                    }
                    return n;
                }
            };
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A directory or symbolic link at {@code path}: a link takes the place of a file a lower layer had there. */
    public void other(String path, boolean directory) {
        if (!directory) {
            others.add(Contents.clean(path));
        }
    }

    /** Where the listings of a content store's layers are kept. */
    public static Path directory(Path store) {
        return store.resolveSibling(store.getFileName() + "-listings");
    }

    /** Writes this listing as that of the layer {@code layer}, once it is complete. */
    public void write(Path directory, Digest layer) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("read", read);
        ArrayNode files = root.putArray("files");
        HexFormat hex = HexFormat.of();
        digests.forEach((path, d) -> files.addObject().put("path", path).put("sha256", hex.formatHex(d[0].digest()))
                .put("sha1", hex.formatHex(d[1].digest())).put("size", sizes.get(path)[0]));
        ArrayNode links = root.putArray("others");
        others.forEach(links::add);
        Path file = path(directory, layer);
        Files.createDirectories(file.getParent());
        Path temp = Files.createTempFile(file.getParent(), ".listing", ".tmp");
        try {
            Files.write(temp, JSON.writeValueAsBytes(root));
            Files.move(temp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static Path path(Path directory, Digest layer) {
        return directory.resolve(layer.algorithm()).resolve(layer.hex() + ".json");
    }

    /** A layer's listing as written: its regular files and the paths of its links. */
    public record Listed(List<SbomFile> files, List<String> others) {
        public Listed {
            files = List.copyOf(files);
            others = List.copyOf(others);
        }
    }

    /**
     * The listing of the layer {@code layer}, when one was taken as it was written and the layer
     * needs no reading (no package database in it); empty otherwise, or when it cannot be read.
     */
    public static Optional<Listed> read(Path directory, Digest layer) {
        Path file = path(directory, layer);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            JsonNode root = JSON.readTree(file.toFile());
            if (root.path("read").asBoolean(true)) {
                return Optional.empty();
            }
            List<SbomFile> files = new ArrayList<>();
            for (JsonNode f : root.path("files")) {
                files.add(new SbomFile(f.path("path").asText(), new Digest(Digest.SHA256, f.path("sha256").asText()),
                        f.path("sha1").asText(), f.path("size").asLong()));
            }
            List<String> others = new ArrayList<>();
            root.path("others").forEach(o -> others.add(o.asText()));
            return Optional.of(new Listed(files, others));
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // read the layer instead
        }
    }
}
