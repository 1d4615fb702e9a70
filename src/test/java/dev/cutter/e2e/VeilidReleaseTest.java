package dev.cutter.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutter.repo.apt.AptClient;
import dev.cutter.repo.yum.DnfClient;
import dev.cutter.testing.StaticServer;
import dev.cutter.testing.Tools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Veilid process (shared/seeds/004): tests first, per-architecture builds, .deb and .rpm for
 * amd64 and arm64, signed apt and yum repositories in the repo server's directory — which this
 * test serves over HTTP on loopback to the real apt-get and dnf, trusting only the public key.
 */
@Tag("e2e")
class VeilidReleaseTest {
    static final Map<String, String> ENV = Map.of("SOURCE_DATE_EPOCH", "1767323045", "CARGO_REGISTRY_TOKEN", "not-a-token",
            "PYPI_TOKEN", "not-a-token");

    @TempDir
    Path tmp;

    @Test
    void twoReleasesReachAptGetAndDnfOverHttpSignedAndTheSecondAddsToTheFirst() throws Exception {
        Tools.require("apt-get", "apt");
        Tools.require("dnf", "dnf");
        Path project = Projects.copy("veilid", tmp.resolve("veilid"));
        Path key = project.resolve("keys/repo-key.pub.asc");

        CutterProcess.Result first = CutterProcess.inProcess(project, ENV, "release", "--tag", "v0.4.1");
        assertThat(first.exit()).as(first.out() + first.err()).isZero();
        assertThat(first.out()).contains("apt-get installs from apt (veilid-cli, veilid-server)")
                .contains("dnf installs from yum (veilid-cli, veilid-server)");
        Projects.git(project, "commit", "-q", "--allow-empty", "-m", "0.4.2");
        CutterProcess.Result second = CutterProcess.inProcess(project, ENV, "release", "--tag", "v0.4.2");
        assertThat(second.exit()).as(second.out() + second.err()).isZero();

        try (StaticServer server = new StaticServer(project.resolve("dist/repo-server"))) { // follows symlinks, as nginx does
            String url = server.url();

            AptClient apt = new AptClient(tmp.resolve("apt"), url + "apt", "stable", "main", key, "amd64");
            AptClient.Result update = apt.update();
            assertThat(update.ok()).as(update.output()).isTrue();
            AptClient.Result install = apt.install(List.of("veilid-cli"));
            assertThat(install.ok()).as(install.output()).isTrue();
            assertThat(names(apt.downloads())).contains("veilid-cli_0.4.2_amd64.deb", "veilid-server_0.4.2_amd64.deb");

            DnfClient dnf = new DnfClient(tmp.resolve("dnf"), url + "rpm/", key, true, "x86_64").withBaseSystem(tmp.resolve("base"));
            DnfClient.Result cache = dnf.makecache();
            assertThat(cache.ok()).as(cache.output()).isTrue();
            DnfClient.Result get = dnf.install(List.of("veilid-cli"));
            assertThat(get.ok()).as(get.output()).isTrue();
            assertThat(names(dnf.downloads())).contains("veilid-cli-0.4.2-1.x86_64.rpm", "veilid-server-0.4.2-1.x86_64.rpm");
            DnfClient.Result signatures = dnf.checkSignatures();
            assertThat(signatures.ok()).as(signatures.output()).isTrue();
        }
        // both versions stay available (keep: 5), in every architecture
        assertThat(names(project.resolve("dist/repo-server/rpm/Packages"))).contains("veilid-server-0.4.1-1.aarch64.rpm",
                "veilid-server-0.4.2-1.aarch64.rpm", "veilid-cli-0.4.1-1.x86_64.rpm", "veilid-cli-0.4.2-1.x86_64.rpm");
        assertThat(Files.readString(project.resolve("dist/repo-server/apt/dists/stable/main/binary-arm64/Packages")))
                .contains("Version: 0.4.1").contains("Version: 0.4.2");
    }

    /** The seed's rule: only vX.Y.Z tags release; a prerelease never enters the stable repositories. */
    @Test
    void aPrereleaseTagStartsNothingAndAPrereleaseByHandPublishesNowhere() throws Exception {
        Path project = Projects.copy("veilid", tmp.resolve("veilid"));
        CutterProcess.Result stable = CutterProcess.inProcess(project, ENV, "release", "--tag", "v0.4.1");
        assertThat(stable.exit()).as(stable.out() + stable.err()).isZero();
        String repositories = BarrierTest.tree(project.resolve("dist/repo-server"));

        Projects.git(project, "commit", "-q", "--allow-empty", "-m", "0.4.2-rc.1");
        Projects.git(project, "tag", "v0.4.2-rc.1");
        CutterProcess.Result pushed = CutterProcess.inProcess(project, ENV, "trigger", "--ref", "refs/tags/v0.4.2-rc.1");
        assertThat(pushed.exit()).as(pushed.out() + pushed.err()).isZero();
        assertThat(pushed.out() + pushed.err()).contains("do: nothing");

        CutterProcess.Result byHand = CutterProcess.inProcess(project, ENV, "release", "--tag", "v0.4.2-rc.1");
        assertThat(byHand.exit()).as(byHand.out() + byHand.err()).isZero();
        assertThat(byHand.out()).doesNotContain("repository/apt").doesNotContain("validate/apt-install")
                .contains("released veilid 0.4.2-rc.1").contains("; it published nothing: channel 'prerelease' plans no publication");
        assertThat(project.resolve("dist/veilid-cli_0.4.2~rc.1_amd64.deb")).as("built and packaged").exists();
        assertThat(BarrierTest.tree(project.resolve("dist/repo-server"))).as("the stable repositories as they were")
                .isEqualTo(repositories);
    }

    @Test
    void aFailingTestStopsTheReleaseBeforeAnyPackageOrRepository() throws Exception {
        Path project = Projects.copy("veilid", tmp.resolve("veilid"));
        Path script = project.resolve("scripts/build.sh");
        Files.writeString(script, Files.readString(script).replace("test) echo \"tests passed\" ;;",
                "test) echo \"1 test failed\" >&2; exit 1 ;;"));
        Projects.git(project, "commit", "-q", "-am", "a failing test");

        CutterProcess.Result release = CutterProcess.inProcess(project, ENV, "release", "--tag", "v0.4.1");

        assertThat(release.exit()).isEqualTo(1);
        assertThat(release.out() + release.err()).contains("build/tests");
        assertThat(project.resolve("dist/repo-server")).doesNotExist();
        assertThat(project.resolve("dist")).satisfiesAnyOf(d -> assertThat(d).doesNotExist(),
                d -> assertThat(Files.walk(d).filter(f -> f.toString().endsWith(".deb") || f.toString().endsWith(".rpm"))).isEmpty());
    }

    private static List<String> names(Path dir) throws java.io.IOException {
        try (var files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }
}
