package dev.cutter.sigstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cutter.http.Backoff;
import dev.cutter.http.Sender;
import dev.cutter.oci.AssembledImage;
import dev.cutter.oci.Descriptor;
import dev.cutter.oci.ImageAssembler;
import dev.cutter.oci.ImageConfig;
import dev.cutter.oci.LayerBuilder;
import dev.cutter.oci.LayoutTarget;
import dev.cutter.oci.OciLayout;
import dev.cutter.oci.Platform;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keyless signatures checked by Cutter ({@link KeylessVerifier}) against the trusted root of
 * npm's {@code @sigstore/mock} (a fake of Fulcio and Rekor, {@link SigstoreMock}): a file's bundle
 * and an image's cosign signature (made keyless, with the certificate, chain and Rekor entry in its
 * layer's annotations) pass for the token's identity and issuer, and each fault is refused with
 * why: a tampered signature, another identity, another issuer, a certificate of another CA, a
 * tampered signed entry timestamp, another signature's log entry, a tampered inclusion proof. The
 * image's signature is also verified by sigstore-js over its payload, rebuilt as the v0.1 bundle
 * its annotations hold.
 */
class KeylessVerifierTest {
    static final String ISSUER = "https://token.actions.githubusercontent.com";
    static final String IDENTITY = "https://github.com/acme/app/.github/workflows/release.yml@refs/tags/v1.2.0";
    static final KeylessVerifier.Identity EXPECTED = new KeylessVerifier.Identity(IDENTITY, ISSUER);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    static Path dir;
    static SigstoreMock mock;
    static SigstoreMock otherCa;

    @BeforeAll
    static void start() throws Exception {
        mock = SigstoreMock.start(Files.createDirectories(dir.resolve("mock")));
        otherCa = SigstoreMock.start(Files.createDirectories(dir.resolve("other")));
    }

    @AfterAll
    static void stop() {
        mock.close();
        otherCa.close();
    }

    static EphemeralSigner signer(SigstoreMock at, String identity, String issuer) throws Exception {
        Sender sender = new Sender(HttpClient.newHttpClient(), new Backoff(3, Duration.ofMillis(10), Duration.ofMillis(50),
                Duration.ofSeconds(5)), d -> {}, Clock.systemUTC());
        String token = SigstoreMock.token(Map.of("iss", issuer, "sub", identity, "aud", "sigstore",
                "exp", Instant.now().plusSeconds(600).getEpochSecond()));
        return new EphemeralSigner(() -> token, new Fulcio(at.url, sender, Duration.ofSeconds(5)),
                new Rekor(at.url, sender, Duration.ofSeconds(5)), Clock.systemUTC());
    }

    static KeylessVerifier verifier(KeylessVerifier.Identity expected) throws Exception {
        return new KeylessVerifier(TrustedRoot.parse(Files.readAllBytes(mock.trustedRoot)), expected);
    }

    private static Path file(String name) throws Exception {
        return Files.writeString(dir.resolve(name), "the release's " + name + "\n");
    }

    private static SigstoreBundle edited(SigstoreBundle bundle, java.util.function.Consumer<ObjectNode> edit) throws Exception {
        ObjectNode json = (ObjectNode) JSON.readTree(bundle.toJson());
        edit.accept(json);
        return SigstoreBundle.parse(JSON.writeValueAsBytes(json));
    }

    private static ObjectNode entry(ObjectNode bundle) {
        return (ObjectNode) bundle.path("verificationMaterial").path("tlogEntries").get(0);
    }

