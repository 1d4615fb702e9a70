package dev.cutter.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import dev.cutter.oci.RegistryClientTest;
import dev.cutter.testing.GitDaemon;
import dev.cutter.testing.LocalRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The peer pods process (shared/seeds/003) against a bare git remote made by the test: five Go
 * modules tagged src/MODULE/vX.Y.Z in dependency order (seen by the remote's update hook, in the
 * order the refs arrived), versions.yaml and go.mod pins committed with their formatting, the
 * project release and its version tag made on the pinned commit with the image tag the pins name
 * pushed to a loopback registry, the revert commit after them all, module tags that never move.
 */
@Tag("e2e")
class PeerPodsReleaseTest {
    static final Map<String, String> ENV = Map.of("SOURCE_DATE_EPOCH", "1767323045");
    static final List<String> ORDER = List.of("cloud-providers", "peerpod-ctrl", "cloud-api-adaptor", "csi-wrapper", "webhook");

    @TempDir
    Path tmp;

    Path project;
    Path remote;
    GitDaemon daemon;
    LocalRegistry quay;

    @BeforeEach
    void projectWithARemote() throws Exception {
        project = Projects.copy("peer-pods", tmp.resolve("caa"));
        remote = Files.createDirectories(tmp.resolve("remotes")).resolve("caa.git");
        git(tmp, "init", "-q", "--bare", remote.toString());
        Path hook = remote.resolve("hooks/update"); // called once per ref, in the order a push sends them
        Files.writeString(hook, "#!/bin/sh\necho \"$1\" >> \"" + tmp.resolve("arrivals") + "\"\n");
        hook.toFile().setExecutable(true);
        daemon = new GitDaemon(tmp.resolve("remotes")); // a server, as GitHub is: its hooks see every ref arrive
        Projects.git(project, "remote", "add", "origin", daemon.url("caa.git"));
        Projects.git(project, "push", "-q", "origin", "main");
        quay = LocalRegistry.start();
        upstreamsReleased(); // what the pins name is out: guest-components, trustee, kata-containers, the operator
    }

    /** The upstream releases the example requires, as their projects publish them. */
    private void upstreamsReleased() throws Exception {
        Path remotes = tmp.resolve("remotes");
        Upstreams.gitTag(remotes, "confidential-containers/guest-components", "v0.10.0");
        Upstreams.gitTag(remotes, "confidential-containers/trustee", "v0.10.1");
        Upstreams.gitTag(remotes, "kata-containers/kata-containers", "3.6.0");
        Upstreams.imageTag(quay, "confidential-containers/operator", "v0.10.0", tmp);
    }

    @AfterEach
    void stopTheServer() throws Exception {
        daemon.close();
        quay.close();
    }

    private CutterProcess.Result releaseAll(String version) throws Exception {
        return CutterProcess.inProcess(project, ENV, "release", "--all", "--version", version, "--var", "QUAY=" + quay.address(),
                "--var", "GO=" + fakeGo(), "--var", "GITHUB=git://127.0.0.1:" + daemon.port);
    }

    /**
     * A stand-in for {@code go} (no Go toolchain or module cache here): {@code mod tidy} writes a
     * go.sum that follows go.mod, as the real one would, so the test sees it land in the pins' commit.
     */
    private String fakeGo() throws IOException {
        Path go = tmp.resolve("bin/go");
        if (!Files.exists(go)) {
            Files.createDirectories(go.getParent());
            Files.writeString(go, "#!/bin/sh\n[ \"$1 $2\" = \"mod tidy\" ] || exit 2\n"
                    + "sed -n 's/^require \\([^ ]*\\) \\(v[^ ]*\\).*/\\1 \\2 h1:tidied=/p' go.mod > go.sum\n");
            go.toFile().setExecutable(true);
        }
        return go.toString();
    }

