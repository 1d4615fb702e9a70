package dev.cutter.sigstore;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutter.attest.EnvelopeSigner;
import dev.cutter.content.Digest;
import dev.cutter.oci.AssembledImage;
import dev.cutter.oci.Descriptor;
import dev.cutter.oci.ImageAssembler;
import dev.cutter.oci.ImageConfig;
import dev.cutter.oci.LayerBuilder;
import dev.cutter.oci.LayoutTarget;
import dev.cutter.oci.OciLayout;
import dev.cutter.oci.Platform;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An image's cosign signatures and a file's Sigstore bundle checked against the release key (an
 * OCI layout here; docker-registry in AttestationCheckTest): the key's signatures pass; none, one
 * by another key, one whose payload names another manifest and a bundle of another file are each
 * one problem naming the manifest or the bundle.
 */
class SignatureCheckTest {
    @TempDir
    Path tmp;

    private EnvelopeSigner release;
    private EnvelopeSigner other;
    private LayoutTarget target;

    @BeforeEach
    void keys() throws Exception {
        release = signer("release");
        other = signer("other");
        target = new LayoutTarget(OciLayout.open(tmp.resolve("oci")));
    }

    private static EnvelopeSigner signer(String id) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return EnvelopeSigner.of(id, generator.generateKeyPair());
    }

    /** An index of one linux/amd64 image holding {@code text}; returns the index, then the platform manifest. */
    private List<Descriptor> image(String text) throws Exception {
        OciLayout layout = OciLayout.open(tmp.resolve("oci"));
        Path file = Files.writeString(tmp.resolve("file-" + text), text);
        var layer = LayerBuilder.fromFiles(Map.of("/srv/file", file), Map.of(), 0, layout.blobs());
        AssembledImage image = ImageAssembler.assemble(Platform.parse("linux/amd64"), List.of(layer), new ImageConfig(List.of(),
                List.of("/bin/sh"), Map.of(), Optional.empty(), Optional.empty(), Map.of(), Instant.EPOCH), layout.blobs());
        return List.of(ImageAssembler.index(List.of(image), Map.of(), layout.blobs()), image.manifest());
    }

    @Test
    void anImageSignedByTheReleaseKeyPasses() throws Exception {
        List<Descriptor> image = image("a");
        CosignSignatures.signImage(target, image.get(0), "registry/acme/app", release);
        SignatureCheck.Findings found = SignatureCheck.image(target, "layout", image.get(0).digest(), release.publicKey());
        assertThat(found.problems()).isEmpty();
        assertThat(found.manifests()).isEqualTo(2);
    }

    @Test
    void anUnsignedImageIsNamedManifestByManifest() throws Exception {
        List<Descriptor> image = image("a");
        Digest index = image.get(0).digest();
        Digest amd64 = image.get(1).digest();
        assertThat(SignatureCheck.image(target, "layout", index, release.publicKey()).problems()).containsExactly(
                "layout@" + index + " has no cosign signature (tag " + CosignSignatures.tag(index) + ")",
                "layout@" + amd64 + " (linux/amd64) has no cosign signature (tag " + CosignSignatures.tag(amd64) + ")");
    }

    @Test
    void aSignatureByAnotherKeyIsNotTheReleases() throws Exception {
        List<Descriptor> image = image("a");
        CosignSignatures.signImage(target, image.get(0), "registry/acme/app", other);
        List<String> problems = SignatureCheck.image(target, "layout", image.get(0).digest(), release.publicKey()).problems();
        assertThat(problems).hasSize(2).allSatisfy(p -> assertThat(p)
                .contains(": no cosign signature by the release key of this manifest (tag sha256-")
                .endsWith("holds one that does not verify against the release key)"));
    }

    @Test
    void aSignatureOfAnotherImageMovedToThisOnesTagNamesTheDigestItSigns() throws Exception {
        List<Descriptor> a = image("a");
        List<Descriptor> b = image("b");
        CosignSignatures.signImage(target, b.get(0), "registry/acme/app", release);
        Digest index = a.get(0).digest();
        Descriptor signature = target.resolve(CosignSignatures.tag(b.get(0).digest())).orElseThrow();
        target.tag(CosignSignatures.tag(index), signature, target.getManifest(signature.digest()).orElseThrow());
        List<String> problems = SignatureCheck.image(target, "layout", index, release.publicKey()).problems();
        assertThat(problems.get(0)).isEqualTo("layout@" + index + ": no cosign signature by the release key of this manifest (tag "
                + CosignSignatures.tag(index) + " holds one by the release key whose payload signs docker-manifest-digest "
                + b.get(0).digest() + ", not this manifest)");
        assertThat(problems.get(1)).contains("(linux/amd64) has no cosign signature");
    }

    /**
     * A signature manifest is the registry's to write: one whose payload declares a terabyte is
     * named, unread, as a problem; the reader never holds more than a document's limit.
     */
    @Test
    void aSignatureWhosePayloadDeclaresATerabyteIsAProblemAndIsNotRead() throws Exception {
        List<Descriptor> image = image("a");
        Digest index = image.get(0).digest();
        CosignSignatures.signImage(target, image.get(0), "registry/acme/app", release);
        String tag = CosignSignatures.tag(index);
        Descriptor signature = target.resolve(tag).orElseThrow();
        var manifest = (com.fasterxml.jackson.databind.node.ObjectNode) new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(target.getManifest(signature.digest()).orElseThrow());
        ((com.fasterxml.jackson.databind.node.ObjectNode) manifest.path("layers").path(0)).put("size", 1L << 40);
        byte[] bytes = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsBytes(manifest);
        Descriptor lying = new Descriptor(signature.mediaType(), Digest.sha256(bytes), bytes.length);
        target.putManifest(lying, bytes);
        target.tag(tag, lying, bytes);

        List<String> problems = SignatureCheck.image(target, "layout", index, release.publicKey()).problems();
        assertThat(problems.get(0)).startsWith("layout@" + index + ": its cosign signature (tag " + tag + ") cannot be read")
                .contains("declares 1099511627776 bytes; a document of at most 64 MiB is read");
    }

    @Test
    void aFilesBundlePassesWithItsKeyAndIsNamedWhenMissingOfAnotherFileOrByAnotherKey() throws Exception {
        Path app = Files.writeString(tmp.resolve("app.tar.gz"), "app");
        Path sums = Files.writeString(tmp.resolve("SHA256SUMS"), "sums");
        Path appBundle = tmp.resolve("app.tar.gz" + SigstoreBundle.SUFFIX);
        assertThat(SignatureCheck.file(app, "dist/app.tar.gz", release.publicKey())).contains(
                "dist/app.tar.gz.sigstore.json is missing: app.tar.gz has no Sigstore bundle");

        Files.write(appBundle, SigstoreBundle.sign(app, release).toJson());
        assertThat(SignatureCheck.file(app, "dist/app.tar.gz", release.publicKey())).isEmpty();

        Files.write(appBundle, SigstoreBundle.sign(sums, release).toJson());
        assertThat(SignatureCheck.file(app, "dist/app.tar.gz", release.publicKey())).contains("dist/app.tar.gz.sigstore.json is a bundle of "
                + Digest.sha256(sums) + ", not of app.tar.gz (" + Digest.sha256(app) + ")");

        Files.write(appBundle, SigstoreBundle.sign(app, other).toJson());
        assertThat(SignatureCheck.file(app, "dist/app.tar.gz", release.publicKey())).contains(
                "dist/app.tar.gz.sigstore.json: its signature (key other) does not verify against the release key");

        Files.writeString(appBundle, "{}");
        assertThat(SignatureCheck.file(app, "dist/app.tar.gz", release.publicKey())).get().asString()
                .startsWith("dist/app.tar.gz.sigstore.json is unreadable: not a Sigstore bundle");
    }
}