    /** The spec's trusted root: a file inside the project, in Sigstore's format; anything else is named with why. */
    @Test
    void aTrustedRootOutsideTheProjectOrOfAnotherFormatIsRefusedWithItsName() throws Exception {
        Path project = Files.createDirectories(dir.resolve("project"));
        Files.copy(mock.trustedRoot, project.resolve("trusted_root.json"));
        Files.writeString(project.resolve("bundle.json"), "{\"mediaType\": \"application/vnd.dev.sigstore.bundle.v0.3+json\"}");
        assertThat(KeylessVerifier.read(project, "trusted_root.json", EXPECTED).expected()).isEqualTo(EXPECTED);
        assertThatThrownBy(() -> KeylessVerifier.read(project, "../mock/trusted_root.json", EXPECTED))
                .hasMessage("the trusted root '../mock/trusted_root.json' is outside the project; name a file in it");
        assertThatThrownBy(() -> KeylessVerifier.read(project, "bundle.json", EXPECTED)).hasMessage("the trusted root bundle.json: not a"
                + " Sigstore trusted root: its mediaType is not application/vnd.dev.sigstore.trustedroot+json…");
        assertThatThrownBy(() -> KeylessVerifier.read(project, "missing.json", EXPECTED))
                .hasMessage("the trusted root missing.json is not a file of the project");
    }

    @Test
    void aFileSignedKeylessVerifiesForItsIdentityAndIssuer() throws Exception {
        Path file = file("app.tar.gz");
        SigstoreBundle bundle = signer(mock, IDENTITY, ISSUER).sign(file);
        assertThat(bundle.keylessRefusal(file, verifier(EXPECTED))).isEmpty();
        assertThat(LogEntry.fromBundle(bundle.tlogEntries().get(0)).inclusionProof()).isPresent(); // the proof was checked too
    }

    @Test
    void aTamperedSignatureIsRefused() throws Exception {
        Path file = file("tampered.tar.gz");
        SigstoreBundle bundle = signer(mock, IDENTITY, ISSUER).sign(file);
        byte[] signature = bundle.signature();
        signature[signature.length - 1] ^= 1;
        SigstoreBundle tampered = new SigstoreBundle("", bundle.sha256(), signature, bundle.certificates(), bundle.tlogEntries());
        assertThat(tampered.keylessRefusal(file, verifier(EXPECTED))).hasValueSatisfying(why ->
                assertThat(why).isEqualTo("its signature does not verify over " + bundle.sha256() + " with its certificate's key"));
    }

    @Test
    void anotherIdentityOrIssuerIsRefused() throws Exception {
        Path file = file("identity.tar.gz");
        String other = "https://github.com/mallory/app/.github/workflows/release.yml@refs/heads/main";
        SigstoreBundle bundle = signer(mock, other, ISSUER).sign(file);
        assertThat(bundle.keylessRefusal(file, verifier(EXPECTED))).contains("its certificate names " + other + ", not the identity "
                + IDENTITY);

        SigstoreBundle gitlab = signer(mock, IDENTITY, "https://gitlab.com").sign(file);
        assertThat(gitlab.keylessRefusal(file, verifier(EXPECTED))).contains("its certificate's OIDC issuer is https://gitlab.com, not "
                + ISSUER);
    }

    @Test
    void aCertificateFromAnotherCaIsRefused() throws Exception {
        Path file = file("other-ca.tar.gz");
        SigstoreBundle bundle = signer(otherCa, IDENTITY, ISSUER).sign(file);
        assertThat(bundle.keylessRefusal(file, verifier(EXPECTED))).hasValueSatisfying(why -> assertThat(why)
                .startsWith("its certificate (issued by ").contains("does not chain to a certificate authority of the trusted root"));
    }

    @Test
    void aTamperedSignedEntryTimestampIsRefused() throws Exception {
        Path file = file("set.tar.gz");
        SigstoreBundle bundle = signer(mock, IDENTITY, ISSUER).sign(file);
        SigstoreBundle tampered = edited(bundle, json -> {
            ObjectNode entry = entry(json);
            entry.put("integratedTime", Long.toString(Long.parseLong(entry.path("integratedTime").asText()) - 1));
        });
        assertThat(tampered.keylessRefusal(file, verifier(EXPECTED))).hasValueSatisfying(why -> assertThat(why)
                .startsWith("its log entry's signed entry timestamp does not verify against the key of log "));
    }

