package dev.cutter.sigstore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cutter.content.Digest;
import dev.cutter.http.HttpException;
import dev.cutter.http.Sender;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;

/**
 * Rekor's v1 API: {@code POST /api/v1/log/entries} with a {@code hashedrekord} 0.0.1 entry (the
 * SHA-256 of what was signed, the signature, the signing certificate as PEM), answered with the
 * entry: its body, log index, integrated time, inclusion proof (with the signed checkpoint) and
 * signed entry timestamp, which {@link #tlogEntry} turns into a bundle's {@code tlogEntries}
 * element. An entry Rekor already holds (409, a repeat after a lost answer) is read from where its
 * {@code Location} header says. Passing failures are tried again as the service asks ({@link Sender}).
 *
 * @param base the service's URL, {@code https://rekor.sigstore.dev} for Sigstore's public instance
 */
public record Rekor(URI base, Sender sender, Duration timeout) implements KeylessSigner.TransparencyLog {
    static final String PATH = "/api/v1/log/entries";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    public Rekor {
        Objects.requireNonNull(base, "base");
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(timeout, "timeout");
    }

    @Override
    public JsonNode record(Digest digest, byte[] signature, byte[] certificate) throws IOException {
        ObjectNode entry = JSON.createObjectNode();
        entry.put("apiVersion", "0.0.1").put("kind", "hashedrekord");
        ObjectNode spec = entry.putObject("spec");
        spec.putObject("data").putObject("hash").put("algorithm", "sha256").put("value", digest.hex());
        ObjectNode sig = spec.putObject("signature");
        sig.put("content", Base64.getEncoder().encodeToString(signature));
        String pem = Certificates.toPem(java.util.List.of(certificate));
        sig.putObject("publicKey").put("content", Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.US_ASCII)));
        byte[] body = JSON.writeValueAsBytes(entry);
        URI uri = URI.create(base.toString().replaceAll("/+$", "") + PATH);
        HttpResponse<InputStream> response = send(() -> HttpRequest.newBuilder(uri).timeout(timeout)
                .header("Content-Type", "application/json").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
        if (response.statusCode() == 409 && response.headers().firstValue("location").isPresent()) {
            String location = response.headers().firstValue("location").get();
            close(response);
            URI existing = dev.cutter.http.Origin.resolveHttp(uri, location).orElseThrow(() -> KeylessException.refused(
                    "Rekor at " + HttpException.safe(base) + " answered 409 with a Location that is no http(s) URL: " + location));
            response = send(() -> HttpRequest.newBuilder(existing).timeout(timeout).header("Accept", "application/json").GET().build());
        }
        if (response.statusCode() != 200 && response.statusCode() != 201) {
            HttpException e = sender.failure(response);
            throw new KeylessException("Rekor could not record the signature: " + e.getMessage(), e.retryable(),
                    e.retryAfter().orElse(null), e);
        }
        JsonNode answer;
        try (InputStream in = response.body()) {
            answer = JSON.readTree(in.readNBytes(16 << 20));
        } catch (IOException e) {
            throw KeylessException.refused("Rekor at " + HttpException.safe(base) + " answered no JSON: " + e.getMessage());
        }
        Iterator<Map.Entry<String, JsonNode>> entries = answer == null ? java.util.Collections.emptyIterator() : answer.fields();
        if (!entries.hasNext()) {
            throw KeylessException.refused("Rekor at " + HttpException.safe(base) + " answered no log entry");
        }
        JsonNode logged = entries.next().getValue();
        JsonNode recorded = recordedBody(logged);
        if (!recorded.path("spec").path("signature").path("content").asText().equals(sig.path("content").asText())
                || !recorded.path("spec").path("data").path("hash").path("value").asText().equals(digest.hex())) {
            throw KeylessException.refused("Rekor at " + HttpException.safe(base) + " answered an entry of another signature or digest");
        }
        try {
            return tlogEntry(logged);
        } catch (IllegalArgumentException e) {
            throw KeylessException.refused("Rekor at " + HttpException.safe(base) + " answered an entry that cannot be read: " + e.getMessage());
        }
    }

    private HttpResponse<InputStream> send(java.util.function.Supplier<HttpRequest> request) throws KeylessException {
        try {
            return sender.send(request);
        } catch (HttpException e) {
            throw new KeylessException("Rekor could not record the signature: " + e.getMessage(), e.retryable(),
                    e.retryAfter().orElse(null), e);
        }
    }

    private JsonNode recordedBody(JsonNode logged) throws KeylessException {
        try {
            return JSON.readTree(Base64.getDecoder().decode(logged.path("body").asText()));
        } catch (IOException | IllegalArgumentException e) {
            throw KeylessException.refused("Rekor at " + HttpException.safe(base) + " answered an entry whose body is not base64 JSON");
        }
    }

    /**
     * A Rekor v1 entry as a bundle's {@code TransparencyLogEntry} (protobuf-specs' JSON names: 64-bit
     * numbers as strings, bytes in base64, Rekor's hex log id and hashes turned to bytes).
     */
    static JsonNode tlogEntry(JsonNode logged) throws KeylessException {
        JsonNode proof = logged.path("verification").path("inclusionProof");
        if (!logged.path("verification").path("signedEntryTimestamp").isTextual() || !proof.isObject()) {
            throw KeylessException.refused("Rekor answered an entry without its inclusion proof and signed entry timestamp");
        }
        HexFormat hex = HexFormat.of();
        Base64.Encoder b64 = Base64.getEncoder();
        ObjectNode out = JSON.createObjectNode();
        out.put("logIndex", logged.path("logIndex").asText());
        out.putObject("logId").put("keyId", b64.encodeToString(hex.parseHex(logged.path("logID").asText())));
        out.putObject("kindVersion").put("kind", "hashedrekord").put("version", "0.0.1");
        out.put("integratedTime", logged.path("integratedTime").asText());
        out.putObject("inclusionPromise").put("signedEntryTimestamp", logged.path("verification").path("signedEntryTimestamp").asText());
        ObjectNode inclusion = out.putObject("inclusionProof");
        inclusion.put("logIndex", proof.path("logIndex").asText());
        inclusion.put("rootHash", b64.encodeToString(hex.parseHex(proof.path("rootHash").asText())));
        inclusion.put("treeSize", proof.path("treeSize").asText());
        var hashes = inclusion.putArray("hashes");
        proof.path("hashes").forEach(h -> hashes.add(b64.encodeToString(hex.parseHex(h.asText()))));
        inclusion.putObject("checkpoint").put("envelope", proof.path("checkpoint").asText());
        out.put("canonicalizedBody", logged.path("body").asText());
        return out;
    }

    private static void close(HttpResponse<InputStream> response) {
        try {
            response.body().close();
        } catch (IOException ignored) {
            // the answer was not wanted
        }
    }
}
