package dev.cutter.rebuild;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.cutter.content.Digest;
import dev.cutter.oci.OciLayout;
import dev.cutter.sbom.Contents;
import dev.cutter.sbom.SbomFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The regular files inside an output, by path to SHA-256, read as a stream: an archive's
 * entries, a package's payload, or an image's file system (its layers in order, whiteouts
 * applied); and what differs between two such listings.
 */
final class Entries {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private Entries() {}

    /** The entries of the file {@code file} of kind {@code archive} or {@code package}; empty for a format not read. */
    static Map<String, String> ofFile(String kind, Path file) throws IOException {
        Contents contents = new Contents(path -> true);
        contents.artifact(file, kind);
        return listing(contents);
    }

    /** The file system of the image manifest {@code manifest} in {@code store}, its config as the entry {@code (config)}. */
    static Map<String, String> ofImage(OciLayout store, Digest manifest) throws IOException {
        JsonNode m = JSON.readTree(store.blob(manifest).toFile());
        Contents contents = new Contents(path -> true);
        for (JsonNode layer : m.path("layers")) {
            Digest blob = Digest.parse(layer.path("digest").asText());
            if (!store.hasBlob(blob)) {
                throw new IOException("layer " + blob + " of " + manifest + " is not in " + store);
            }
            try (InputStream in = Files.newInputStream(store.blob(blob))) {
                contents.layer(in, layer.path("mediaType").asText());
            }
        }
        Map<String, String> out = listing(contents);
        out.put("(config)", Digest.parse(m.path("config").path("digest").asText()).hex());
        return out;
    }

    private static Map<String, String> listing(Contents contents) {
        Map<String, String> out = new TreeMap<>();
        for (SbomFile f : contents.files()) {
            out.put(f.path(), f.sha256().hex());
        }
        return out;
    }

    /** What differs between {@code recorded} and {@code rebuilt}, one line an entry, in path order. */
    static List<String> differences(Map<String, String> recorded, Map<String, String> rebuilt) {
        SortedSet<String> paths = new TreeSet<>(recorded.keySet());
        paths.addAll(rebuilt.keySet());
        List<String> out = new ArrayList<>();
        for (String path : paths) {
            String was = recorded.get(path);
            String is = rebuilt.get(path);
            if (was == null) {
                out.add(path + ": only in the rebuild (sha256:" + is + ")");
            } else if (is == null) {
                out.add(path + ": only in the release (sha256:" + was + ")");
            } else if (!was.equals(is)) {
                out.add(path + ": sha256:" + was + " released, sha256:" + is + " rebuilt");
            }
        }
        if (out.isEmpty()) {
            out.add("the same entries with the same contents: the difference is in how they are stored (order, times, modes, compression)");
        }
        return out;
    }
}