    @Test
    void anotherSignaturesLogEntryIsRefused() throws Exception {
        Path file = file("entry.tar.gz");
        EphemeralSigner signer = signer(mock, IDENTITY, ISSUER);
        SigstoreBundle bundle = signer.sign(file);
        SigstoreBundle other = signer.sign(file("another.tar.gz"));
        SigstoreBundle swapped = new SigstoreBundle("", bundle.sha256(), bundle.signature(), bundle.certificates(), other.tlogEntries());
        assertThat(swapped.keylessRefusal(file, verifier(EXPECTED))).contains("its log entry records " + other.sha256() + ", not "
                + bundle.sha256());
    }

    @Test
    void aTamperedInclusionProofIsRefused() throws Exception {
        Path file = file("proof.tar.gz");
        EphemeralSigner signer = signer(mock, IDENTITY, ISSUER);
        signer.sign(file("first.tar.gz")); // a tree of more than one leaf, so the proof has a hash
        SigstoreBundle bundle = signer.sign(file);
        SigstoreBundle tampered = edited(bundle, json -> {
            ObjectNode proof = (ObjectNode) entry(json).path("inclusionProof");
            byte[] root = Base64.getDecoder().decode(proof.path("rootHash").asText());
            root[0] ^= 1;
            proof.put("rootHash", Base64.getEncoder().encodeToString(root));
        });
        assertThat(tampered.keylessRefusal(file, verifier(EXPECTED))).contains("its inclusion proof does not lead to the root hash it names");
    }

    /** An index of one linux/amd64 image holding {@code text}, in an OCI layout; the index's descriptor. */
    private static Descriptor image(OciLayout layout, String text) throws Exception {
        Path file = Files.writeString(dir.resolve("file-" + text), text);
        var layer = LayerBuilder.fromFiles(Map.of("/srv/file", file), Map.of(), 0, layout.blobs());
        AssembledImage image = ImageAssembler.assemble(Platform.parse("linux/amd64"), List.of(layer), new ImageConfig(List.of(),
                List.of("/bin/sh"), Map.of(), Optional.empty(), Optional.empty(), Map.of(), Instant.EPOCH), layout.blobs());
        return ImageAssembler.index(List.of(image), Map.of(), layout.blobs());
    }

    @Test
    void anImageSignedKeylessCarriesCosignsAnnotationsVerifiesAndIsKept() throws Exception {
        OciLayout layout = OciLayout.open(dir.resolve("oci"));
        LayoutTarget target = new LayoutTarget(layout);
        Descriptor index = image(layout, "a");
        CosignSignatures.Signing keyless = CosignSignatures.Signing.keyless(signer(mock, IDENTITY, ISSUER), Optional.empty());

        assertThat(CosignSignatures.signImage(target, index, "registry/acme/app", keyless)).isEqualTo(2);
        assertThat(CosignSignatures.signImage(target, index, "registry/acme/app", keyless)).isZero(); // kept

        JsonNode manifest = JSON.readTree(target.getManifest(target.resolve(CosignSignatures.tag(index.digest())).orElseThrow().digest())
                .orElseThrow());
        assertThat(manifest.path("artifactType").asText()).isEqualTo(CosignSignatures.ARTIFACT_TYPE);
        assertThat(manifest.path("subject").path("digest").asText()).isEqualTo(index.digest().toString());
        JsonNode annotations = manifest.path("layers").get(0).path("annotations");
        assertThat(annotations.path(CosignSignatures.CERTIFICATE).asText()).startsWith("-----BEGIN CERTIFICATE-----\n");
        assertThat(annotations.path(CosignSignatures.CHAIN).asText()).startsWith("-----BEGIN CERTIFICATE-----\n");
        JsonNode rekor = JSON.readTree(annotations.path(LogEntry.COSIGN_ANNOTATION).asText());
        assertThat(rekor.path("SignedEntryTimestamp").isTextual()).isTrue();
        assertThat(rekor.path("Payload").path("logID").asText()).matches("[0-9a-f]{64}");
        assertThat(rekor.path("Payload").path("integratedTime").isNumber()).isTrue();

        SignatureCheck.Findings found = SignatureCheck.image(target, "layout", index.digest(),
                new SignatureCheck.Trust.Keyless(verifier(EXPECTED)));
        assertThat(found.problems()).isEmpty();
        assertThat(found.manifests()).isEqualTo(2);

        KeylessVerifier.Identity other = new KeylessVerifier.Identity("https://github.com/acme/app/.github/workflows/other.yml@refs/tags/v1.2.0",
                ISSUER);
        SignatureCheck.Findings wrong = SignatureCheck.image(target, "layout", index.digest(),
                new SignatureCheck.Trust.Keyless(verifier(other)));
        assertThat(wrong.problems()).hasSize(2).first().asString().isEqualTo("layout@" + index.digest() + ": no cosign signature by the"
                + " identity " + other + " of this manifest (tag " + CosignSignatures.tag(index.digest()) + " holds one that is refused:"
                + " its certificate names " + IDENTITY + ", not the identity " + other.subject() + ")");

        // a key's signature is not a keyless one
        var key = TestKeys.ecdsa();
        Descriptor keyed = image(layout, "b");
        CosignSignatures.signImage(target, keyed, "registry/acme/app", key);
        assertThat(SignatureCheck.image(target, "layout", keyed.digest(), new SignatureCheck.Trust.Keyless(verifier(EXPECTED))).problems())
                .first().asString().contains("holds one that is refused: it has no certificate (a key's signature, not a keyless one)");
    }

