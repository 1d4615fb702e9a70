package dev.cutter.e2e;

import dev.cutter.oci.RegistryClientTest;
import dev.cutter.testing.LocalRegistry;
import dev.cutter.testing.Tools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Upstream releases a test makes as their projects would: a tag pushed to a bare git remote, an
 * image tag pushed to a loopback registry (made by umoci, pushed by skopeo).
 */
final class Upstreams {
    private Upstreams() {}

    /** Pushes a commit tagged {@code tag} to the bare repository {@code remotes/REPO.git}, made when absent. */
    static void gitTag(Path remotes, String repo, String tag) throws IOException, InterruptedException {
        Path bare = remotes.resolve(repo + ".git");
        if (!Files.isDirectory(bare)) {
            Files.createDirectories(bare);
            Projects.git(bare, "init", "-q", "--bare");
        }
        Path work = Files.createTempDirectory(remotes.getParent(), "upstream-");
        Projects.git(work, "init", "-q", "-b", "main");
        Projects.git(work, "commit", "-q", "--allow-empty", "-m", repo + " " + tag);
        Projects.git(work, "tag", "-a", "-m", tag, tag);
        Projects.git(work, "push", "-q", bare.toString(), "refs/tags/" + tag);
    }

    /** Pushes an empty image to {@code registry} as {@code repository:tag}. */
    static void imageTag(LocalRegistry registry, String repository, String tag, Path work) throws Exception {
        Tools.require("umoci", "umoci");
        Path layout = Files.createTempDirectory(work, "image-").resolve("layout");
        run(work, "umoci", "init", "--layout", layout.toString());
        run(work, "umoci", "new", "--image", layout + ":" + tag);
        RegistryClientTest.skopeo("copy", "--dest-tls-verify=false", "oci:" + layout + ":" + tag,
                "docker://" + registry.address() + "/" + repository + ":" + tag);
    }

    private static void run(Path dir, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError(String.join(" ", command) + " failed: " + out);
        }
    }
}
