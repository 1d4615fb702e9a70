package dev.cutter.attest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.cutter.content.Digest;
import dev.cutter.sign.OpenPgpKey;
import dev.cutter.testing.Tools;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DSSE envelopes of SLSA provenance, checked by a second implementation: openssl verifies the
 * signature over the pre-authentication encoding it is given, with the public key as PEM.
 */
class DsseTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    static OpenPgpKey releaseKey() throws Exception {
        try (InputStream in = Files.newInputStream(Path.of("examples/km/keys/release-key.asc"))) {
            return OpenPgpKey.read(in, new char[0]);
        }
    }

    static Provenance provenance() {
        Digest index = Digest.sha256("index".getBytes(StandardCharsets.UTF_8));
        return new Provenance(List.of(new Provenance.Subject("127.0.0.1:5000/app", index)), "1.0", "cutter.yaml",
                Digest.sha256("spec".getBytes(StandardCharsets.UTF_8)), Digest.sha256("plan".getBytes(StandardCharsets.UTF_8)),
                "1.2.3", "v1.2.3", "stable", Optional.of("0123456789abcdef0123456789abcdef01234567"), Optional.empty(),
                Map.of("BUILD_TAGS", "otlp"),
                List.of(Provenance.Material.of("oci://127.0.0.1:5000/base@" + index, index),
                        new Provenance.Material("git+file:.", Map.of("gitCommit", "0123456789abcdef0123456789abcdef01234567"))),
                "run-1", Instant.parse("2024-05-01T10:00:00Z"), Instant.parse("2024-05-01T10:01:00Z"));
    }

    @Test
    void theStatementIsInTotoV1WithSlsaProvenanceV1() throws Exception {
        JsonNode statement = JSON.readTree(provenance().statement());
        assertThat(statement.path("_type").asText()).isEqualTo("https://in-toto.io/Statement/v1");
        assertThat(statement.path("predicateType").asText()).isEqualTo("https://slsa.dev/provenance/v1");
        assertThat(statement.path("subject").get(0).path("digest").path("sha256").asText()).hasSize(64);
        JsonNode predicate = statement.path("predicate");
        assertThat(predicate.at("/buildDefinition/buildType").asText()).isEqualTo(Provenance.BUILD_TYPE);
        assertThat(predicate.at("/buildDefinition/externalParameters/vars/BUILD_TAGS").asText()).isEqualTo("otlp");
        assertThat(predicate.at("/buildDefinition/internalParameters/plan/digest/sha256").asText()).hasSize(64);
        assertThat(predicate.at("/buildDefinition/resolvedDependencies/1/digest/gitCommit").asText()).hasSize(40);
        assertThat(predicate.at("/runDetails/builder/id").asText()).isEqualTo("https://cutter.dev/cutter@1.0");
        assertThat(predicate.at("/runDetails/metadata/invocationId").asText()).isEqualTo("run-1");
        assertThat(predicate.at("/runDetails/metadata/finishedOn").asText()).isEqualTo("2024-05-01T10:01:00Z");
    }

    @Test
    void openSslVerifiesTheEnvelopeSignedWithTheReleaseKey(@TempDir Path tmp) throws Exception {
        OpenPgpKey key = releaseKey();
        EnvelopeSigner signer = EnvelopeSigner.of(key.fingerprint(), key.keyPair());
        Dsse envelope = Dsse.parse(provenance().signed(signer).toJson());

        assertThat(envelope.signatures()).extracting(Dsse.Signature::keyId).containsExactly(key.fingerprint());
        assertThat(envelope.verifiedBy(signer.publicKey())).isTrue();
        assertThat(openssl(tmp, signer.publicKeyPem(), envelope.payloadType(), envelope.payload(), envelope.signatures().get(0).sig(),
                true)).isZero();

        // the same signature over another payload (or the bare payload) does not verify
        byte[] tampered = new String(envelope.payload(), StandardCharsets.UTF_8).replace("1.2.3", "9.9.9").getBytes(StandardCharsets.UTF_8);
        assertThat(openssl(tmp, signer.publicKeyPem(), envelope.payloadType(), tampered, envelope.signatures().get(0).sig(), true))
                .isNotZero();
        assertThat(new Dsse(envelope.payloadType(), tampered, envelope.signatures()).verifiedBy(signer.publicKey())).isFalse();
    }

    @Test
    void openSslVerifiesAnEcdsaEnvelope(@TempDir Path tmp) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair pair = generator.generateKeyPair();
        EnvelopeSigner signer = EnvelopeSigner.of("ec", pair);
        Dsse envelope = provenance().signed(signer);
        assertThat(openssl(tmp, signer.publicKeyPem(), envelope.payloadType(), envelope.payload(), envelope.signatures().get(0).sig(),
                false)).isZero();
    }

    @Test
    void thePreAuthenticationEncodingIsTheSpecs() {
        assertThat(new String(Dsse.pae("http://example.com/HelloWorld", "hello world".getBytes(StandardCharsets.UTF_8)),
                StandardCharsets.UTF_8)).isEqualTo("DSSEv1 29 http://example.com/HelloWorld 11 hello world");
    }

    /** openssl's verdict (its exit code) on {@code sig} over the envelope's PAE; Ed25519 is verified raw. */
    static int openssl(Path tmp, String pem, String type, byte[] payload, byte[] sig, boolean raw) throws Exception {
        Path pub = Files.writeString(tmp.resolve("key.pem"), pem);
        Path message = Files.write(tmp.resolve("pae.bin"), Dsse.pae(type, payload));
        Path signature = Files.write(tmp.resolve("sig.bin"), sig);
        List<String> command = raw
                ? List.of(Tools.require("openssl", "openssl").toString(), "pkeyutl", "-verify", "-pubin", "-inkey", pub.toString(),
                        "-rawin", "-in", message.toString(), "-sigfile", signature.toString())
                : List.of(Tools.require("openssl", "openssl").toString(), "dgst", "-sha256", "-verify", pub.toString(),
                        "-signature", signature.toString(), message.toString());
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor();
    }
}
