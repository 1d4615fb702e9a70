package dev.cutter.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Example projects copied into a fresh git repository whose commit is the same on every copy. */
final class Projects {
    /** Fixed dates and identity: the same files give the same commit id in every copy. */
    static final Map<String, String> GIT_ENV = Map.of("GIT_AUTHOR_NAME", "Cutter Test", "GIT_AUTHOR_EMAIL", "test@cutter.invalid",
            "GIT_COMMITTER_NAME", "Cutter Test", "GIT_COMMITTER_EMAIL", "test@cutter.invalid",
            "GIT_AUTHOR_DATE", "2026-01-02T03:04:05Z", "GIT_COMMITTER_DATE", "2026-01-02T03:04:05Z");

    private Projects() {}

    static Path copy(String example, Path to) throws IOException, InterruptedException {
        Files.createDirectories(to);
        CutterProcess.copyTree(Path.of("examples", example), to);
        git(to, "init", "-q", "-b", "main");
        git(to, "add", "-A");
        git(to, "commit", "-q", "-m", "release");
        return to;
    }

    /**
     * Releases the example's {@code bases.yaml}: the base images its Dockerfiles start from, made
     * offline from busybox-static and pushed to the registry at {@code address}, named by the var
     * {@code registryVar}, as a user does once before the example. It runs in a copy beside
     * {@code project}, so the project's ledger and checkout hold only what the test does.
     */
    static void releaseBases(Path project, String registryVar, String address) throws IOException {
        Path copy = project.resolveSibling(project.getFileName() + "-bases");
        CutterProcess.copyTree(project, copy);
        CutterProcess.Result bases = CutterProcess.inProcess(copy, Map.of("SOURCE_DATE_EPOCH", "1767323045"), "release",
                "-f", "bases.yaml", "--version", "1.0.0", "--var", registryVar + "=" + address);
        if (bases.exit() != 0) {
            throw new AssertionError("the example's bases.yaml did not release: " + bases.out() + bases.err());
        }
    }

    static void git(Path dir, String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("git", "-c", "commit.gpgsign=false"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().putAll(GIT_ENV);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError("git " + String.join(" ", args) + " failed: " + out);
        }
    }
}
