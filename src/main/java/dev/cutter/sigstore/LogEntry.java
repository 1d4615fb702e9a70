package dev.cutter.sigstore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

/**
 * A Rekor v1 entry as a verifier needs it: its canonicalized body (base64), where and when it was
 * logged, the log's signed entry timestamp (the SET, Rekor's signature over those four) and, where
 * the signer kept it, the inclusion proof. Read from a Sigstore bundle's {@code tlogEntries}
 * element or from cosign's {@code dev.sigstore.cosign/bundle} annotation, which keeps the SET
 * only; written as that annotation.
 *
 * @param inclusionProof the bundle's {@code inclusionProof} (protobuf-specs' JSON), absent in cosign's annotation
 */
public record LogEntry(String body, long integratedTime, long logIndex, byte[] logId, byte[] signedEntryTimestamp,
        Optional<JsonNode> inclusionProof) {
    /** The layer annotation cosign keeps an image signature's Rekor entry in. */
    public static final String COSIGN_ANNOTATION = "dev.sigstore.cosign/bundle";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    public LogEntry {
        logId = logId.clone();
        signedEntryTimestamp = signedEntryTimestamp.clone();
    }

    @Override
    public byte[] logId() {
        return logId.clone();
    }

    @Override
    public byte[] signedEntryTimestamp() {
        return signedEntryTimestamp.clone();
    }

    /** A bundle's {@code TransparencyLogEntry}; one without a body or SET is an {@link IllegalArgumentException} saying so. */
    public static LogEntry fromBundle(JsonNode entry) {
        String set = entry.path("inclusionPromise").path("signedEntryTimestamp").asText("");
        if (!entry.path("canonicalizedBody").isTextual() || set.isEmpty()) {
            throw new IllegalArgumentException("its log entry has no canonicalized body or no signed entry timestamp");
        }
        JsonNode proof = entry.path("inclusionProof");
        return new LogEntry(entry.path("canonicalizedBody").asText(), number(entry, "integratedTime"), number(entry, "logIndex"),
                Base64.getDecoder().decode(entry.path("logId").path("keyId").asText("")), Base64.getDecoder().decode(set),
                proof.isObject() ? Optional.of(proof) : Optional.empty());
    }

    /** cosign's annotation: {@code {"SignedEntryTimestamp": base64, "Payload": {body, integratedTime, logIndex, logID (hex)}}}. */
    public static LogEntry fromCosign(String annotation) {
        JsonNode root;
        try {
            root = JSON.readTree(annotation);
        } catch (IOException e) {
            throw new IllegalArgumentException("its " + COSIGN_ANNOTATION + " annotation is not JSON: " + e.getMessage(), e);
        }
        JsonNode payload = root == null ? null : root.path("Payload");
        if (payload == null || !payload.path("body").isTextual() || !root.path("SignedEntryTimestamp").isTextual()) {
            throw new IllegalArgumentException("its " + COSIGN_ANNOTATION + " annotation lacks Payload.body or SignedEntryTimestamp");
        }
        return new LogEntry(payload.path("body").asText(), number(payload, "integratedTime"), number(payload, "logIndex"),
                HexFormat.of().parseHex(payload.path("logID").asText("")), Base64.getDecoder().decode(root.path("SignedEntryTimestamp").asText()),
                Optional.empty());
    }

    /** cosign's {@value #COSIGN_ANNOTATION} annotation of this entry, keys in cosign's order. */
    public String toCosign() {
        ObjectNode root = JSON.createObjectNode();
        root.put("SignedEntryTimestamp", Base64.getEncoder().encodeToString(signedEntryTimestamp));
        ObjectNode payload = root.putObject("Payload");
        payload.put("body", body);
        payload.put("integratedTime", integratedTime);
        payload.put("logIndex", logIndex);
        payload.put("logID", HexFormat.of().formatHex(logId));
        return write(root);
    }

    /**
     * What the SET signs: Rekor's canonical JSON of the body, integrated time, log id (hex) and log
     * index, keys sorted, no spaces.
     */
    public byte[] signedContent() {
        ObjectNode root = JSON.createObjectNode();
        root.put("body", body);
        root.put("integratedTime", integratedTime);
        root.put("logID", HexFormat.of().formatHex(logId));
        root.put("logIndex", logIndex);
        return write(root).getBytes(StandardCharsets.UTF_8);
    }

    /** The entry's body, decoded: the {@code hashedrekord} (or other kind) Rekor recorded. */
    public JsonNode decodedBody() {
        try {
            return JSON.readTree(Base64.getDecoder().decode(body));
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("its log entry's body is not base64 JSON", e);
        }
    }

    /** The body's bytes, as the log hashed them into its tree. */
    byte[] bodyBytes() {
        return Base64.getDecoder().decode(body);
    }

    private static long number(JsonNode node, String field) {
        JsonNode value = node.path(field);
        try {
            return value.isNumber() ? value.asLong() : Long.parseLong(value.asText());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("its log entry's " + field + " is not a number: '" + value.asText() + "'", e);
        }
    }

    private static String write(ObjectNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
