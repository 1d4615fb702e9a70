package dev.cutter.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutter.content.Digest;
import dev.cutter.testing.Tools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Promotion of what is not an image (law 5): a release candidate's archives, published as the
 * final release's assets, and its .deb and .rpm files, added to the final channel's signed apt
 * and yum repositories, byte for byte — checked by the candidate's own checks, the real apt-get
 * and dnf among them. The Veilid example with a release-candidate channel, whose repositories
 * are per channel, and a release of tarballs.
 */
@Tag("e2e")
class PromotionOfFilesTest {
    static final Map<String, String> ENV = Map.of("SOURCE_DATE_EPOCH", "1767323045", "CARGO_REGISTRY_TOKEN", "not-a-token",
            "PYPI_TOKEN", "not-a-token");

    @TempDir
    Path tmp;

    @Test
    void theCandidatesTarballsAndPackagesArePublishedAsTheReleaseWithoutBeingMadeAgain() throws Exception {
        Tools.require("apt-get", "apt");
        Tools.require("dnf", "dnf");
        Path project = Projects.copy("veilid", tmp.resolve("veilid"));
        Path spec = project.resolve("cutter.yaml");
        Files.writeString(spec, Files.readString(spec)
                .replace("  prerelease: { match: \"*-*\", floating: false, targets: [] }\n", "  rc: { match: \"*-rc*\" }\n")
                .replace("    dist: stable\n", "    dist: \"{channel}\"\n")
                .replace("publish: \"dir:dist/repo-server/rpm\"", "publish: \"dir:dist/repo-server/rpm/{channel}\"")
                .replace("repositories:\n", """
                        archives:
                          - id: binaries
                            matrix: { arch: [amd64, arm64] }
                            name: "veilid-{version}-{arch}.tar.gz"
                            format: tar.gz
                            files:
                              - { src: "dist/{arch}/**", dst: "bin" }
                        checksums:
                          name: SHA256SUMS
                        signs:
                          - id: sums
                            artifacts: checksums
                            key: "${file:keys/repo-key.asc}"
                        releases:
                          - id: downloads
                            name: "v{version}"
                            store: "dir:dist/releases"
                            assets: [binaries, veilid-server, veilid-cli, checksums, sums]
                        repositories:
                        """)
                .replace("validate:\n", "validate:\n  - id: assets\n    check: assets\n"));
        Projects.git(project, "commit", "-qam", "a release-candidate channel, tarballs");

        CutterProcess.Result rc = CutterProcess.inProcess(project, ENV, "release", "--tag", "v0.4.1-rc1");
        assertThat(rc.exit()).as(rc.out() + rc.err()).isZero();
        Map<String, String> candidatePackages = digests(project.resolve("dist/repo-server"), "rc", ".deb", ".rpm");
        assertThat(candidatePackages).containsKeys("veilid-server_0.4.1~rc1_amd64.deb", "veilid-cli-0.4.1~rc1-1.aarch64.rpm");
        Path rcRelease = project.resolve("dist/releases/v0.4.1-rc1");
        String rcTarball = Digest.sha256(rcRelease.resolve("veilid-0.4.1-rc1-amd64.tar.gz")).toString();
        // the sources move on: a promotion that built anything would publish other bytes
        Path script = project.resolve("scripts/build.sh");
        Files.writeString(script, Files.readString(script).replace("echo \"%s %s\"", "echo \"%s %s (changed)\""));
        Projects.git(project, "commit", "-qam", "changed after the candidate");
        // and this machine no longer has the candidate's files: they come back from where they were published
        try (Stream<Path> made = Files.list(project.resolve("dist"))) {
            for (Path file : made.filter(Files::isRegularFile).toList()) {
                Files.delete(file);
            }
        }

        CutterProcess.Result promoted = CutterProcess.inProcess(project, ENV, "promote", "--from", "0.4.1-rc1", "--to", "0.4.1");

        assertThat(promoted.exit()).as(promoted.out() + promoted.err()).isZero();
        assertThat(promoted.out()).doesNotContain("build/").doesNotContain("made it (")
                .contains("veilid-0.4.1-amd64.tar.gz from dir:dist/releases/v0.4.1-rc1/veilid-0.4.1-rc1-amd64.tar.gz")
                .contains("veilid-server_0.4.1~rc1_amd64.deb from dir:dist/repo-server/apt (veilid-server_0.4.1~rc1_amd64.deb)")
                .contains("apt-get installs from apt (veilid-cli, veilid-server)")
                .contains("dnf installs from yum (veilid-cli, veilid-server)")
                .contains("12 assets in 1 releases match their digests, checksums and signatures");
        Map<String, String> stablePackages = digests(project.resolve("dist/repo-server"), "stable", ".deb", ".rpm");
        Map<String, String> expected = new TreeMap<>(candidatePackages);
        assertThat(stablePackages).as("the same package files, now in the stable repositories").isEqualTo(expected);
        assertThat(Files.readString(project.resolve("dist/repo-server/apt/dists/stable/main/binary-amd64/Packages")))
                .contains("Version: 0.4.1~rc1");
        Path release = project.resolve("dist/releases/v0.4.1");
        assertThat(Digest.sha256(release.resolve("veilid-0.4.1-amd64.tar.gz")).toString()).isEqualTo(rcTarball);
        assertThat(Files.readString(release.resolve("SHA256SUMS"))).contains("  veilid-0.4.1-amd64.tar.gz")
                .contains("  veilid-server_0.4.1~rc1_amd64.deb").doesNotContain("0.4.1-rc1");
        assertThat(Digest.sha256(release.resolve("veilid-server_0.4.1~rc1_amd64.deb")).toString())
                .isEqualTo(candidatePackages.get("veilid-server_0.4.1~rc1_amd64.deb"));
        assertThat(release.resolve("SHA256SUMS.asc")).isRegularFile();

        CutterProcess.Result again = CutterProcess.inProcess(project, ENV, "promote", "--from", "0.4.1-rc1", "--to", "0.4.1");
        assertThat(again.exit()).as(again.out() + again.err()).isZero();
        assertThat(digests(project.resolve("dist/repo-server"), "stable", ".deb", ".rpm")).isEqualTo(stablePackages);
    }

    /** File name → digest of every package under {@code root} in a directory of the channel's repository. */
    private static Map<String, String> digests(Path root, String channel, String... suffixes) throws Exception {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String name = file.getFileName().toString();
                String rel = root.relativize(file).toString();
                boolean ofChannel = rel.startsWith("rpm/" + channel + "/") || (rel.startsWith("apt/pool/") && name.endsWith(".deb")
                        && aptChannel(root, channel, name));
                if (ofChannel && Stream.of(suffixes).anyMatch(name::endsWith)) {
                    out.put(name, Digest.sha256(file).toString());
                }
            }
        }
        return out;
    }

    /** Whether the apt dist of {@code channel} lists the package file {@code name}. */
    private static boolean aptChannel(Path root, String channel, String name) throws Exception {
        Path dist = root.resolve("apt/dists").resolve(channel);
        if (!Files.exists(dist)) {
            return false;
        }
        try (Stream<Path> files = Files.walk(dist.toRealPath())) {
            for (Path packages : files.filter(f -> f.getFileName().toString().equals("Packages")).toList()) {
                if (Files.readString(packages).contains("/" + name + "\n")) {
                    return true;
                }
            }
        }
        return false;
    }
}
