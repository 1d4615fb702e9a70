package dev.cutter.pkg.rpm;

import dev.cutter.pkg.PackageFile;
import dev.cutter.pkg.PackageMetadata;
import dev.cutter.sign.OpenPgpKey;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Package metadata and files for the RPM and yum tests, and the real rpm tools run on the results. */
public final class RpmSamples {
    public static final Instant SOURCE_DATE = Instant.parse("2030-06-01T12:00:00Z");
    public static final Path KEY = Path.of("examples/km/keys/release-key.asc");
    public static final Path PUBLIC_KEY = Path.of("examples/km/keys/release-key.pub.asc");

    private RpmSamples() {}

    /** The example release key (Ed25519, no passphrase). */
    public static OpenPgpKey releaseKey() {
        try (InputStream in = Files.newInputStream(KEY)) {
            return OpenPgpKey.read(in, new char[0]);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A package with a binary, a config file, a doc, relations of every kind and all four
     * scripts; its sources are written into {@code dir}.
     */
    public static PackageMetadata full(Path dir, String name, String version) throws IOException {
        Path bin = write(dir.resolve(name + "-bin"), "#!/bin/sh\necho " + name + " " + version + "\n");
        Path conf = write(dir.resolve(name + ".conf"), "level = 3\n");
        Path readme = write(dir.resolve(name + "-README"), "Read me.\n".repeat(1000));
        Path pre = write(dir.resolve(name + "-pre.sh"), "echo pre-install $1\n");
        Path post = write(dir.resolve(name + "-post.sh"), "echo post-install $1\n");
        Path preun = write(dir.resolve(name + "-preun.sh"), "echo pre-remove $1\n");
        Path postun = write(dir.resolve(name + "-postun.sh"), "echo post-remove $1\n");
        return new PackageMetadata(name, version, "1", "x86_64", "The " + name + " tool",
                "Does " + name + " things.\nOn two lines & <escaped>.", Optional.of("Example <dev@example.org>"),
                Optional.of("https://example.org/" + name), Optional.of("MIT"), Optional.of("Applications/System"),
                Map.of("depends", List.of("glibc", "openssl-libs (>= 3.0)", "curl | wget"),
                        "recommends", List.of("bash-completion"),
                        "suggests", List.of("man-db"),
                        "conflicts", List.of("old" + name + " (<< 2.0)"),
                        "breaks", List.of("broken-plugin (<= 1.1)"),
                        "provides", List.of(name + "-cli (= " + version + ")"),
                        "replaces", List.of(name + "-legacy (<< 1.0)")),
                List.of(new PackageFile("/usr/bin/" + name, bin, 0755, false),
                        new PackageFile("/etc/" + name + "/" + name + ".conf", conf, 0644, true),
                        new PackageFile("/usr/share/doc/" + name + "/README", readme, 0644, false)),
                Map.of("preinstall", pre, "postinstall", post, "preremove", preun, "postremove", postun),
                SOURCE_DATE);
    }

    /** A package with one small file and nothing else, as the benchmark makes thousands of. */
    public static PackageMetadata small(Path dir, String name, String version, String arch) throws IOException {
        Path bin = write(dir.resolve(name + "-" + version + "-" + arch), name + " " + version + "\n");
        return new PackageMetadata(name, version, "1", arch, "Package " + name, "Package " + name + ".",
                Optional.empty(), Optional.empty(), Optional.of("MIT"), Optional.empty(),
                Map.of("depends", List.of("bash")), List.of(new PackageFile("/usr/bin/" + name, bin, 0755, false)),
                Map.of(), SOURCE_DATE);
    }

    public static Path write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        return Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    /** What a program printed (stdout and stderr together) and its exit status. */
    public record Result(int exit, String output) {}

    public static Result run(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(5, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new AssertionError("timed out: " + command);
            }
            return new Result(process.exitValue(), output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    public static Result run(String... command) {
        return run(List.of(command));
    }

    /** Runs a command that must succeed; returns its output. */
    public static String ok(String... command) {
        Result result = run(command);
        if (result.exit() != 0) {
            throw new AssertionError(String.join(" ", command) + " exited " + result.exit() + ":\n" + result.output());
        }
        return result.output();
    }

    public static List<String> lines(String output) {
        return new ArrayList<>(output.lines().toList());
    }
}
