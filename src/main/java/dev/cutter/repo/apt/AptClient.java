package dev.cutter.repo.apt;

import dev.cutter.process.Command;
import dev.cutter.process.ProcessRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The real apt-get in a throwaway root: its own state, cache, sources list, empty dpkg status
 * and keyring under {@code home}; nothing of the system's apt configuration, keyrings or lists is
 * read or written and no lock is taken. What a user's machine would do with the repository,
 * short of unpacking: {@code update} (signatures and hashes checked) and a download of packages
 * with their dependencies resolved.
 */
public final class AptClient {
    /** What a run of apt-get printed and how it ended. */
    public record Result(int status, String output) {
        public boolean ok() {
            return status == 0 && !output.lines().anyMatch(l -> l.startsWith("W:") || l.startsWith("E:") || l.startsWith("Err:"));
        }
    }

    private final Path home;
    private final Path sources;
    private final String architecture;
    private final ProcessRunner processes = ProcessRunner.local();

    /**
     * @param repository the URI apt reads ({@code file:/srv/apt} or {@code http://HOST/apt})
     * @param keyring the public key (armored {@code .asc} or binary {@code .gpg}) the Release must be signed with
     */
    public AptClient(Path home, String repository, String dist, String component, Path keyring, String architecture)
            throws IOException {
        this.home = home;
        this.architecture = architecture;
        Files.createDirectories(home.resolve("state/lists/partial"));
        Files.createDirectories(home.resolve("cache/archives/partial"));
        Files.createDirectories(home.resolve("download"));
        Files.writeString(home.resolve("status"), "");
        sources = Files.writeString(home.resolve("sources.list"),
                "deb [signed-by=" + keyring.toAbsolutePath() + "] " + repository + " " + dist + " " + component + "\n");
    }

    public Result update() throws IOException, InterruptedException {
        return run("apt-get", "update");
    }

    /** Downloads {@code packages} and what they depend on, as {@code apt-get install --download-only} resolves them. */
    public Result install(List<String> packages) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("install", "--download-only", "--yes", "--no-install-recommends"));
        args.addAll(packages);
        return run("apt-get", args.toArray(String[]::new));
    }

    public Path downloads() {
        return home.resolve("cache/archives");
    }

    /** {@code program} (apt-get, apt-cache) with {@code args}, confined to the throwaway root. */
    public List<String> command(String program, String... args) {
        List<String> command = new ArrayList<>(List.of(program,
                "-o", "Dir::State=" + home.resolve("state"),
                "-o", "Dir::State::status=" + home.resolve("status"),
                "-o", "Dir::Cache=" + home.resolve("cache"),
                "-o", "Dir::Etc::SourceList=" + sources,
                "-o", "Dir::Etc::SourceParts=/dev/null",
                "-o", "Dir::Etc::Trusted=/dev/null",
                "-o", "Dir::Etc::TrustedParts=/dev/null",
                "-o", "Dir::Etc::Preferences=/dev/null",
                "-o", "Dir::Etc::PreferencesParts=/dev/null",
                "-o", "Debug::NoLocking=1",
                "-o", "APT::Architecture=" + architecture,
                "-o", "APT::Architectures::=" + architecture,
                "-o", "APT::Sandbox::User=" + System.getProperty("user.name"),
                "-o", "Acquire::Languages=none",
                "-o", "Acquire::Retries=0",
                "-o", "Acquire::http::Proxy::127.0.0.1=DIRECT"));
        command.addAll(List.of(args));
        return command;
    }

    /** The environment changes apt runs with: no prompts, no proxy for loopback. */
    public java.util.Map<String, String> environment() {
        return java.util.Map.of("DEBIAN_FRONTEND", "noninteractive", "http_proxy", "", "HTTP_PROXY", "");
    }

    private Result run(String program, String... args) throws IOException, InterruptedException {
        Command command = Command.of(command(program, args), Duration.ofMinutes(10)).in(home).with(environment()).mergingErr();
        try {
            dev.cutter.process.Result result = processes.run(command);
            return new Result(result.exit(), result.out());
        } catch (ProcessRunner.CannotStart e) {
            throw new IOException("apt-get is not installed here (apt-get install apt): " + e.getMessage(), e);
        }
    }
}
