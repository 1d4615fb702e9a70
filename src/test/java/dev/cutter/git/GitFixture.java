package dev.cutter.git;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cutter.testing.Tools;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Real git repositories driven by the git program, which also reads back what GitRepository did. */
final class GitFixture {
    private static long clock = 1_700_000_000L;

    private GitFixture() {}

    /** Runs git in {@code dir} with a fixed identity and increasing dates; returns stdout, trimmed. */
    static String git(Path dir, String... args) {
        Tools.require("git", "git");
        List<String> command = new ArrayList<>(List.of("git", "-c", "init.defaultBranch=main", "-c", "user.name=Test",
                "-c", "user.email=test@example.com", "-c", "tag.gpgSign=false", "-c", "commit.gpgSign=false"));
        command.addAll(List.of(args));
        try {
            ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
            long now;
            synchronized (GitFixture.class) {
                now = clock += 60;
            }
            Map<String, String> env = pb.environment();
            env.put("GIT_AUTHOR_DATE", now + " +0000");
            env.put("GIT_COMMITTER_DATE", now + " +0000");
            env.put("GIT_CONFIG_NOSYSTEM", "1");
            Process p = pb.start();
            p.getOutputStream().close();
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as("git %s: %s", String.join(" ", args), err).isZero();
            return out.strip();
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** A new repository with branch main. */
    static Path init(Path dir) throws IOException {
        Files.createDirectories(dir);
        git(dir, "init", "-q");
        return dir;
    }

    /** Writes {@code file} and commits it with {@code message}; returns the commit id. */
    static String commit(Path repo, String file, String content, String message) throws IOException {
        Path path = repo.resolve(file);
        Files.createDirectories(path.getParent());
        Files.writeString(path, content);
        git(repo, "add", file);
        git(repo, "commit", "-q", "--cleanup=verbatim", "-m", message);
        return git(repo, "rev-parse", "HEAD");
    }

    /**
     * A bare remote that logs every push it receives: one line per ref, then "--" (a post-receive
     * hook), so tests see the order of pushes and what each carried.
     */
    static Path bareRemote(Path dir) throws IOException {
        Files.createDirectories(dir);
        git(dir, "init", "-q", "--bare");
        Path hook = dir.resolve("hooks/post-receive");
        Files.writeString(hook, "#!/bin/sh\nwhile read old new ref; do echo \"$ref $new\" >> \"$GIT_DIR/pushes.log\"; done\n"
                + "echo -- >> \"$GIT_DIR/pushes.log\"\n");
        hook.toFile().setExecutable(true);
        return dir;
    }

    /** What the remote's hook saw, one push per element (each a list of "ref newid"). */
    static List<List<String>> pushes(Path bare) throws IOException {
        Path log = bare.resolve("pushes.log");
        List<List<String>> pushes = new ArrayList<>();
        if (!Files.exists(log)) {
            return pushes;
        }
        List<String> current = new ArrayList<>();
        for (String line : Files.readAllLines(log)) {
            if (line.equals("--")) {
                pushes.add(current);
                current = new ArrayList<>();
            } else {
                current.add(line);
            }
        }
        return pushes;
    }
}