    @Test
    void anAlphaThenTheReleaseTagEveryModuleInOrderWithPinsCommittedAndTheImagePinReverted() throws Exception {
        String versionsBefore = Files.readString(project.resolve("src/cloud-api-adaptor/versions.yaml"));
        String overlayBefore = Files.readString(project.resolve("src/cloud-api-adaptor/install/overlays/aws/kustomization.yaml"));
        String head = git(project, "rev-parse", "HEAD").strip();

        CutterProcess.Result alpha = releaseAll("0.10.0-alpha.1");
        assertThat(alpha.exit()).as(alpha.out() + alpha.err()).isZero();

        List<String> tags = new ArrayList<>(ORDER.stream().map(m -> "refs/tags/src/" + m + "/v0.10.0-alpha.1").toList());
        tags.add("refs/tags/v0.10.0-alpha.1"); // the project's version tag after the module tags
        assertThat(Files.readAllLines(tmp.resolve("arrivals"))).filteredOn(r -> r.startsWith("refs/tags/"))
                .containsExactlyElementsOf(tags);
        // the seed's order: pins commits, every tag on the pinned commit, then the revert commit
        String graph = git(tmp, "--git-dir", remote.toString(), "log", "--graph", "--decorate", "--format=%s%d", "main");
        assertThat(graph.lines().map(String::strip).toList()).as(graph).startsWith(
                "* Revert pins after v0.10.0-alpha.1 (main)",
                "* Pin csi-wrapper 0.10.0-alpha.1 (tag: v0.10.0-alpha.1, tag: src/webhook/v0.10.0-alpha.1, tag: src/csi-wrapper/v0.10.0-alpha.1)",
                "* Pin cloud-api-adaptor 0.10.0-alpha.1 (tag: src/cloud-api-adaptor/v0.10.0-alpha.1)",
                "* release (tag: src/peerpod-ctrl/v0.10.0-alpha.1, tag: src/cloud-providers/v0.10.0-alpha.1)");
        // the released tree has the pins, and the pinned image is one the release pushed
        assertThat(archived("0.10.0-alpha.1", "install/overlays/aws/kustomization.yaml")).contains("    newTag: " + head);
        RegistryClientTest.skopeo("inspect", "--raw", "--tls-verify=false",
                "docker://" + quay.address() + "/confidential-containers/cloud-api-adaptor:" + head);
        String tagged = show("src/cloud-api-adaptor/v0.10.0-alpha.1:src/cloud-api-adaptor/versions.yaml");
        assertThat(tagged).as("the pins, in place, comments kept").contains("    reference: 0.10.0   # updated at release")
                .contains("    tag: v0.10.1").contains("    reference: v0.10.0");
        assertThat(diffLines(versionsBefore, tagged)).as("one line per pin").isEqualTo(5);
        assertThat(tagged).contains("    reference: 3.6.0").contains("    config: release");
        assertThat(show("src/cloud-api-adaptor/v0.10.0-alpha.1:CITATION.cff")).as("the release's day, from SOURCE_DATE_EPOCH")
                .contains("\nversion: 0.10.0-alpha.1\n").contains("\ndate-released: 2026-01-02\n").contains("\ncommit: " + head + "\n");
        assertThat(show("src/csi-wrapper/v0.10.0-alpha.1:src/csi-wrapper/go.sum")).as("go mod tidy, in the pins' commit")
                .isEqualTo("github.com/kata-containers/kata-containers/src/runtime v0.0.0-20240614120032-bb7e0a7d3d7f h1:tidied=\n");
        assertThat(git(tmp, "--git-dir", remote.toString(), "show", "--format=", "--name-only", "src/csi-wrapper/v0.10.0-alpha.1^{commit}")
                .lines().toList()).containsExactlyInAnyOrder("src/csi-wrapper/go.mod", "src/csi-wrapper/go.sum");
        assertThat(show("src/cloud-api-adaptor/v0.10.0-alpha.1:src/cloud-api-adaptor/install/overlays/aws/kustomization.yaml"))
                .as("the image pinned by the commit released").contains("    newTag: " + head);
        assertThat(show("src/csi-wrapper/v0.10.0-alpha.1:src/csi-wrapper/go.mod"))
                .contains("require github.com/kata-containers/kata-containers/src/runtime v0.0.0-20240614120032-bb7e0a7d3d7f");
        // revert-after: the image pin and the operator reference are back, byte for byte
        assertThat(Files.readString(project.resolve("src/cloud-api-adaptor/install/overlays/aws/kustomization.yaml")))
                .isEqualTo(overlayBefore);
        assertThat(Files.readString(project.resolve("src/cloud-api-adaptor/versions.yaml")))
                .contains("    reference: main\n    config: release").contains("reference: 0.10.0   # updated at release");

        CutterProcess.Result again = releaseAll("0.10.0-alpha.1");
        assertThat(again.exit()).as(again.out() + again.err()).isZero();
        assertThat(again.out()).contains("already released");

        CutterProcess.Result release = releaseAll("0.10.0");
        assertThat(release.exit()).as(release.out() + release.err()).isZero();
        assertThat(git(tmp, "--git-dir", remote.toString(), "tag", "-l", "src/*/v0.10.0")).hasLineCount(5);
        String pinned = git(tmp, "--git-dir", remote.toString(), "show",
                "v0.10.0:src/cloud-api-adaptor/install/overlays/azure/kustomization.yaml");
        String image = pinned.lines().filter(l -> l.contains("newTag:")).findFirst().orElseThrow().replaceAll(".*newTag:\\s*", "").strip();
        assertThat(archived("0.10.0", "install/overlays/azure/kustomization.yaml")).isEqualTo(pinned);
        RegistryClientTest.skopeo("inspect", "--raw", "--tls-verify=false",
                "docker://" + quay.address() + "/confidential-containers/cloud-api-adaptor:" + image);
        assertThat(git(tmp, "--git-dir", remote.toString(), "log", "-1", "--format=%s", "main").strip())
                .isEqualTo("Revert pins after v0.10.0");
        assertThat(git(tmp, "--git-dir", remote.toString(), "rev-parse", "v0.10.0^{commit}"))
                .isEqualTo(git(tmp, "--git-dir", remote.toString(), "rev-parse", "main~1"));
    }

