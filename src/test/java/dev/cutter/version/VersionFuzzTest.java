package dev.cutter.version;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzzes version and tag-pattern parsing: any text is a version, a {@link VersionException}, or a
 * bug. What parses prints back to text that parses to an equal version, and orders consistently.
 * Runs on its seeds with the tests; {@code FuzzCampaignTest} fuzzes it.
 */
class VersionFuzzTest {
    @FuzzTest
    void versionsAndTagPatterns(FuzzedDataProvider data) {
        fuzzerTestOneInput(data);
    }

    /** The target the Jazzer command line calls. */
    public static void fuzzerTestOneInput(FuzzedDataProvider data) {
        String pattern = data.consumeString(64);
        String text = data.consumeRemainingAsString();
        for (VersionScheme scheme : VersionScheme.values()) {
            Version version;
            try {
                version = scheme.parse(text);
            } catch (VersionException expected) {
                continue;
            }
            Version again = scheme.parse(version.text());
            assertThat(again).isEqualTo(version);
            assertThat(again.compareTo(version)).isZero();
            assertThat(Integer.signum(version.compareTo(SemVer.of(1, 0, 0))))
                    .isEqualTo(-Integer.signum(SemVer.of(1, 0, 0).compareTo(version)));
        }
        TagPattern tags;
        try {
            tags = TagPattern.of(pattern);
        } catch (VersionException expected) {
            return;
        }
        try {
            Version version = tags.parseTag(text, null, VersionScheme.LOOSE);
            String component = tags.hasComponent() ? "c" : null;
            assertThat(tags.parseTag(tags.format(component, version), component, VersionScheme.LOOSE)).isEqualTo(version);
        } catch (VersionException expected) {
            // the tag does not have the pattern's shape, or its version is invalid
        }
    }
}
