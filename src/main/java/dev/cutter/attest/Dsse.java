package dev.cutter.attest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cutter.content.JsonDocument;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * A DSSE envelope (Dead Simple Signing Envelope v1): a payload, its type, and signatures over the
 * pre-authentication encoding {@code "DSSEv1" SP len(type) SP type SP len(payload) SP payload},
 * never over the bare payload, so a signature cannot be replayed on another type.
 */
public record Dsse(String payloadType, byte[] payload, List<Signature> signatures) {
    /** The media type of an envelope, also the layer type of one attached to an image. */
    public static final String MEDIA_TYPE = "application/vnd.dsse.envelope.v1+json";
    /** The payload type of an in-toto Statement. */
    public static final String IN_TOTO = "application/vnd.in-toto+json";

    public Dsse {
        payload = payload.clone();
        signatures = List.copyOf(signatures);
    }

    /** One signature: the key's id and the signature's bytes. */
    public record Signature(String keyId, byte[] sig) {}

    /** The pre-authentication encoding of a payload: what is signed. */
    public static byte[] pae(String payloadType, byte[] payload) {
        byte[] type = payloadType.getBytes(StandardCharsets.UTF_8);
        byte[] head = ("DSSEv1 " + type.length + " " + payloadType + " " + payload.length + " ").getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[head.length + payload.length];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(payload, 0, out, head.length, payload.length);
        return out;
    }

    public static Dsse sign(String payloadType, byte[] payload, EnvelopeSigner signer) {
        return new Dsse(payloadType, payload, List.of(new Signature(signer.keyId(), signer.sign(pae(payloadType, payload)))));
    }

    /** Whether some signature is {@code key}'s over this envelope's encoding. */
    public boolean verifiedBy(PublicKey key) {
        byte[] message = pae(payloadType, payload);
        return signatures.stream().anyMatch(s -> EnvelopeSigner.verify(key, message, s.sig()));
    }

    @Override
    public byte[] payload() {
        return payload.clone();
    }

    /** The envelope's JSON, payload and signatures in standard base64, one line. */
    public byte[] toJson() {
        ObjectNode root = JsonDocument.object();
        root.put("payloadType", payloadType);
        root.put("payload", Base64.getEncoder().encodeToString(payload));
        var sigs = root.putArray("signatures");
        for (Signature s : signatures) {
            ObjectNode sig = sigs.addObject();
            sig.put("keyid", s.keyId());
            sig.put("sig", Base64.getEncoder().encodeToString(s.sig()));
        }
        return JsonDocument.compact(root);
    }

    /** Reads an envelope; a malformed one is an {@link IllegalArgumentException} naming what is wrong. */
    public static Dsse parse(byte[] json) {
        JsonNode root = JsonDocument.read(json, "not a DSSE envelope");
        if (root == null || !root.path("payloadType").isTextual() || !root.path("payload").isTextual()
                || !root.path("signatures").isArray()) {
            throw new IllegalArgumentException("not a DSSE envelope: it needs payloadType, payload and signatures");
        }
        List<Signature> signatures = new ArrayList<>();
        for (JsonNode s : root.path("signatures")) {
            signatures.add(new Signature(s.path("keyid").asText(""), Base64.getDecoder().decode(s.path("sig").asText(""))));
        }
        return new Dsse(root.path("payloadType").asText(), Base64.getDecoder().decode(root.path("payload").asText()), signatures);
    }
}
