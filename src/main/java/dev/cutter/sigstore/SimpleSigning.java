package dev.cutter.sigstore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cutter.content.Digest;
import dev.cutter.content.JsonDocument;

/**
 * The payload a cosign image signature signs (Red Hat's "simple signing" format as cosign writes
 * it): which manifest digest is signed, and the repository it was signed for. cosign and
 * containers/image read exactly these keys; {@code optional} is {@code null}, so the same image
 * gives the same payload and, for Ed25519 and RSA keys, the same signature.
 *
 * @param dockerReference the repository, {@code host/path} without a tag, as cosign names it
 * @param manifestDigest the signed manifest or index
 */
public record SimpleSigning(String dockerReference, Digest manifestDigest) {
    /** The media type of the payload, as the signature manifest's layer. */
    public static final String MEDIA_TYPE = "application/vnd.dev.cosign.simplesigning.v1+json";
    /** The value of {@code critical.type} cosign writes and verifiers require. */
    public static final String TYPE = "cosign container image signature";

    /** The payload's bytes: compact JSON, keys in cosign's order. */
    public byte[] bytes() {
        ObjectNode root = JsonDocument.object();
        ObjectNode critical = root.putObject("critical");
        critical.putObject("identity").put("docker-reference", dockerReference);
        critical.putObject("image").put("docker-manifest-digest", manifestDigest.toString());
        critical.put("type", TYPE);
        root.putNull("optional");
        return JsonDocument.compact(root);
    }

    /** Reads a payload; one that is not a cosign signature payload is an {@link IllegalArgumentException} saying why. */
    public static SimpleSigning parse(byte[] payload) {
        JsonNode root = JsonDocument.read(payload, "not a simple-signing payload");
        JsonNode critical = root == null ? null : root.path("critical");
        if (critical == null || !TYPE.equals(critical.path("type").asText(null))) {
            throw new IllegalArgumentException("not a simple-signing payload: critical.type is not '" + TYPE + "'");
        }
        String reference = critical.path("identity").path("docker-reference").asText("");
        String digest = critical.path("image").path("docker-manifest-digest").asText("");
        try {
            return new SimpleSigning(reference, Digest.parse(digest));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a simple-signing payload: critical.image.docker-manifest-digest '" + digest
                    + "': " + e.getMessage(), e);
        }
    }
}
