package dev.cutter.oci;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.List;

/**
 * Fuzzes the reading of manifests and indexes as a registry serves them: any bytes, under any of
 * the media types Cutter asks for, are a {@link ManifestContent} or one {@link RegistryException}
 * that names where they came from. Runs on its seeds with the tests; {@code FuzzCampaignTest}
 * fuzzes it.
 */
class ManifestFuzzTest {
    private static final List<String> TYPES = List.of(MediaTypes.OCI_INDEX, MediaTypes.OCI_MANIFEST,
            MediaTypes.DOCKER_MANIFEST_LIST, MediaTypes.DOCKER_MANIFEST, "application/json", "");

    @FuzzTest
    void manifestsAndIndexes(FuzzedDataProvider data) {
        fuzzerTestOneInput(data);
    }

    /** The target the Jazzer command line calls. */
    public static void fuzzerTestOneInput(FuzzedDataProvider data) {
        String contentType = data.pickValue(TYPES);
        byte[] bytes = data.consumeRemainingAsBytes();
        ManifestContent content;
        try {
            content = ManifestContent.parse(bytes, contentType, "fuzz/repo:tag");
        } catch (RegistryException expected) {
            assertThat(expected.getMessage()).contains("fuzz/repo:tag");
            assertThat(expected.retryable()).isFalse();
            return;
        }
        assertThat(content.isIndex() || MediaTypes.isManifest(content.mediaType())).as(content.mediaType()).isTrue();
        if (content.isIndex()) {
            assertThat(content.config()).isEmpty();
            assertThat(content.layers()).isEmpty();
        } else {
            assertThat(content.manifests()).isEmpty();
            assertThat(content.blobs()).hasSize(content.layers().size() + 1);
        }
    }
}