    /**
     * The example's trigger, as CI runs it when the release's version tag arrives (the seed's tag
     * push starts the podvm build): a fresh clone at the tag, {@code cutter trigger}, the project's
     * release made from the pinned tree the tag is on.
     */
    @Test
    void theVersionTagsPushTriggersTheProjectsReleaseFromThePinnedTree() throws Exception {
        String head = git(project, "rev-parse", "HEAD").strip();
        CutterProcess.Result alpha = releaseAll("0.10.0-alpha.1");
        assertThat(alpha.exit()).as(alpha.out() + alpha.err()).isZero();
        Path ci = tmp.resolve("ci");
        git(tmp, "clone", "-q", remote.toString(), ci.toString());
        Projects.git(ci, "checkout", "-q", "--detach", "v0.10.0-alpha.1");

        CutterProcess.Result triggered = CutterProcess.inProcess(ci, ENV, "trigger", "--ref", "refs/tags/v0.10.0-alpha.1",
                "--var", "QUAY=" + quay.address(), "--var", "GO=" + fakeGo(), "--var", "GITHUB=git://127.0.0.1:" + daemon.port);

        assertThat(triggered.exit()).as(triggered.out() + triggered.err()).isZero();
        assertThat(triggered.out()).contains("tag v0.10.0-alpha.1 matches triggers[0]");
        Path archive = ci.resolve("dist/releases/v0.10.0-alpha.1/peer-pods-install-v0.10.0-alpha.1.tar.gz");
        Process tar = new ProcessBuilder("tar", "-xzOf", archive.toString(), "install/overlays/aws/kustomization.yaml")
                .redirectErrorStream(true).start();
        assertThat(new String(tar.getInputStream().readAllBytes())).contains("    newTag: " + head);
        assertThat(tar.waitFor(30, TimeUnit.SECONDS) && tar.exitValue() == 0).isTrue();
    }