    /**
     * A keyless signature made earlier stays only when the spec's trusted root and identity accept
     * it: one by another identity (another CI, or someone who could push to the repository) is
     * signed beside, as cosign appends, and the check then finds the release's.
     */
    @Test
    void anEarlierKeylessSignatureByAnotherIdentityIsNotTakenForTheReleases() throws Exception {
        OciLayout layout = OciLayout.open(dir.resolve("oci-other"));
        LayoutTarget target = new LayoutTarget(layout);
        Descriptor index = image(layout, "other");
        String mallory = "https://github.com/mallory/app/.github/workflows/release.yml@refs/tags/v1.2.0";
        CosignSignatures.signImage(target, index, "registry/acme/app",
                CosignSignatures.Signing.keyless(signer(mock, mallory, ISSUER), Optional.empty()));
        SignatureCheck.Trust trust = new SignatureCheck.Trust.Keyless(verifier(EXPECTED));
        assertThat(SignatureCheck.image(target, "layout", index.digest(), trust).problems()).hasSize(2);

        CosignSignatures.Signing release = CosignSignatures.Signing.keyless(signer(mock, IDENTITY, ISSUER), Optional.of(verifier(EXPECTED)));
        assertThat(CosignSignatures.signImage(target, index, "registry/acme/app", release)).isEqualTo(2);
        assertThat(CosignSignatures.signImage(target, index, "registry/acme/app", release)).isZero();
        assertThat(CosignSignatures.read(target, index.digest())).hasSize(2);
        assertThat(SignatureCheck.image(target, "layout", index.digest(), trust).problems()).isEmpty();
    }

    @Test
    void sigstoreJsVerifiesTheImageSignatureOverItsPayload() throws Exception {
        OciLayout layout = OciLayout.open(dir.resolve("oci-js"));
        LayoutTarget target = new LayoutTarget(layout);
        Descriptor index = image(layout, "js");
        CosignSignatures.signImage(target, index, "registry/acme/app",
                CosignSignatures.Signing.keyless(signer(mock, IDENTITY, ISSUER), Optional.empty()));
        CosignSignatures.Signature signature = CosignSignatures.read(target, index.digest()).get(0);

        Path payload = Files.write(dir.resolve("payload.json"), signature.payload());
        Path bundle = Files.write(dir.resolve("payload.json.sigstore.json"), SigstoreMock.cosignBundle(signature));
        SigstoreMock.Verdict verdict = mock.verify(bundle, payload, IDENTITY, ISSUER);
        assertThat(verdict.verified()).as(verdict.output()).isTrue();
        assertThat(mock.verify(bundle, payload, IDENTITY + "x", ISSUER).verified()).isFalse();
        Path other = Files.writeString(dir.resolve("other-payload.json"), "{}");
        assertThat(mock.verify(bundle, other, IDENTITY, ISSUER).verified()).isFalse();
    }
}
