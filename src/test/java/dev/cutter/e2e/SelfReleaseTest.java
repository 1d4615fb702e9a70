package dev.cutter.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutter.oci.RegistryClientTest;
import dev.cutter.repo.apt.AptClient;
import dev.cutter.testing.LocalRegistry;
import dev.cutter.testing.StaticServer;
import dev.cutter.testing.Tools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cutter releases Cutter: the root {@code cutter.yaml} run on a copy of this checkout (the jar built
 * by Maven, a jlink runtime with its class-data archive, the tarball, the image, .deb/.rpm in signed
 * apt/yum repositories, SHA256SUMS and its signature, each checked by the release), then the
 * README's Install commands run against what it produced. One release, built once: it is slow.
 */
@Tag("e2e")
class SelfReleaseTest {
    static final String VERSION = "0.9.0";

    @TempDir
    Path tmp;

    @Test
    void cutterReleasesItselfAndEveryInstallPathRunsTheReleasedVersion() throws Exception {
        Tools.require("skopeo", "skopeo");
        Tools.require("umoci", "umoci");
        Tools.require("apt-get", "apt");
        Tools.require("dnf", "dnf");
        Tools.require("rpm", "rpm");
        Tools.require("dpkg-deb", "dpkg-dev");
        Tools.require("gpgv", "gpgv");
        Path project = checkout(tmp.resolve("cutter"));
        Path publish = project.resolve("dist/publish");
        Path key = project.resolve("examples/veilid/keys/repo-key.pub.asc");
        Map<String, String> env = new HashMap<>(Map.of("SOURCE_DATE_EPOCH", "1767323045",
                "CUTTER_SIGNING_KEY", Files.readString(project.resolve("examples/veilid/keys/repo-key.asc"))));
        if (System.getenv("CUTTER_MAVEN_ARGS") != null) {
            env.put("CUTTER_MAVEN_ARGS", System.getenv("CUTTER_MAVEN_ARGS"));
        }
        String readme = Files.readString(project.resolve("README.md"));

        try (LocalRegistry registry = LocalRegistry.start()) {
            CutterProcess.Result release = CutterProcess.inProcess(project, env, "release", "--tag", "v" + VERSION,
                    "--var", "REGISTRY=" + registry.address());
            assertThat(release.exit()).as(release.out() + release.err()).isZero();
            assertThat(release.out()).contains("validate/tarball", "validate/image", "validate/apt-install", "validate/yum-install",
                    "validate/assets");

            Path releases = publish.resolve("releases/v" + VERSION);
            assertThat(names(releases)).contains("cutter-" + VERSION + ".jar", "cutter-" + VERSION + "-linux-amd64.tar.gz",
                    "cutter_" + VERSION + "_amd64.deb", "cutter-" + VERSION + "-1.x86_64.rpm", "SHA256SUMS", "SHA256SUMS.asc");

            // Install: checksums and signature, as docs/install.md says
            Path keyring = tmp.resolve("cutter-release.gpg");
            sh(tmp, "gpg --dearmor < '" + key + "' > '" + keyring + "'");
            sh(releases, "gpgv --keyring '" + keyring + "' SHA256SUMS.asc SHA256SUMS && sha256sum -c SHA256SUMS");

            // Install: the tarball, with nothing of this environment (no JDK on PATH, no JAVA_HOME)
            String tarball = "tar -xzf cutter-$VERSION-linux-amd64.tar.gz && env -i PATH=/usr/bin:/bin cutter-$VERSION/bin/cutter --version";
            assertThat(readme).contains(tarball);
            Path unpacked = Files.createDirectories(tmp.resolve("tarball"));
            Files.copy(releases.resolve("cutter-" + VERSION + "-linux-amd64.tar.gz"), unpacked.resolve("cutter-" + VERSION + "-linux-amd64.tar.gz"));
            assertThat(sh(unpacked, "VERSION=" + VERSION + "; " + tarball)).startsWith("cutter " + VERSION + "\n");

            // Install: the versioned jar on any JDK 21+
            String jar = "java -jar cutter-$VERSION.jar --version";
            assertThat(readme).contains(jar);
            String java = ProcessHandle.current().info().command().orElse("java");
            assertThat(sh(releases, "VERSION=" + VERSION + "; " + jar.replace("java ", "'" + java + "' "))).startsWith("cutter " + VERSION + "\n");

            // Install: apt, through the real apt-get in a throwaway root, from the repository served over HTTP
            assertThat(readme).contains("apt-get install cutter").contains("dnf install cutter");
            try (StaticServer server = new StaticServer(publish)) {
                AptClient apt = new AptClient(tmp.resolve("apt"), server.url() + "apt", "stable", "main", key, "amd64");
                AptClient.Result update = apt.update();
                assertThat(update.ok()).as(update.output()).isTrue();
                AptClient.Result install = apt.install(List.of("cutter"));
                assertThat(install.ok()).as(install.output()).isTrue();
                Path deb = apt.downloads().resolve("cutter_" + VERSION + "_amd64.deb");
                Path root = Files.createDirectories(tmp.resolve("apt-root"));
                sh(tmp, "dpkg-deb -x '" + deb + "' '" + root + "'");
                assertThat(sh(root, "env -i PATH=/usr/bin:/bin usr/lib/cutter/bin/cutter --version")).startsWith("cutter " + VERSION + "\n");
                assertThat(Files.readString(root.resolve("usr/bin/cutter"))).contains("exec /usr/lib/cutter/bin/cutter");
            }

            // Install: the rpm, installed by rpm itself into a throwaway root (its header signature checked first)
            Path rpm = publish.resolve("rpm/Packages/cutter-" + VERSION + "-1.x86_64.rpm");
            Path rpmRoot = Files.createDirectories(tmp.resolve("rpm-root"));
            sh(tmp, "rpmkeys --root '" + rpmRoot + "' --import '" + key + "' && rpmkeys --root '" + rpmRoot + "' --checksig '" + rpm + "'"
                    + " && rpm --root '" + rpmRoot + "' -i --nodeps '" + rpm + "'");
            assertThat(sh(rpmRoot, "env -i PATH=/usr/bin:/bin usr/lib/cutter/bin/cutter --version")).startsWith("cutter " + VERSION + "\n");

            // Install: the container image, its entrypoint run inside its own filesystem (nothing of this machine's)
            assertThat(readme).contains("cutter:$VERSION --version");
            Path layout = tmp.resolve("oci");
            RegistryClientTest.skopeo("copy", "--src-tls-verify=false", "docker://" + registry.address() + "/cutter:" + VERSION,
                    "oci:" + layout + ":" + VERSION);
            sh(tmp, "umoci unpack --rootless --image '" + layout + ":" + VERSION + "' bundle >/dev/null");
            Path rootfs = tmp.resolve("bundle/rootfs");
            assertThat(rootfs.resolve("opt/cutter/runtime/bin/java")).isExecutable();
            if (ProcessHandle.current().info().user().orElse("").equals("root")) {
                String config = Files.readString(tmp.resolve("bundle/config.json"));
                assertThat(config).contains("\"/opt/cutter/runtime/bin/java\"", "\"/opt/cutter/lib/cutter.jar\"");
                Files.createDirectories(rootfs.resolve("proc")); // as an OCI runtime mounts it: ld.so finds $ORIGIN there
                assertThat(sh(tmp, "unshare -m -p -f --mount-proc=bundle/rootfs/proc chroot bundle/rootfs /opt/cutter/runtime/bin/java -XX:SharedArchiveFile=/opt/cutter/lib/cutter.jsa"
                        + " -Xlog:cds=off -Xlog:cds+dynamic=off -jar /opt/cutter/lib/cutter.jar --version")).startsWith("cutter " + VERSION + "\n");
            }

            // Install: from source, the checkout's own launcher
            assertThat(readme).contains("./cutter --version");
            assertThat(sh(project, "./cutter --version")).startsWith("cutter ");
        }
    }

    /** This checkout's files (tracked and new, not ignored) in a fresh git repository. */
    static Path checkout(Path to) throws IOException, InterruptedException {
        Files.createDirectories(to);
        for (String name : sh(Path.of("."), "git ls-files -co --exclude-standard -z | tr '\\0' '\\n'").lines().toList()) {
            Path source = Path.of(name);
            if (name.isEmpty() || !Files.exists(source, java.nio.file.LinkOption.NOFOLLOW_LINKS) || Files.isDirectory(source)) {
                continue; // deleted but not yet committed, or a link to a directory (.tools)
            }
            Path target = to.resolve(name);
            Files.createDirectories(target.getParent());
            Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES, java.nio.file.LinkOption.NOFOLLOW_LINKS);
        }
        Projects.git(to, "init", "-q", "-b", "main");
        Projects.git(to, "add", "-A");
        Projects.git(to, "commit", "-q", "-m", "release");
        return to;
    }

    private static String sh(Path dir, String command) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(List.of("/bin/sh", "-c", command));
        Process p = new ProcessBuilder(argv).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new AssertionError(command + " failed in " + dir + ":\n" + out);
        }
        return out;
    }

    private static List<String> names(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).toList();
        }
    }
}
