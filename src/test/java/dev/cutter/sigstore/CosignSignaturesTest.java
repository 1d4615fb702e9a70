package dev.cutter.sigstore;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.cutter.attest.EnvelopeSigner;
import dev.cutter.content.Digest;
import dev.cutter.oci.Credentials;
import dev.cutter.oci.Descriptor;
import dev.cutter.oci.ImageAssembler;
import dev.cutter.oci.ImageConfig;
import dev.cutter.oci.LayerBuilder;
import dev.cutter.oci.MediaTypes;
import dev.cutter.oci.OciLayout;
import dev.cutter.oci.Platform;
import dev.cutter.oci.Pusher;
import dev.cutter.oci.Referrers;
import dev.cutter.oci.RegistryClient;
import dev.cutter.oci.RegistryTarget;
import dev.cutter.oci.Repository;
import dev.cutter.testing.LocalRegistry;
import dev.cutter.testing.Tools;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * cosign's key-based image signatures, checked by implementations Cutter's authors did not write.
 * containers/image in skopeo reads them: its {@code policy.json} requirement {@code sigstoreSigned}
 * fetches the {@code sha256-<hex>.sig} tag when the registries.d file says
 * {@code use-sigstore-attachments: true}, and, pulling one platform of an index, that platform
 * manifest's (so an image is signed as {@code cosign sign --recursive} signs). Debian 12's skopeo
 * 1.9.3 is built with sigstore verification patched out: where a signature exists it answers
 * "Debian-local change: sigstore disabled" instead of checking it (and "no signature exists" where
 * none does), so there skopeo proves the storage and openssl checks each signature over its
 * payload with the PEM public key; a skopeo that verifies must accept it with the signing key and
 * refuse another key and a tampered signature.
 */
class CosignSignaturesTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final RegistryClient CLIENT = new RegistryClient(HttpClient.newHttpClient(), Credentials.none(), Set.of());

    @TempDir
    Path tmp;

    @Test
    void skopeoAcceptsTheSignatureWithItsKeyAndRefusesAnotherKey() throws Exception {
        try (LocalRegistry registry = LocalRegistry.start()) {
            int n = 0;
            for (EnvelopeSigner signer : TestKeys.all()) {
                String repository = registry.address() + "/acme/app" + n++;
                Descriptor index = pushImage(registry, repository, "1.0.0");
                RegistryTarget target = new RegistryTarget(CLIENT, Repository.parse(repository));

                assertThat(CosignSignatures.signImage(target, index, repository, signer)).isEqualTo(3); // the index, two platforms

                String unsigned = registry.address() + "/acme/unsigned" + n;
                pushImage(registry, unsigned, "1.0.0");
                assertThat(skopeoCopy(registry, unsigned + ":1.0.0", signer.publicKeyPem(), matchRepository()))
                        .contains("A signature was required, but no signature exists");

                assertThat(skopeoCopy(registry, repository + ":1.0.0", signer.publicKeyPem(), matchRepository()))
                        .as(signer.keyId()).isIn(ACCEPTED);
                String other = skopeoCopy(registry, repository + ":1.0.0", TestKeys.ecdsa().publicKeyPem(), matchRepository());
                if (!other.equals(UNCHECKED)) {
                    assertThat(other).as(signer.keyId()).contains("cryptographic signature verification failed");
                }
                for (Digest subject : subjects(target, index)) {
                    List<CosignSignatures.Signature> signatures = CosignSignatures.read(target, subject);
                    assertThat(signatures).hasSize(1);
                    assertThat(openssl(signer.publicKey(), signatures.get(0))).as(signer.keyId()).isTrue();
                    assertThat(openssl(TestKeys.ecdsa().publicKey(), signatures.get(0))).isFalse();
                    assertThat(SimpleSigning.parse(signatures.get(0).payload())).isEqualTo(new SimpleSigning(repository, subject));
                }
                assertThat(CosignSignatures.verified(target, index.digest(), signer.publicKey())).contains(
                        new SimpleSigning(repository, index.digest()));
            }
        }
    }

    @Test
    void theSignatureIsStoredAsCosignStoresItAndAsAReferrer() throws Exception {
        try (LocalRegistry registry = LocalRegistry.start()) {
            String repository = registry.address() + "/acme/app";
            Descriptor index = pushImage(registry, repository, "1.0.0");
            RegistryTarget target = new RegistryTarget(CLIENT, Repository.parse(repository));
            EnvelopeSigner signer = TestKeys.release();
            CosignSignatures.attach(target, index, repository, signer);

            String tag = "sha256-" + index.digest().hex() + ".sig";
            JsonNode manifest = JSON.readTree(skopeo("inspect", "--tls-verify=false", "--raw", "docker://" + repository + ":" + tag));
            assertThat(manifest.path("mediaType").asText()).isEqualTo(MediaTypes.OCI_MANIFEST);
            JsonNode layer = manifest.path("layers").get(0);
            assertThat(layer.path("mediaType").asText()).isEqualTo("application/vnd.dev.cosign.simplesigning.v1+json");
            assertThat(layer.path("annotations").path("dev.cosignproject.cosign/signature").asText()).isNotEmpty();
            assertThat(manifest.path("subject").path("digest").asText()).isEqualTo(index.digest().toString());
            Path payload = tmp.resolve("payload");
            target.getBlob(Digest.parse(layer.path("digest").asText()), payload);
            assertThat(Files.readString(payload)).isEqualTo("{\"critical\":{\"identity\":{\"docker-reference\":\"" + repository
                    + "\"},\"image\":{\"docker-manifest-digest\":\"" + index.digest()
                    + "\"},\"type\":\"cosign container image signature\"},\"optional\":null}");
            assertThat(Referrers.list(target, index.digest())).extracting(Referrers.Referrer::artifactType)
                    .containsExactly(CosignSignatures.ARTIFACT_TYPE);

            // signing again with the same key keeps the first signature; the tag does not move
            Digest first = target.resolve(tag).orElseThrow().digest();
            assertThat(CosignSignatures.attach(target, index, repository, signer)).isEqualTo(CosignSignatures.Outcome.KEPT);
            assertThat(CosignSignatures.signImage(target, index, repository, signer)).isEqualTo(2); // the platforms, not yet signed
            assertThat(CosignSignatures.signImage(target, index, repository, signer)).isZero();
            assertThat(target.resolve(tag).orElseThrow().digest()).isEqualTo(first);
        }
    }

    @Test
    void skopeoRefusesATamperedSignature() throws Exception {
        try (LocalRegistry registry = LocalRegistry.start()) {
            String repository = registry.address() + "/acme/app";
            Descriptor index = pushImage(registry, repository, "1.0.0");
            RegistryTarget target = new RegistryTarget(CLIENT, Repository.parse(repository));
            EnvelopeSigner signer = TestKeys.ecdsa();
            CosignSignatures.signImage(target, index, repository, signer);
            assertThat(skopeoCopy(registry, repository + ":1.0.0", signer.publicKeyPem(), matchRepository())).isIn(ACCEPTED);

            // each signature manifest again with one bit of its signature flipped, under the same tag
            for (String tag : CLIENT.tags(Repository.parse(repository))) {
                if (!tag.endsWith(".sig")) {
                    continue;
                }
                byte[] bytes = target.getManifest(target.resolve(tag).orElseThrow().digest()).orElseThrow();
                JsonNode manifest = JSON.readTree(bytes);
                var annotations = (com.fasterxml.jackson.databind.node.ObjectNode) manifest.path("layers").get(0).path("annotations");
                byte[] sig = Base64.getDecoder().decode(annotations.path(CosignSignatures.ANNOTATION).asText());
                sig[sig.length / 2] ^= 1;
                annotations.put(CosignSignatures.ANNOTATION, Base64.getEncoder().encodeToString(sig));
                byte[] tampered = JSON.writeValueAsBytes(manifest);
                Descriptor d = new Descriptor(MediaTypes.OCI_MANIFEST, Digest.sha256(tampered), tampered.length);
                target.putManifest(d, tampered);
                target.tag(tag, d, tampered);
            }

            String tampered = skopeoCopy(registry, repository + ":1.0.0", signer.publicKeyPem(), matchRepository());
            if (!tampered.equals(UNCHECKED)) {
                assertThat(tampered).contains("cryptographic signature verification failed");
            }
            for (Digest subject : subjects(target, index)) {
                assertThat(openssl(signer.publicKey(), CosignSignatures.read(target, subject).get(0))).isFalse();
                assertThat(CosignSignatures.verified(target, subject, signer.publicKey())).isEmpty();
            }
        }
    }

    @Test
    void aCopyCarriesTheSigTagAndSkopeoVerifiesItThereWithTheRepositoryRemapped() throws Exception {
        try (LocalRegistry registry = LocalRegistry.start(); LocalRegistry mirror = LocalRegistry.start()) {
            String repository = registry.address() + "/acme/app";
            Descriptor index = pushImage(registry, repository, "1.0.0");
            RegistryTarget source = new RegistryTarget(CLIENT, Repository.parse(repository));
            EnvelopeSigner signer = TestKeys.release();
            CosignSignatures.signImage(source, index, repository, signer);

            String copied = mirror.address() + "/mirror/app";
            var to = Repository.parse(copied);
            RegistryTarget target = new RegistryTarget(CLIENT, to);
            var store = OciLayout.open(tmp.resolve("copy"));
            new dev.cutter.oci.Copier(CLIENT, store).copy(dev.cutter.oci.ImageReference.parse(repository + ":1.0.0"),
                    List.of(dev.cutter.oci.ImageReference.parse(copied + ":1.0.0")));
            assertThat(CLIENT.tags(to)).contains(CosignSignatures.tag(index.digest()));

            // the payload names the repository it was signed for; a replica's policy maps its own name to it
            String remap = "{\"type\":\"remapIdentity\",\"prefix\":\"" + copied + "\",\"signedPrefix\":\"" + repository + "\"}";
            assertThat(skopeoCopy(mirror, copied + ":1.0.0", signer.publicKeyPem(), remap)).isIn(ACCEPTED);
            for (Digest subject : subjects(target, index)) {
                assertThat(CosignSignatures.read(target, subject)).hasSize(1);
                assertThat(openssl(signer.publicKey(), CosignSignatures.read(target, subject).get(0))).isTrue();
                assertThat(CosignSignatures.verified(target, subject, signer.publicKey())).isPresent();
            }
        }
    }

    /** What Debian's skopeo answers where signatures exist: it does not check them (see the class comment). */
    static final String UNCHECKED = "found, unchecked";
    static final List<String> ACCEPTED = List.of("ok", UNCHECKED);

    /** The index and the platform manifests it lists. */
    private static List<Digest> subjects(RegistryTarget target, Descriptor index) throws Exception {
        List<Digest> out = new ArrayList<>(List.of(index.digest()));
        JSON.readTree(target.getManifest(index.digest()).orElseThrow()).path("manifests")
                .forEach(m -> out.add(Digest.parse(m.path("digest").asText())));
        return out;
    }

    /** openssl's verdict on a signature over its payload: Ed25519 raw, ECDSA and RSA over SHA-256, as cosign signs. */
    private boolean openssl(java.security.PublicKey publicKey, CosignSignatures.Signature signature) throws Exception {
        Path dir = Files.createTempDirectory(tmp, "openssl");
        Path key = Files.writeString(dir.resolve("key.pem"), EnvelopeSigner.pem(publicKey));
        Path payload = Files.write(dir.resolve("payload.json"), signature.payload());
        Path sig = Files.write(dir.resolve("sig.bin"), signature.signature());
        String openssl = Tools.require("openssl", "openssl").toString();
        boolean ed25519 = !publicKey.getAlgorithm().equals("EC") && !publicKey.getAlgorithm().equals("RSA");
        List<String> command = ed25519
                ? List.of(openssl, "pkeyutl", "-verify", "-pubin", "-inkey", key.toString(), "-rawin", "-in", payload.toString(),
                        "-sigfile", sig.toString())
                : List.of(openssl, "dgst", "-sha256", "-verify", key.toString(), "-signature", sig.toString(), payload.toString());
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor() == 0;
    }

    private static String matchRepository() {
        return "{\"type\":\"matchRepository\"}";
    }

    /** An image of two platforms pushed as an index and tagged; its index's descriptor. */
    private Descriptor pushImage(LocalRegistry registry, String repository, String tag) throws Exception {
        OciLayout base = OciLayout.open(tmp.resolve("image-" + System.nanoTime()));
        Path hello = Files.writeString(tmp.resolve("hello-" + System.nanoTime()), "hello " + repository + "\n");
        List<dev.cutter.oci.AssembledImage> images = new ArrayList<>();
        for (String p : List.of("linux/amd64", "linux/arm64")) {
            var layer = LayerBuilder.fromFiles(Map.of("/hello.txt", hello), Map.of(), 0, base.blobs());
            var config = new ImageConfig(List.of(), List.of("/bin/sh"), Map.of(), Optional.empty(), Optional.empty(), Map.of(),
                    Instant.EPOCH);
            images.add(ImageAssembler.assemble(Platform.parse(p), List.of(layer), config, base.blobs()));
        }
        var index = ImageAssembler.index(images, Map.of(), base.blobs());
        var repo = Repository.parse(repository);
        Pusher.pushIndex(CLIENT, repo, base, index.digest(), Optional.empty());
        Pusher.tag(CLIENT, repo, base, index.digest(), tag);
        return new RegistryTarget(CLIENT, repo).resolve(tag).orElseThrow();
    }

    /**
     * {@code skopeo copy} of {@code reference} to a directory under a policy that requires a
     * sigstore signature by {@code pem} for the registry's repositories: "ok", or skopeo's error.
     */
    private String skopeoCopy(LocalRegistry registry, String reference, String pem, String signedIdentity) throws Exception {
        Path dir = Files.createTempDirectory(tmp, "skopeo");
        Path key = Files.writeString(dir.resolve("key.pem"), pem);
        Path policy = Files.writeString(dir.resolve("policy.json"), """
                {"default": [{"type": "reject"}],
                 "transports": {"docker": {"%s": [{"type": "sigstoreSigned", "keyPath": "%s", "signedIdentity": %s}]}}}
                """.formatted(registry.address(), key, signedIdentity));
        Path registries = Files.createDirectories(dir.resolve("registries.d"));
        Files.writeString(registries.resolve("local.yaml"), """
                docker:
                  %s:
                    use-sigstore-attachments: true
                """.formatted(registry.address()));
        Process p = new ProcessBuilder(Tools.require("skopeo", "skopeo").toString(), "copy", "--src-tls-verify=false",
                "--policy", policy.toString(), "--registries.d", registries.toString(), "docker://" + reference,
                "dir:" + dir.resolve("out")).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return p.exitValue() == 0 ? "ok" : out.contains("Debian-local change: sigstore disabled") ? UNCHECKED : out;
    }

    private static String skopeo(String... args) throws Exception {
        return dev.cutter.oci.RegistryClientTest.skopeo(args);
    }
}
