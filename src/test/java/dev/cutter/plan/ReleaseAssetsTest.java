package dev.cutter.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cutter.spec.SpecException;
import org.junit.jupiter.api.Test;

/**
 * One rule for what a release publishes and what its checksums file and signatures cover: the
 * checksums file lists every archive and package the plan makes, so a release that publishes it
 * publishes them all; without {@code assets:} a release publishes archives, packages, the
 * checksums file and the signatures, as GoReleaser uploads its nfpm packages with its archives.
 */
class ReleaseAssetsTest {
    static final String PACKAGES = """
            packages:
              - id: demo
                platforms: [linux/amd64]
                formats: [deb]
                maintainer: "Jane <jane@example.org>"
                files: { /usr/share/doc/demo/README: README.md }
            """;

    static final String BASE = """
            project: demo
            archives:
              - id: bin
                files: [ "README.md" ]
            """ + PACKAGES + """
            checksums: true
            signs:
              - id: sums-sig
                artifacts: checksums
                key: "${file:keys/release.asc}"
            """;

    static Action.Release release(Plan plan) {
        return (Action.Release) plan.job("release/gh").orElseThrow().action();
    }

    @Test
    void withoutAssetsAReleasePublishesArchivesPackagesTheChecksumsAndTheSignatures() {
        Plan plan = Plans.inline(BASE + """
                releases:
                  - id: gh
                    store: dir:dist/releases
                """, "1.0.0");

        assertThat(release(plan).assets()).containsExactly("bin", "demo", "checksums", "sums-sig");
        assertThat(plan.job("release/gh").orElseThrow().needs()).contains("package/demo/deb", "checksums/checksums");
    }

    @Test
    void withoutPackagesTheDefaultIsArchivesChecksumsAndSignatures() {
        Plan plan = Plans.inline(BASE.replace(PACKAGES, "") + """
                releases:
                  - id: gh
                    store: dir:dist/releases
                """, "1.0.0");

        assertThat(release(plan).assets()).containsExactly("bin", "checksums", "sums-sig");
    }

    @Test
    void aReleaseThatPublishesTheChecksumsPublishesEveryFileTheyList() {
        assertThatThrownBy(() -> Plans.inline(BASE + """
                releases:
                  - id: gh
                    store: dir:dist/releases
                    assets: [bin, checksums]
                """, "1.0.0")).isInstanceOf(SpecException.class)
                .hasMessageContaining("releases[0].assets: publishes checksums, whose file lists every archive and package"
                        + " (bin, demo), but not demo; add demo to assets, or leave checksums out");
    }

    @Test
    void aSignatureOfTheChecksumsGoesWithTheChecksums() {
        assertThatThrownBy(() -> Plans.inline(BASE + """
                releases:
                  - id: gh
                    store: dir:dist/releases
                    assets: [bin, demo, sums-sig]
                """, "1.0.0")).isInstanceOf(SpecException.class)
                .hasMessageContaining("releases[0].assets: publishes sums-sig, which signs checksums, but not checksums;"
                        + " add checksums to assets, or leave sums-sig out");
    }

    @Test
    void signaturesOfArchivesGoWithEveryArchive() {
        assertThatThrownBy(() -> Plans.inline(BASE.replace("artifacts: checksums", "artifacts: all") + """
                releases:
                  - id: gh
                    store: dir:dist/releases
                    assets: [bin, sums-sig]
                """, "1.0.0")).isInstanceOf(SpecException.class)
                .hasMessageContaining("publishes sums-sig, which signs all, but not demo, checksums");
    }

    @Test
    void explicitAssetsThatAgreeAreKeptAsWritten() {
        Plan plan = Plans.inline(BASE + """
                releases:
                  - id: gh
                    store: dir:dist/releases
                    assets: [demo, bin, checksums, sums-sig]
                  - id: only-bin
                    store: dir:dist/bin
                    assets: [bin]
                """, "1.0.0");

        assertThat(release(plan).assets()).containsExactly("demo", "bin", "checksums", "sums-sig");
        assertThat(((Action.Release) plan.job("release/only-bin").orElseThrow().action()).assets()).containsExactly("bin");
    }
}
