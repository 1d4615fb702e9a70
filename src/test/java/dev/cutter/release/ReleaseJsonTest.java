package dev.cutter.release;

import static dev.cutter.release.Fixtures.T0;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cutter.content.Digest;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReleaseJsonTest {
    static final Digest KM = Digest.sha256("km".getBytes(UTF_8));
    static final Digest SUMS = Digest.sha256("sums".getBytes(UTF_8));
    static final ReleaseInfo RELEASE = new ReleaseInfo("v0.9-beta", "km", "0.9-beta", "beta", "v0.9-beta",
            Optional.of("4f1c0ffee"), T0,
            List.of(new AssetInfo("SHA256SUMS", SUMS, 4, Optional.empty()), new AssetInfo("kontain.tar.gz", KM, 2, Optional.of(1))),
            false);

    @Test
    void writesFixedKeysInAFixedOrderWithAssetsInInstallOrder() {
        assertThat(new String(ReleaseJson.write(RELEASE), UTF_8)).isEqualTo("""
                {
                  "project": "km",
                  "version": "0.9-beta",
                  "channel": "beta",
                  "tag": "v0.9-beta",
                  "commit": "4f1c0ffee",
                  "created": "2025-05-01T12:00:00Z",
                  "prerelease": false,
                  "assets": [
                    {
                      "name": "kontain.tar.gz",
                      "digest": "%s",
                      "size": 2,
                      "installOrder": 1
                    },
                    {
                      "name": "SHA256SUMS",
                      "digest": "%s",
                      "size": 4,
                      "installOrder": null
                    }
                  ]
                }
                """.formatted(KM, SUMS));
    }

    @Test
    void equalReleasesAreEqualBytesAndReadBackAsWritten() {
        ReleaseInfo reordered = new ReleaseInfo(RELEASE.name(), RELEASE.project(), RELEASE.version(), RELEASE.channel(),
                RELEASE.tag(), RELEASE.commit(), RELEASE.created(), RELEASE.assets().reversed(), RELEASE.prerelease());
        ReleaseInfo noCommit = new ReleaseInfo("v1", "km", "1", "stable", "v1", Optional.empty(),
                T0.plusNanos(1500), List.of(), true);

        assertThat(ReleaseJson.write(reordered)).isEqualTo(ReleaseJson.write(RELEASE));
        assertThat(ReleaseJson.read("v0.9-beta", ReleaseJson.write(RELEASE), Path.of("release.json"))).isEqualTo(RELEASE);
        assertThat(ReleaseJson.read("v1", ReleaseJson.write(noCommit), Path.of("release.json"))).isEqualTo(noCommit);
    }

    @Test
    void aDamagedFileIsReportedWithItsPathAndField() {
        String damaged = new String(ReleaseJson.write(RELEASE), UTF_8).replace("\"digest\": \"sha256:", "\"digest\": \"md5:");
        Path file = Path.of("/srv/releases/v0.9-beta/release.json");

        assertThatThrownBy(() -> ReleaseJson.read("v0.9-beta", damaged.getBytes(UTF_8), file))
                .isInstanceOf(ReleaseException.class)
                .hasMessageStartingWith(file + ": not a release: assets[0].digest: unsupported digest algorithm 'md5'");
        assertThatThrownBy(() -> ReleaseJson.read("v0.9-beta", "{\"project\": \"km\"}".getBytes(UTF_8), file))
                .hasMessageContaining("assets is missing");
        assertThatThrownBy(() -> ReleaseJson.read("v0.9-beta", "{\"proj".getBytes(UTF_8), file))
                .hasMessageContaining("it is not JSON");
    }
}
