package dev.cutter.repo.yum;

import dev.cutter.content.Staging;
import dev.cutter.pkg.PackageFile;
import dev.cutter.pkg.PackageMetadata;
import dev.cutter.pkg.rpm.RpmWriter;
import dev.cutter.process.Command;
import dev.cutter.process.ProcessRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The real dnf in a throwaway install root with its own configuration, repository file and
 * cache: nothing of the host's dnf setup is used or changed. {@code repo_gpgcheck=1}, so the
 * metadata must be signed by {@code key}; packages are checked too when {@code gpgcheck}.
 */
public final class DnfClient {
    /** What a run of dnf printed and how it ended. */
    public record Result(int status, String output) {
        public boolean ok() {
            return status == 0;
        }
    }

    private final Path home;
    private final Path repos;
    private final Path config;
    private final String architecture;
    private final Path key;
    private final ProcessRunner processes = ProcessRunner.local();
    private boolean base;

    /**
     * @param baseurl the repository as dnf reads it ({@code file:///srv/rpm} or {@code http://HOST/rpm})
     * @param key the armored public key repomd.xml (and, with {@code gpgcheck}, each package) is signed with
     */
    public DnfClient(Path home, String baseurl, Path key, boolean gpgcheck, String architecture) throws IOException {
        this.home = home;
        this.architecture = architecture;
        this.key = key;
        repos = Files.createDirectories(home.resolve("repos.d"));
        config = home.resolve("dnf.conf");
        Files.writeString(config, """
                [main]
                gpgcheck=%d
                skip_if_unavailable=False
                install_weak_deps=False
                keepcache=True
                """.formatted(gpgcheck ? 1 : 0));
        Files.writeString(repos.resolve("checked.repo"), """
                [checked]
                name=The repository being checked
                baseurl=%s
                enabled=1
                repo_gpgcheck=1
                gpgcheck=%d
                gpgkey=file://%s
                metadata_expire=0
                skip_if_unavailable=False
                """.formatted(baseurl, gpgcheck ? 1 : 0, key.toAbsolutePath()));
    }

    /**
     * Adds an unsigned repository standing for the base system (what every installed machine
     * has, such as {@code /bin/sh} for scriptlets); the checked repository stays signed.
     */
    public DnfClient withBase(String baseurl) throws IOException {
        Files.writeString(repos.resolve("base.repo"), String.join("\n", "[base]", "name=The base system, stubbed",
                "baseurl=" + baseurl, "enabled=1", "repo_gpgcheck=0", "gpgcheck=0", "metadata_expire=0", ""));
        base = true;
        return this;
    }

    /**
     * As {@link #withBase}, with a repository made in {@code dir} holding one package that
     * provides what every machine has and no package declares: the throwaway root is empty, and
     * dnf would otherwise find nothing providing {@code /bin/sh} for scriptlets.
     */
    public DnfClient withBaseSystem(Path dir) throws IOException {
        Path packages = Files.createDirectories(dir.resolve("Packages"));
        Path readme = Files.writeString(dir.resolve("README"), "stands for the base system of a machine\n");
        PackageMetadata stub = new PackageMetadata("base-system-stub", "1", "1", "noarch", "The base system, stubbed",
                "Provides what every installed machine has.", Optional.empty(), Optional.empty(), Optional.of("MIT"),
                Optional.empty(), Map.of("provides", BASE_SYSTEM),
                List.of(new PackageFile("/usr/share/doc/base-system-stub/README", readme, 0644, false)), Map.of(),
                Instant.EPOCH);
        try (Staging staging = Staging.forProcess(home)) { // throwaway, as the whole client is
            Path rpm = new RpmWriter().write(stub, packages, staging);
            YumRepository repository = YumRepository.open(dir, staging);
            repository.add(List.of(rpm));
            repository.publish(YumPublishOptions.at(Instant.EPOCH));
        }
        return withBase(dir.toUri().toString());
    }

    /** What a minimal installed system provides that packages require without saying so. */
    private static final List<String> BASE_SYSTEM = List.of("/bin/sh", "/bin/bash", "/usr/bin/sh", "/usr/bin/bash",
            "/usr/bin/env", "/sbin/ldconfig", "/usr/sbin/useradd", "/usr/sbin/groupadd", "systemd");

    public Result makecache() throws IOException, InterruptedException {
        return run("makecache");
    }

    /** Downloads {@code packages} and their dependencies as an install would resolve them. */
    public Result install(List<String> packages) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("install", "--downloadonly", "--downloaddir=" + downloads()));
        args.addAll(packages);
        return run(args.toArray(String[]::new));
    }

    /**
     * Checks the downloaded packages' signatures as an install would ({@code --downloadonly} stops
     * before dnf's own check): {@code rpmkeys --checksig} against a throwaway keyring holding only
     * the repository's key. A package that is unsigned, signed by another key or altered fails.
     */
    public Result checkSignatures() throws IOException, InterruptedException {
        Path db = Files.createDirectories(home.resolve("rpmdb"));
        Result imported = exec(List.of("rpmkeys", "--dbpath", db.toString(), "--import", key.toAbsolutePath().toString()));
        if (!imported.ok()) {
            return imported;
        }
        List<String> command = new ArrayList<>(List.of("rpmkeys", "--dbpath", db.toString(), "--checksig", "--verbose"));
        try (var files = Files.list(downloads())) {
            files.filter(f -> f.toString().endsWith(".rpm")).sorted().forEach(f -> command.add(f.toString()));
        }
        Result checked = exec(command);
        boolean allSigned = checked.output().lines().filter(l -> l.contains("Header V4") || l.contains("Header OpenPGP"))
                .allMatch(l -> l.contains(": OK")) && checked.output().contains("Header V4");
        return new Result(checked.ok() && allSigned ? 0 : Math.max(1, checked.status()), checked.output());
    }

    public Path downloads() {
        return home.resolve("downloads");
    }

    /** dnf with {@code arguments}, confined to the throwaway install root, configuration and cache. */
    public List<String> command(String... arguments) throws IOException {
        Path root = home.resolve("root");
        Files.createDirectories(root.resolve("log"));
        List<String> command = new ArrayList<>(List.of("dnf", "-y", "--installroot=" + root,
                "--setopt=reposdir=" + repos, "--config=" + config, "--releasever=1", "--forcearch=" + architecture,
                "--setopt=cachedir=" + root.resolve("cache"), "--setopt=*.skip_if_unavailable=0",
                "--setopt=logdir=" + root.resolve("log"), "--disablerepo=*", "--enablerepo=" + (base ? "checked,base" : "checked")));
        command.addAll(List.of(arguments));
        return command;
    }

    /** The install root dnf works in. */
    public Path root() {
        return home.resolve("root");
    }

    private Result run(String... arguments) throws IOException, InterruptedException {
        return exec(command(arguments));
    }

    private Result exec(List<String> argv) throws IOException, InterruptedException {
        try {
            dev.cutter.process.Result result = processes.run(Command.of(argv, Duration.ofMinutes(10)).in(home).mergingErr());
            return new Result(result.exit(), result.out());
        } catch (ProcessRunner.CannotStart e) {
            throw new IOException(argv.get(0) + " is not installed here (apt-get install dnf rpm, or dnf on Fedora/RHEL): "
                    + e.getMessage(), e);
        }
    }
}
