package dev.cutter.repo.remote;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a sync knows of the remote's content: for each file it uploaded, the size and modification
 * time the server reported right after the upload, and the sha256 of the bytes sent.
 *
 * <p>An entry vouches for a remote file's content only while the file still has that size and
 * modification time: a file replaced behind the sync's back (other size or time) is uploaded
 * again, never trusted. {@code local} is the local file's {@link Tree#stamp} when its sha256 was
 * last computed, so the very same local file is not read again, but any other (rewritten, even
 * with the same size and time, or on another machine) is hashed before it is declared equal.
 */
record Manifest(Map<String, Entry> files) {
    static final String FORMAT = "cutter-sync/1";

    record Entry(long size, long mtimeSeconds, String sha256, String local) {}

    Manifest {
        files = Map.copyOf(files);
    }

    static Manifest empty() {
        return new Manifest(Map.of());
    }

    /** The entry for {@code rel} if it still describes the remote file {@code remote}. */
    Entry valid(String rel, Tree.Node remote) {
        Entry e = files.get(rel);
        return e != null && remote != null && remote.kind() == RemoteFs.Kind.FILE && e.size() == remote.size()
                && e.mtimeSeconds() * 1000 == remote.mtimeMillis() ? e : null;
    }

    /** Reads a manifest; an unreadable or foreign one is treated as empty (everything is uploaded again). */
    static Manifest parse(byte[] json) {
        try {
            JsonNode root = new ObjectMapper().readTree(json);
            if (root == null || !FORMAT.equals(root.path("format").asText())) {
                return empty();
            }
            Map<String, Entry> files = new TreeMap<>();
            for (Map.Entry<String, JsonNode> f : root.path("files").properties()) {
                JsonNode v = f.getValue();
                files.put(f.getKey(), new Entry(v.path("size").asLong(-1), v.path("mtime").asLong(-1),
                        v.path("sha256").asText(""), v.path("local").isTextual() ? v.path("local").asText() : ""));
            }
            return new Manifest(files);
        } catch (IOException e) {
            return empty();
        }
    }

    byte[] toJson() {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (JsonGenerator g = new JsonFactory().createGenerator(out)) {
                g.writeStartObject();
                g.writeStringField("format", FORMAT);
                g.writeObjectFieldStart("files");
                for (Map.Entry<String, Entry> f : new TreeMap<>(files).entrySet()) {
                    g.writeRaw('\n');
                    g.writeObjectFieldStart(f.getKey());
                    g.writeNumberField("size", f.getValue().size());
                    g.writeNumberField("mtime", f.getValue().mtimeSeconds());
                    g.writeStringField("sha256", f.getValue().sha256());
                    g.writeStringField("local", f.getValue().local());
                    g.writeEndObject();
                }
                g.writeEndObject();
                g.writeEndObject();
            }
            out.write('\n');
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
