package dev.cutter.kinds.validate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cutter.oci.RegistryException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * What {@code check: images} counts as an index's platforms: its images, not the attestation
 * manifests buildx lists beside them as unknown/unknown, and whatever the index's own bytes say
 * (an OCI index without {@code mediaType}, as umoci writes one).
 */
class ImageChecksPlatformsTest {
    static final String AMD64 = "sha256:" + "a".repeat(64);
    static final String ARM64 = "sha256:" + "b".repeat(64);
    static final String ATTESTATION = "sha256:" + "c".repeat(64);

    static byte[] index(boolean withMediaType) {
        return ("""
                {"schemaVersion": 2, %s"manifests": [
                  {"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": "%s", "size": 500,
                   "platform": {"architecture": "amd64", "os": "linux"}},
                  {"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": "%s", "size": 500,
                   "platform": {"architecture": "arm64", "os": "linux", "variant": "v8"}},
                  {"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": "%s", "size": 800,
                   "platform": {"architecture": "unknown", "os": "unknown"},
                   "annotations": {"vnd.docker.reference.type": "attestation-manifest", "vnd.docker.reference.digest": "%s"}}
                ]}""".formatted(withMediaType ? "\"mediaType\": \"application/vnd.oci.image.index.v1+json\", " : "", AMD64, ARM64,
                ATTESTATION, AMD64)).getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void anAttestationIsNoPlatform() {
        assertThat(ImageChecks.platforms(index(true), "r/app@x")).containsOnlyKeys("linux/amd64", "linux/arm64/v8")
                .containsEntry("linux/amd64", dev.cutter.content.Digest.parse(AMD64));
    }

    @Test
    void anIndexWithoutItsMediaTypeIsReadTheSame() {
        assertThat(ImageChecks.platforms(index(false), "r/app@x")).isEqualTo(ImageChecks.platforms(index(true), "r/app@x"));
    }

    @Test
    void bytesThatAreNoIndexAreRefusedNamingWhereTheyCameFrom() {
        assertThatThrownBy(() -> ImageChecks.platforms("[1, 2]".getBytes(StandardCharsets.UTF_8), "r/app@x"))
                .isInstanceOf(RegistryException.class).hasMessageContaining("r/app@x");
    }
}
