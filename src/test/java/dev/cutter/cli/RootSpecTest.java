package dev.cutter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The root cutter.yaml, which releases Cutter (run end to end by SelfReleaseTest), stays valid and
 * plans every deliverable docs/install.md lists.
 */
class RootSpecTest {
    @Test
    void theSpecThatReleasesCutterIsValidAndPlansEveryDeliverable() {
        CliTest.Result validate = CliTest.run("validate", "-f", "cutter.yaml");
        assertThat(validate.code()).as(validate.out() + validate.err()).isZero();

        CliTest.Result plan = CliTest.run("plan", "-f", "cutter.yaml", "--version", "0.9.0", "--sha",
                "0123456789abcdef0123456789abcdef01234567");

        assertThat(plan.code()).as(plan.out() + plan.err()).isZero();
        assertThat(plan.out()).contains("cutter-0.9.0.jar", "cutter-0.9.0-linux-amd64.tar.gz", "cutter_0.9.0_amd64.deb",
                "cutter-0.9.0-1.x86_64.rpm", "SHA256SUMS", "sign/checksums-signature", "push/cutter", "repository/apt",
                "repository/yum", "release/cutter", "validate/tarball", "validate/image", "validate/apt-install",
                "validate/yum-install", "validate/assets");
    }
}
