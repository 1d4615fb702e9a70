package dev.cutter.attest.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutter.content.Digest;
import dev.cutter.oci.AssembledImage;
import dev.cutter.oci.Descriptor;
import dev.cutter.oci.ImageAssembler;
import dev.cutter.oci.ImageConfig;
import dev.cutter.oci.LayerBuilder;
import dev.cutter.oci.LayoutTarget;
import dev.cutter.oci.MediaTypes;
import dev.cutter.oci.OciLayout;
import dev.cutter.oci.Platform;
import dev.cutter.oci.Referrers;
import dev.cutter.sbom.CycloneDx;
import dev.cutter.sbom.Sbom;
import dev.cutter.sbom.SbomFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An image's SBOMs checked where it is held (an OCI layout here; docker-registry in
 * AttestationCheckTest): a true SBOM passes, a missing one, one naming another digest and a
 * referrer that is not a manifest at all are each a problem naming the manifest, never an
 * exception.
 */
class ImageAttestationsTest {
    @TempDir
    Path tmp;

    private OciLayout layout;
    private Descriptor manifest;
    private Digest index;

    private ImageAttestations.Findings check() throws Exception {
        return ImageAttestations.check(new LayoutTarget(layout), new ImageAttestations.Expected("layout", index,
                Map.of("linux/amd64", path -> path.startsWith("srv/")), List.of(CycloneDx.MEDIA_TYPE), Optional.empty()));
    }

    private void image() throws Exception {
        layout = OciLayout.open(tmp.resolve("oci"));
        Path hello = Files.writeString(tmp.resolve("hello.txt"), "hello\n");
        var layer = LayerBuilder.fromFiles(Map.of("/srv/hello.txt", hello, "/etc/motd", hello), Map.of(), 0, layout.blobs());
        AssembledImage image = ImageAssembler.assemble(Platform.parse("linux/amd64"), List.of(layer), new ImageConfig(List.of(),
                List.of("/bin/sh"), Map.of(), Optional.empty(), Optional.empty(), Map.of(), Instant.EPOCH), layout.blobs());
        manifest = image.manifest();
        index = ImageAssembler.index(List.of(image), Map.of(), layout.blobs()).digest();
    }

    private byte[] sbom(Digest hello) {
        return CycloneDx.write(new Sbom("image", "layout", "1.0.0", manifest.digest(), Instant.EPOCH, new Sbom.Tool("cutter", "dev"),
                List.of(new SbomFile("srv/hello.txt", hello, "0".repeat(40), 6)), List.of(), Optional.empty()));
    }

    @Test
    void anSbomNamingExactlyTheFilesInTheLayersPasses() throws Exception {
        image();
        Referrers.attach(new LayoutTarget(layout), manifest, CycloneDx.MEDIA_TYPE, CycloneDx.MEDIA_TYPE,
                sbom(Digest.sha256("hello\n".getBytes(StandardCharsets.UTF_8))), Map.of());
        ImageAttestations.Findings found = check();
        assertThat(found.problems()).isEmpty();
        assertThat(found.files()).isEqualTo(1);
    }

    @Test
    void aMissingSbomAndOneWithAnotherDigestAreNamedWithTheManifest() throws Exception {
        image();
        assertThat(check().problems()).containsExactly("layout@" + manifest.digest() + " (linux/amd64) has no "
                + CycloneDx.MEDIA_TYPE + " SBOM among its referrers (referrers API, tag " + Referrers.fallbackTag(manifest.digest()) + ")");
        Digest other = Digest.sha256("bye\n".getBytes(StandardCharsets.UTF_8));
        Descriptor attached = Referrers.attach(new LayoutTarget(layout), manifest, CycloneDx.MEDIA_TYPE, CycloneDx.MEDIA_TYPE,
                sbom(other), Map.of());
        assertThat(check().problems()).singleElement().asString().startsWith("layout@" + manifest.digest() + " (linux/amd64): its "
                + CycloneDx.MEDIA_TYPE + " SBOM " + attached.digest() + ": srv/hello.txt is sha256:" + other.hex() + " in the SBOM");
    }

    @Test
    void aReferrerThatIsNotAManifestIsAProblemNotAFailureOfTheCheck() throws Exception {
        image();
        byte[] junk = "{\"schemaVersion\":2,\"layers\":[{\"digest\":\"not a digest\"}],\"subject\":{\"digest\":\"%s\"}}"
                .formatted(manifest.digest()).getBytes(StandardCharsets.UTF_8);
        Digest junkDigest = Digest.sha256(junk);
        layout.putBlob(junkDigest, junk);
        byte[] fallback = ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX + "\",\"manifests\":[{\"mediaType\":\""
                + MediaTypes.OCI_MANIFEST + "\",\"digest\":\"" + junkDigest + "\",\"size\":" + junk.length + ",\"artifactType\":\""
                + CycloneDx.MEDIA_TYPE + "\"}]}").getBytes(StandardCharsets.UTF_8);
        new LayoutTarget(layout).putManifest(new Descriptor(MediaTypes.OCI_INDEX, Digest.sha256(fallback), fallback.length), fallback);
        new LayoutTarget(layout).tag(Referrers.fallbackTag(manifest.digest()), new Descriptor(MediaTypes.OCI_INDEX,
                Digest.sha256(fallback), fallback.length), fallback);
        assertThat(check().problems()).singleElement().asString().contains(CycloneDx.MEDIA_TYPE + " SBOM " + junkDigest
                + " is not an artifact manifest");
    }
}