    /** A file of the released install-manifests archive, read with tar. */
    private String archived(String version, String member) throws Exception {
        Path archive;
        try (var files = Files.walk(project.resolve("dist/releases"))) {
            archive = files.filter(f -> f.getFileName().toString().equals("peer-pods-install-v" + version + ".tar.gz")).findFirst()
                    .orElseThrow(() -> new AssertionError("no released archive of " + version));
        }
        Process p = new ProcessBuilder("tar", "-xzOf", archive.toString(), member).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0).as(out).isTrue();
        return out;
    }

    @Test
    void theOperatorsReleaseIsWaitedForBeforeAnyTagAndPinnedOnceItIsOut() throws Exception {
        java.util.concurrent.CompletableFuture<Boolean> taggedBefore = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                // the operator releases while cloud-api-adaptor's release waits for it; the test asserts the
                // image was first seen missing, and docker-registry's look leaves no trace to wait for
                Thread.sleep(3000);
                boolean tagged = Files.exists(tmp.resolve("arrivals"))
                        && Files.readAllLines(tmp.resolve("arrivals")).stream().anyMatch(r -> r.startsWith("refs/tags/"));
                Upstreams.imageTag(quay, "confidential-containers/operator", "v0.11.0", tmp);
                return tagged;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });

        CutterProcess.Result result = CutterProcess.inProcess(project, ENV, "release", "--all", "--version", "0.11.0",
                "--var", "QUAY=" + quay.address(), "--var", "GO=" + fakeGo(), "--var", "GITHUB=git://127.0.0.1:" + daemon.port,
                "--var", "COCO_OPERATOR=v0.11.0");

        assertThat(result.exit()).as(result.out() + result.err()).isZero();
        assertThat(taggedBefore.get(1, TimeUnit.MINUTES)).as("a tag pushed while waiting for the operator").isFalse();
        assertThat(result.out()).contains("image " + quay.address() + "/confidential-containers/operator:v0.11.0: not there yet;"
                + " waiting up to 30m").contains("confidential-containers/operator:v0.11.0: there after");
        assertThat(show("src/cloud-api-adaptor/v0.11.0:src/cloud-api-adaptor/versions.yaml")).contains("    reference: v0.11.0");
    }

    @Test
    void anImagePinOfATagThatIsNeitherPushedNorInTheRegistryStopsTheReleaseBeforeAnyTag() throws Exception {
        Path spec = project.resolve("cutter.yaml");
        Files.writeString(spec, Files.readString(spec).replaceFirst("value: \"\\{sha}\"", "value: \"never-pushed\""));
        Projects.git(project, "commit", "-q", "-am", "pin a tag nobody pushed");
        Projects.git(project, "push", "-q", "origin", "main");

        CutterProcess.Result result = releaseAll("0.10.0");

        assertThat(result.exit()).as(result.out() + result.err()).isEqualTo(4);
        assertThat(result.out() + result.err()).contains("confidential-containers/cloud-api-adaptor:never-pushed")
                .contains("this release does not push it");
        assertThat(git(tmp, "--git-dir", remote.toString(), "tag", "-l")).isEmpty();
    }

    @Test
    void aComponentReleasedByItselfRevertsItsPinsRightAfterItsModuleTag() throws Exception {
        String overlayBefore = Files.readString(project.resolve("src/cloud-api-adaptor/install/overlays/aws/kustomization.yaml"));
        for (String component : List.of("cloud-providers", "peerpod-ctrl", "cloud-api-adaptor")) {
            CutterProcess.Result one = CutterProcess.inProcess(project, ENV, "release", "--component", component, "--version", "0.12.0",
                    "--var", "QUAY=" + quay.address(), "--var", "GO=" + fakeGo(), "--var", "GITHUB=git://127.0.0.1:" + daemon.port);
            assertThat(one.exit()).as(one.out() + one.err()).isZero();
        }

        assertThat(git(tmp, "--git-dir", remote.toString(), "log", "-2", "--format=%s%d", "main").lines().toList()).containsExactly(
                "Revert pins after src/cloud-api-adaptor/v0.12.0 (main)",
                "Pin cloud-api-adaptor 0.12.0 (tag: src/cloud-api-adaptor/v0.12.0)");
        assertThat(Files.readString(project.resolve("src/cloud-api-adaptor/install/overlays/aws/kustomization.yaml")))
                .isEqualTo(overlayBefore);
    }

    @Test
    void aResumedReleaseTagsThePinsCommitItMadeAndNeverMakesASecond() throws Exception {
        Path refuse = tmp.resolve("refuse");
        Files.writeString(refuse, "");
        Path hook = remote.resolve("hooks/update"); // the remote refuses the csi-wrapper tag once, after its pins were pushed
        Files.writeString(hook, "#!/bin/sh\necho \"$1\" >> \"" + tmp.resolve("arrivals") + "\"\n"
                + "case \"$1\" in refs/tags/src/csi-wrapper/*) [ -f \"" + refuse + "\" ] && exit 1;; esac\nexit 0\n");

        CutterProcess.Result failed = releaseAll("0.13.0");
        assertThat(failed.exit()).as(failed.out() + failed.err()).isNotZero();
        assertThat(git(tmp, "--git-dir", remote.toString(), "tag", "-l", "src/csi-wrapper/*")).isEmpty();
        java.util.regex.Matcher run = java.util.regex.Pattern.compile("r\\d{8}-\\d{6}-[0-9a-f]{4}").matcher(failed.out() + failed.err());
        String runId = null;
        while (run.find()) {
            runId = run.group(); // the last run named: csi-wrapper's
        }
        Files.delete(refuse);

        CutterProcess.Result resumed = CutterProcess.inProcess(project, ENV, "release", "--resume", runId);
        assertThat(resumed.exit()).as(resumed.out() + resumed.err()).isZero();

        List<String> log = git(tmp, "--git-dir", remote.toString(), "log", "--format=%s", "main").lines().toList();
        assertThat(log).filteredOn(m -> m.startsWith("Pin csi-wrapper")).hasSize(1);
        assertThat(git(tmp, "--git-dir", remote.toString(), "rev-parse", "src/csi-wrapper/v0.13.0^{commit}"))
                .isEqualTo(git(tmp, "--git-dir", remote.toString(), "rev-parse", "main"));
    }

    @Test
    void aComponentWhoseNeedsAreNotReleasedIsRefusedWithWhatIsMissing() throws Exception {
        CutterProcess.Result csi = CutterProcess.inProcess(project, ENV, "release", "--component", "csi-wrapper", "--version", "0.11.0");

        assertThat(csi.exit()).isEqualTo(3);
        assertThat(csi.out() + csi.err()).contains("src/cloud-api-adaptor/v0.11.0");
        assertThat(git(tmp, "--git-dir", remote.toString(), "tag", "-l")).isEmpty();
    }

    @Test
    void aModuleTagOnTheRemoteAtAnotherCommitIsNeverMoved() throws Exception {
        Projects.git(project, "commit", "-q", "--allow-empty", "-m", "someone else's commit");
        Projects.git(project, "tag", "-a", "-m", "by hand", "src/webhook/v0.12.0");
        Projects.git(project, "push", "-q", "origin", "src/webhook/v0.12.0");
        Projects.git(project, "tag", "-d", "src/webhook/v0.12.0");
        Projects.git(project, "reset", "-q", "--hard", "HEAD~1");
        String before = git(tmp, "ls-remote", remote.toString());

        CutterProcess.Result webhook = CutterProcess.inProcess(project, ENV, "release", "--component", "webhook", "--version", "0.12.0");

        assertThat(webhook.exit()).as(webhook.out() + webhook.err()).isEqualTo(3);
        assertThat(webhook.out() + webhook.err()).contains("src/webhook/v0.12.0");
        assertThat(git(tmp, "ls-remote", remote.toString())).isEqualTo(before);
    }

    private String show(String object) throws Exception {
        return git(tmp, "--git-dir", remote.toString(), "show", object);
    }

    private static int diffLines(String a, String b) {
        List<String> x = a.lines().toList();
        List<String> y = b.lines().toList();
        int n = 0;
        for (int i = 0; i < Math.max(x.size(), y.size()); i++) {
            if (i >= x.size() || i >= y.size() || !x.get(i).equals(y.get(i))) {
                n++;
            }
        }
        return n;
    }

    static String git(Path dir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("git"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().putAll(Projects.GIT_ENV);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError("git " + String.join(" ", args) + " failed: " + out);
        }
        return out;
    }
}
