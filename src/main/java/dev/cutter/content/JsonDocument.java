package dev.cutter.content;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The JSON documents Cutter writes and reads whole (envelopes, payloads, bundles, statements,
 * SBOMs): their bytes are what is signed and digested, so they are written one way, in one place.
 */
public final class JsonDocument {
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private JsonDocument() {}

    /** A new, empty object to build a document in. */
    public static ObjectNode object() {
        return JSON.createObjectNode();
    }

    /** A new, empty array to build a document in. */
    public static ArrayNode array() {
        return JSON.createArrayNode();
    }

    /** {@code document} as compact JSON, keys in the order they were put. */
    public static byte[] compact(JsonNode document) {
        try {
            return JSON.writeValueAsBytes(document);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code document} indented for people, keys in the order they were put. */
    public static byte[] indented(JsonNode document) {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(document);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The tree of {@code json}; JSON that does not parse is an {@link IllegalArgumentException}
     * whose message is {@code notWhat} ("not a DSSE envelope"), a colon and the parser's words.
     */
    public static JsonNode read(byte[] json, String notWhat) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException(notWhat + ": " + e.getMessage(), e);
        }
    }
}
