package dev.cutter.sigstore;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cutter.testing.Tools;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A FAKE of Sigstore's public services: Fulcio and Rekor as npm's {@code @sigstore/mock} (the
 * Sigstore project's own mock, built from their API) answers them, served over HTTP on loopback
 * by {@code src/test/resources/supply/sigstore-mock-server.cjs}, with its CA, CT log and
 * transparency log keys written as a trusted root. It accepts any token's claims unsigned.
 * {@link #fail} and {@link #hang} make a path answer errors or nothing; {@link #requests} counts.
 */
public final class SigstoreMock implements AutoCloseable {
    static final Path SERVER = Path.of("src/test/resources/supply/sigstore-mock-server.cjs").toAbsolutePath();
    static final Path VERIFY = Path.of("src/test/resources/supply/verify-keyless.cjs").toAbsolutePath();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Process process;
    public final URI url;
    public final Path trustedRoot;
    private final HttpClient http = HttpClient.newHttpClient();

    private SigstoreMock(Process process, URI url, Path trustedRoot) {
        this.process = process;
        this.url = url;
        this.trustedRoot = trustedRoot;
    }

    static Path modules() {
        Path modules = Path.of(".tools/npm/node_modules").toAbsolutePath();
        if (!Files.isDirectory(modules.resolve("@sigstore/mock")) || !Files.isDirectory(modules.resolve("@sigstore/verify"))) {
            throw new AssertionError("@sigstore/mock and @sigstore/verify are not installed in .tools/npm; run scripts/setup");
        }
        return modules;
    }

    public static SigstoreMock start(Path dir) throws IOException {
        Path root = dir.resolve("trusted_root.json");
        ProcessBuilder builder = new ProcessBuilder(Tools.require("node", "nodejs").toString(), SERVER.toString(), root.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        builder.environment().put("NODE_PATH", modules().toString());
        Process process = builder.start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        if (line == null || !line.startsWith("listening ")) {
            process.destroyForcibly();
            throw new AssertionError("the Sigstore mock did not start: " + line);
        }
        return new SigstoreMock(process, URI.create(line.substring("listening ".length()).strip()), root);
    }

    /** An unsigned JWT with these claims: the mock, as Fulcio's own tests do, reads the claims without checking a signature. */
    public static String token(Map<String, Object> claims) throws IOException {
        java.util.Base64.Encoder b64 = java.util.Base64.getUrlEncoder().withoutPadding();
        return b64.encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(JSON.writeValueAsBytes(claims)) + ".";
    }

    /** The next {@code times} requests to {@code path} are answered {@code status} with {@code headers} and {@code body}. */
    public void fail(String path, int status, int times, Map<String, String> headers, String body) throws Exception {
        control("/__mock/fail", JSON.writeValueAsString(Map.of("path", path, "status", status, "times", times, "headers", headers,
                "body", body)));
    }

    /** The next {@code times} requests to {@code path} are never answered. */
    public void hang(String path, int times) throws Exception {
        fail(path, 0, times, Map.of(), "");
    }

    /** How many requests {@code path} received. */
    public int requests(String path) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(url.resolve("/__mock/requests")).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode counts = JSON.readTree(r.body());
        return counts.path(path).asInt(0);
    }

    private void control(String path, String body) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(url.resolve(path)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(204);
    }

    /** sigstore-js's verdict on a keyless {@code bundle} of {@code file} for that identity and issuer: its output; exit 0 when verified. */
    public Verdict verify(Path bundle, Path file, String identity, String issuer) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(List.of(Tools.require("node", "nodejs").toString(), VERIFY.toString(),
                bundle.toString(), file.toString(), trustedRoot.toString(), identity, issuer)).redirectErrorStream(true);
        builder.environment().put("NODE_PATH", modules().toString());
        Process p = builder.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Verdict(p.exitValue() == 0, out);
    }

    public record Verdict(boolean verified, String output) {}

    /** A cosign signature layer's annotations as the Sigstore bundle v0.1 they amount to: chain, SET, message signature. */
    public static byte[] cosignBundle(CosignSignatures.Signature signature) throws Exception {
        java.util.Base64.Encoder b64 = java.util.Base64.getEncoder();
        LogEntry entry = signature.entry().orElseThrow();
        ObjectNode root = JSON.createObjectNode();
        root.put("mediaType", "application/vnd.dev.sigstore.bundle+json;version=0.1");
        ObjectNode material = root.putObject("verificationMaterial");
        ArrayNode certificates = material.putObject("x509CertificateChain").putArray("certificates");
        signature.certificates().forEach(c -> certificates.addObject().put("rawBytes", b64.encodeToString(c)));
        ObjectNode e = material.putArray("tlogEntries").addObject();
        e.put("logIndex", Long.toString(entry.logIndex()));
        e.putObject("logId").put("keyId", b64.encodeToString(entry.logId()));
        e.putObject("kindVersion").put("kind", "hashedrekord").put("version", "0.0.1");
        e.put("integratedTime", Long.toString(entry.integratedTime()));
        e.putObject("inclusionPromise").put("signedEntryTimestamp", b64.encodeToString(entry.signedEntryTimestamp()));
        e.put("canonicalizedBody", entry.body());
        material.putObject("timestampVerificationData").putArray("rfc3161Timestamps");
        ObjectNode message = root.putObject("messageSignature");
        message.putObject("messageDigest").put("algorithm", "SHA2_256")
                .put("digest", b64.encodeToString(java.util.HexFormat.of().parseHex(dev.cutter.content.Digest.sha256(signature.payload()).hex())));
        message.put("signature", b64.encodeToString(signature.signature()));
        return JSON.writeValueAsBytes(root);
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
