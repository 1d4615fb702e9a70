package dev.cutter.sign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The real GnuPG programs over a throwaway home directory (mode 0700): {@code gpg} run with
 * {@code --batch} and loopback pinentry, {@code gpgv}. A missing program fails the test with the
 * command that installs it; signatures are only proven good by the tools users run.
 */
final class GnuPg implements AutoCloseable {
    static final String INSTALL = "apt-get install -y gnupg gpgv";

    private final Path home;
    private final Path work;

    private GnuPg(Path home) throws IOException {
        this.home = home;
        this.work = Files.createDirectories(home.resolve("work"));
    }

    /** A fresh home in {@code directory}, which must not exist yet or be empty. */
    static GnuPg in(Path directory) {
        requireTools();
        try {
            Files.createDirectories(directory);
            Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
            return new GnuPg(directory);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Fails the test, naming the package to install, unless gpg, gpgv and gpgconf are on the PATH. */
    static void requireTools() {
        requireProgram("gpg");
        requireProgram("gpgv");
        requireProgram("gpgconf");
    }

    private static void requireProgram(String name) {
        boolean found = Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .filter(dir -> !dir.isEmpty())
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, name)));
        if (!found) {
            fail(name + " is not installed, and these tests check signatures with the real GnuPG tools; install them: "
                    + INSTALL);
        }
    }

    Path home() {
        return home;
    }

    /** A file in this home's scratch directory. */
    Path file(String name) {
        return work.resolve(name);
    }

    Path write(String name, byte[] content) throws IOException {
        return Files.write(file(name), content);
    }

    Path write(String name, String content) throws IOException {
        return write(name, content.getBytes(StandardCharsets.UTF_8));
    }

    /** What a program said: its exit code, stdout, and stderr (gpg's human messages). */
    record Result(int exit, byte[] stdout, String stderr) {
        String out() {
            return new String(stdout, StandardCharsets.UTF_8);
        }

        /** Both streams, for assertion messages and for the status lines of {@code --status-fd 1}. */
        String all() {
            return out() + stderr;
        }

        /** The arguments of the status line {@code [GNUPG:] keyword ...} (with {@code --status-fd 1}), or empty. */
        List<String> status(String keyword) {
            String prefix = "[GNUPG:] " + keyword + " ";
            return out().lines().filter(line -> line.startsWith(prefix))
                    .map(line -> List.of(line.substring(prefix.length()).split(" ")))
                    .findFirst().orElse(List.of());
        }
    }

    /** Runs {@code gpg --batch ... args} in this home. */
    Result gpg(String... args) {
        List<String> command = new ArrayList<>(List.of("gpg", "--batch", "--no-tty", "--pinentry-mode", "loopback"));
        command.addAll(Arrays.asList(args));
        return run(command);
    }

    Result gpgv(String... args) {
        List<String> command = new ArrayList<>(List.of("gpgv"));
        command.addAll(Arrays.asList(args));
        return run(command);
    }

    /** Runs gpg and fails the test unless it succeeds. */
    Result gpgOk(String... args) {
        Result result = gpg(args);
        assertThat(result.exit()).as("gpg %s%n%s", String.join(" ", args), result.all()).isZero();
        return result;
    }

    /** Generates a key, optionally at a faked time ({@code 20200101T000000}), and returns its fingerprint. */
    String generateKey(String userId, String algorithm, String usage, String expire, String passphrase,
            String fakedTime) {
        List<String> args = new ArrayList<>();
        if (fakedTime != null) {
            args.addAll(List.of("--faked-system-time", fakedTime + "!"));
        }
        args.addAll(List.of("--passphrase", passphrase, "--quick-gen-key", userId, algorithm, usage, expire));
        gpgOk(args.toArray(String[]::new));
        return fingerprints(userId).get(0);
    }

    /** Adds a subkey and returns its fingerprint. */
    String addSubkey(String primary, String algorithm, String usage, String expire, String passphrase,
            String fakedTime) {
        List<String> before = fingerprints(primary);
        List<String> args = new ArrayList<>();
        if (fakedTime != null) {
            args.addAll(List.of("--faked-system-time", fakedTime + "!"));
        }
        args.addAll(List.of("--passphrase", passphrase, "--quick-add-key", primary, algorithm, usage, expire));
        gpgOk(args.toArray(String[]::new));
        List<String> after = new ArrayList<>(fingerprints(primary));
        after.removeAll(before);
        assertThat(after).hasSize(1);
        return after.get(0);
    }

    /** Fingerprints of the matching key, primary first, as {@code --with-colons} lists them. */
    List<String> fingerprints(String key) {
        return gpgOk("--with-colons", "--fixed-list-mode", "--list-keys", key).out().lines()
                .filter(line -> line.startsWith("fpr:"))
                .map(line -> line.split(":")[9])
                .toList();
    }

    byte[] exportSecretKey(String fingerprint, String passphrase, boolean armor) {
        List<String> args = new ArrayList<>(List.of("--passphrase", passphrase));
        if (armor) {
            args.add("--armor");
        }
        args.addAll(List.of("--export-secret-keys", fingerprint));
        return gpgOk(args.toArray(String[]::new)).stdout();
    }

    byte[] exportPublicKey(String fingerprint, boolean armor) {
        return armor ? gpgOk("--armor", "--export", fingerprint).stdout() : gpgOk("--export", fingerprint).stdout();
    }

    void importKey(Path file) {
        gpgOk("--import", file.toString());
    }

    private Result run(List<String> command) {
        try {
            Path out = Files.createTempFile(work, "out-", ".bin");
            Path err = Files.createTempFile(work, "err-", ".txt");
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile());
            builder.environment().put("GNUPGHOME", home.toString());
            builder.environment().put("LC_ALL", "C");
            builder.environment().put("LANGUAGE", "C");
            builder.environment().put("TZ", "UTC");
            Process process = builder.start();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail(String.join(" ", command) + " did not finish within 60 s");
            }
            Result result = new Result(process.exitValue(), Files.readAllBytes(out), Files.readString(err));
            Files.delete(out);
            Files.delete(err);
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Stops this home's gpg-agent and removes the home. */
    @Override
    public void close() throws IOException {
        run(List.of("gpgconf", "--kill", "all"));
        try (Stream<Path> paths = Files.walk(home)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
