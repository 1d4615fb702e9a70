package dev.cutter.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutter.repo.apt.AptClient;
import dev.cutter.testing.Sshd;
import dev.cutter.testing.StaticServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Veilid process as its seed runs it: the signed repositories go to the repo server over
 * SSH (a real sshd on loopback), which serves them over HTTP to apt-get. A release from a fresh
 * machine (no local mirror) keeps what the server already published.
 */
@Tag("e2e")
class VeilidOverSftpTest {
    @TempDir
    Path tmp;

    @Test
    void releasesReachTheRepoServerOverSshAndAFreshMachineAddsToWhatIsThere() throws Exception {
        try (Sshd sshd = Sshd.start(tmp.resolve("sshd"))) {
            Path project = Projects.copy("veilid", tmp.resolve("veilid"));
            Path server = tmp.resolve("repo-server").toAbsolutePath();
            Files.createDirectories(project.resolve("ssh"));
            Files.copy(sshd.userKey, project.resolve("ssh/id_ed25519"));
            String login = "ssh: { key: \"${file:ssh/id_ed25519}\", host-key: \"" + sshd.fingerprint() + "\" }";
            String target = "sftp://" + System.getProperty("user.name") + "@127.0.0.1:" + sshd.port + server;
            Path spec = project.resolve("cutter.yaml");
            Files.writeString(spec, Files.readString(spec)
                    .replace("publish: \"dir:dist/repo-server/apt\"", "publish: \"" + target + "/apt\"\n    " + login)
                    .replace("publish: \"dir:dist/repo-server/rpm\"", "publish: \"" + target + "/rpm\"\n    " + login));
            Projects.git(project, "add", "-A");
            Projects.git(project, "commit", "-q", "-m", "publish to the repo server over ssh");

            CutterProcess.Result first = CutterProcess.inProcess(project, VeilidReleaseTest.ENV, "release", "--tag", "v0.4.1");
            assertThat(first.exit()).as(first.out() + first.err()).isZero();
            assertThat(server.resolve("apt/dists/stable/InRelease")).exists();
            assertThat(server.resolve("rpm/repodata/repomd.xml.asc")).exists();

            deleteTree(project.resolve(".cutter/repos")); // another machine: no mirror of what was published
            Projects.git(project, "commit", "-q", "--allow-empty", "-m", "0.4.2");
            CutterProcess.Result second = CutterProcess.inProcess(project, VeilidReleaseTest.ENV, "release", "--tag", "v0.4.2");
            assertThat(second.exit()).as(second.out() + second.err()).isZero();

            assertThat(Files.readString(server.resolve("apt/dists/stable/main/binary-amd64/Packages")))
                    .contains("Version: 0.4.1").contains("Version: 0.4.2");
            try (var rpms = Files.list(server.resolve("rpm/Packages"))) {
                assertThat(rpms.map(p -> p.getFileName().toString())).contains("veilid-cli-0.4.1-1.x86_64.rpm",
                        "veilid-cli-0.4.2-1.x86_64.rpm");
            }
            try (StaticServer http = new StaticServer(server)) {
                AptClient apt = new AptClient(tmp.resolve("apt"), http.url() + "apt", "stable", "main",
                        project.resolve("keys/repo-key.pub.asc"), "amd64");
                AptClient.Result update = apt.update();
                assertThat(update.ok()).as(update.output()).isTrue();
                AptClient.Result install = apt.install(List.of("veilid-cli=0.4.1"));
                assertThat(install.ok()).as("the first release is still installable: " + install.output()).isTrue();
            }
            try (var leftovers = Files.walk(server)) {
                assertThat(leftovers.filter(p -> p.getFileName().toString().startsWith(".cutter-tmp-"))).isEmpty();
            }
        }
    }

    /** The Veilid example publishing over sftp, with each repository's {@code url:} where {@code web} serves it. */
    private Path servedProject(Sshd sshd, Path server, String web) throws Exception {
        Path project = Projects.copy("veilid", tmp.resolve("veilid"));
        Files.createDirectories(project.resolve("ssh"));
        Files.copy(sshd.userKey, project.resolve("ssh/id_ed25519"));
        String login = "ssh: { key: \"${file:ssh/id_ed25519}\", host-key: \"" + sshd.fingerprint() + "\" }";
        String target = "sftp://" + System.getProperty("user.name") + "@127.0.0.1:" + sshd.port + server;
        Path spec = project.resolve("cutter.yaml");
        Files.writeString(spec, Files.readString(spec)
                .replace("publish: \"dir:dist/repo-server/apt\"", "publish: \"" + target + "/apt\"\n    " + login
                        + "\n    url: \"" + web + "apt\"")
                .replace("publish: \"dir:dist/repo-server/rpm\"", "publish: \"" + target + "/rpm\"\n    " + login
                        + "\n    url: \"" + web + "rpm\""));
        Projects.git(project, "add", "-A");
        Projects.git(project, "commit", "-q", "-m", "publish to the repo server over ssh, served over HTTP");
        return project;
    }

    @Test
    void theInstallChecksReadTheRepositoriesThroughTheAddressClientsUse() throws Exception {
        Path server = Files.createDirectories(tmp.resolve("repo-server")).toAbsolutePath();
        try (Sshd sshd = Sshd.start(tmp.resolve("sshd")); StaticServer http = new StaticServer(server)) {
            Path project = servedProject(sshd, server, http.url());

            CutterProcess.Result release = CutterProcess.inProcess(project, VeilidReleaseTest.ENV, "release", "--tag", "v0.4.1");

            assertThat(release.exit()).as(release.out() + release.err()).isZero();
            assertThat(http.requests).as("apt-get and dnf read the served repositories")
                    .anyMatch(r -> r.contains("apt/dists/stable/InRelease")).anyMatch(r -> r.contains("rpm/repodata/repomd.xml"));
        }
    }

    @Test
    void aWebServerThatServesSomethingElseFailsTheInstallCheckNamingItsAddress() throws Exception {
        Path server = Files.createDirectories(tmp.resolve("repo-server")).toAbsolutePath();
        Path stale = Files.createDirectories(tmp.resolve("stale-web-root")); // the web server was never pointed at the new tree
        try (Sshd sshd = Sshd.start(tmp.resolve("sshd")); StaticServer http = new StaticServer(stale)) {
            Path project = servedProject(sshd, server, http.url());

            CutterProcess.Result release = CutterProcess.inProcess(project, VeilidReleaseTest.ENV, "release", "--tag", "v0.4.1");

            assertThat(release.exit()).as(release.out() + release.err()).isEqualTo(1);
            assertThat(release.out() + release.err()).contains(http.url() + "apt");
            assertThat(server.resolve("apt/dists/stable/InRelease")).as("published all the same").exists();
        }
    }

    private static void deleteTree(Path dir) throws java.io.IOException {
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
