package dev.cutter.sigstore;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.cutter.attest.EnvelopeSigner;
import dev.cutter.content.Digest;
import dev.cutter.testing.Tools;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sigstore bundles of files, checked by implementations Cutter's authors did not write:
 * sigstore-js ({@code @sigstore/bundle} and {@code @sigstore/verify} from npm) for ECDSA P-256 and
 * RSA keys, and openssl for Ed25519, whose message signatures sigstore-js cannot verify (it
 * passes the SHA-256 of the bundle's digest algorithm to Node's verify, which Ed25519 refuses).
 */
class SigstoreBundleTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    static final Path SCRIPT = Path.of("src/test/resources/supply/verify-bundle.cjs").toAbsolutePath();

    @TempDir
    Path tmp;

    @Test
    void sigstoreJsVerifiesTheBundlesOfEcdsaAndRsaKeysAndRefusesAnotherFileOrKey() throws Exception {
        Path file = Files.writeString(tmp.resolve("app-1.0.tar.gz"), "an archive\n".repeat(10_000));
        for (EnvelopeSigner signer : List.of(TestKeys.ecdsa(), TestKeys.rsa())) {
            Path bundle = Files.write(tmp.resolve("app.sigstore.json"), SigstoreBundle.sign(file, signer).toJson());
            Path pem = Files.writeString(tmp.resolve("key.pem"), signer.publicKeyPem());
            assertThat(sigstoreJs(bundle, file, pem)).as(signer.keyId()).startsWith("verified");

            Path other = Files.writeString(tmp.resolve("other.tar.gz"), "another archive\n");
            assertThat(sigstoreJs(bundle, other, pem)).contains("SIGNATURE_ERROR");
            Path wrong = Files.writeString(tmp.resolve("wrong.pem"), TestKeys.ecdsa().publicKeyPem());
            assertThat(sigstoreJs(bundle, file, wrong)).contains("not verified");

            SigstoreBundle read = SigstoreBundle.parse(Files.readAllBytes(bundle));
            assertThat(read.verifies(file, signer.publicKey())).isTrue();
            assertThat(read.verifies(other, signer.publicKey())).isFalse();
        }
    }

    @Test
    void everyKeySignsTheSameFileTheSameWaySoAReleaseMadeAgainChangesNothing() throws Exception {
        Path file = Files.writeString(tmp.resolve("SHA256SUMS"), "abc  app.tar.gz\n");
        for (EnvelopeSigner signer : TestKeys.all()) {
            byte[] first = SigstoreBundle.sign(file, signer).toJson();
            assertThat(SigstoreBundle.sign(file, signer).toJson()).as(signer.keyId()).isEqualTo(first);
            byte[] payload = new SimpleSigning("127.0.0.1:5000/acme/app", Digest.sha256(first)).bytes();
            assertThat(signer.sign(payload)).as(signer.keyId()).isEqualTo(signer.sign(payload));
        }
    }

    @Test
    void theBundleIsV03WithAMessageSignatureAndTheKeysHint() throws Exception {
        Path file = Files.writeString(tmp.resolve("SHA256SUMS"), "abc  app.tar.gz\n");
        EnvelopeSigner signer = TestKeys.release();
        JsonNode bundle = JSON.readTree(SigstoreBundle.sign(file, signer).toJson());
        assertThat(bundle.path("mediaType").asText()).isEqualTo("application/vnd.dev.sigstore.bundle.v0.3+json");
        assertThat(bundle.at("/verificationMaterial/publicKey/hint").asText()).isEqualTo(signer.keyId());
        assertThat(bundle.at("/verificationMaterial/tlogEntries").isArray()).isTrue();
        assertThat(bundle.at("/messageSignature/messageDigest/algorithm").asText()).isEqualTo("SHA2_256");
        assertThat(bundle.at("/messageSignature/messageDigest/digest").asText())
                .isEqualTo(java.util.Base64.getEncoder().encodeToString(java.security.MessageDigest.getInstance("SHA-256")
                        .digest(Files.readAllBytes(file))));
    }

    @Test
    void opensslVerifiesAnEd25519BundlesSignatureOverTheFile() throws Exception {
        Path file = Files.writeString(tmp.resolve("SHA256SUMS"), "abc  app.tar.gz\n");
        EnvelopeSigner signer = TestKeys.release();
        SigstoreBundle bundle = SigstoreBundle.parse(SigstoreBundle.sign(file, signer).toJson());
        Path pem = Files.writeString(tmp.resolve("key.pem"), signer.publicKeyPem());
        Path sig = Files.write(tmp.resolve("sig.bin"), bundle.signature());
        assertThat(run(Tools.require("openssl", "openssl").toString(), "pkeyutl", "-verify", "-pubin", "-inkey", pem.toString(),
                "-rawin", "-in", file.toString(), "-sigfile", sig.toString())).contains("Signature Verified Successfully");
        Files.writeString(file, "abd  app.tar.gz\n");
        assertThat(bundle.verifies(file, signer.publicKey())).isFalse();
    }

    /** sigstore-js's verdict on {@code bundle} of {@code file} with the key in {@code pem}: its output. */
    static String sigstoreJs(Path bundle, Path file, Path pem) throws Exception {
        Path modules = Path.of(".tools/npm/node_modules").toAbsolutePath();
        if (!Files.isDirectory(modules.resolve("@sigstore/verify"))) {
            throw new AssertionError("@sigstore/verify is not installed in .tools/npm; run scripts/setup");
        }
        ProcessBuilder builder = new ProcessBuilder(Tools.require("node", "nodejs").toString(), SCRIPT.toString(), bundle.toString(),
                file.toString(), pem.toString()).redirectErrorStream(true);
        builder.environment().put("NODE_PATH", modules.toString());
        Process p = builder.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return out.strip();
    }

    private static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return out;
    }
}
