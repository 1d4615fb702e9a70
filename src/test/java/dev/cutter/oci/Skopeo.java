package dev.cutter.oci;

import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** The real skopeo, found on the PATH; a test that needs it fails, naming the install command, when it is missing. */
final class Skopeo {
    static final String INSTALL = "apt-get update && apt-get install -y skopeo";

    record Result(int exitCode, byte[] stdout, String stderr) {
        String out() {
            return new String(stdout, StandardCharsets.UTF_8);
        }
    }

    private final Path executable;

    private Skopeo(Path executable) {
        this.executable = executable;
    }

    static Skopeo find() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, "skopeo");
            if (Files.isExecutable(candidate)) {
                return new Skopeo(candidate);
            }
        }
        return fail("skopeo is not on the PATH; these tests check the OCI layout with the real tool. Install it: " + INSTALL);
    }

    /** Runs skopeo without a signature policy (the layouts are local test data) and expects success. */
    Result run(String... args) throws IOException, InterruptedException {
        Result result = attempt(args);
        if (result.exitCode() != 0) {
            fail("skopeo " + String.join(" ", args) + " exited " + result.exitCode() + ": " + result.stderr());
        }
        return result;
    }

    Result attempt(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(executable.toString(), "--insecure-policy"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        CompletableFuture<byte[]> stdout = read(process.getInputStream());
        CompletableFuture<byte[]> stderr = read(process.getErrorStream());
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("skopeo " + String.join(" ", args) + " did not finish within 60 s");
        }
        return new Result(process.exitValue(), stdout.join(), new String(stderr.join(), StandardCharsets.UTF_8));
    }

    private static CompletableFuture<byte[]> read(InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try (in) {
                return in.readAllBytes();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    String version() throws IOException, InterruptedException {
        return run("--version").out().trim();
    }
}
