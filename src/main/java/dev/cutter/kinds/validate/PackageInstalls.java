package dev.cutter.kinds.validate;

import dev.cutter.plan.Action;
import dev.cutter.plan.Planned;
import dev.cutter.repo.apt.AptClient;
import dev.cutter.repo.yum.DnfClient;
import dev.cutter.run.JobContext;
import dev.cutter.run.JobFailure;
import dev.cutter.run.JobOutcome;
import dev.cutter.sign.OpenPgpKey;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import dev.cutter.run.jobs.SigningKeys;
import dev.cutter.kinds.repository.RepositoryJob;

/**
 * The {@code apt-install} and {@code yum-install} checks: what a user's machine does with each
 * published repository of the kind — the real apt-get or dnf in a throwaway root, trusting only
 * the repository's own public key, refreshes the indexes (signatures and hashes checked) and
 * downloads every package of this release for this machine's architecture, dependencies
 * resolved.
 */
final class PackageInstalls {
    private PackageInstalls() {}

    static JobOutcome check(JobContext context, String type) throws Exception {
        List<Planned<Action.Repository>> repositories = context.plan().jobs(Action.Repository.class)
                .filter(r -> r.action().type().equals(type)).toList();
        if (repositories.isEmpty()) {
            throw JobFailure.failed("this release publishes no " + type + " repository to check; remove the check or add one");
        }
        List<String> checked = new ArrayList<>();
        Path work = Files.createTempDirectory("cutter-" + type + "-check");
        try {
            for (Planned<Action.Repository> job : repositories) {
                Action.Repository repo = job.action();
                Path home = Files.createDirectories(work.resolve(job.entry()));
                List<String> names = names(context, repo, type);
                if (names.isEmpty()) {
                    checked.add(job.entry() + " (no packages for " + System.getProperty("os.arch") + ")");
                    continue;
                }
                Path key = publicKey(context, repo, home);
                String source = served(context, repo, home);
                String problem = type.equals("apt") ? apt(repo, source, home, key, names)
                        : yum(source, home, key, names, packagesSignedWithTheRepositoryKey(context, repo));
                if (problem != null) {
                    throw JobFailure.failed(repo.url().orElse(repo.publish()) + ": " + problem);
                }
                checked.add(job.entry() + " (" + String.join(", ", names) + ") read at " + source);
            }
        } finally {
            dev.cutter.content.FileTrees.delete(work);
        }
        return JobOutcome.done((type.equals("apt") ? "apt-get" : "dnf") + " installs from " + String.join("; ", checked),
                List.of(), List.of());
    }

    /**
     * Where the check reads the repository, as a client would: its declared {@code url} (what the
     * web server serves); else, published over sftp, a fresh copy of what the server holds (never
     * the release's own mirror of it); else the published directory.
     */
    private static String served(JobContext context, Action.Repository repo, Path home) throws IOException {
        if (repo.url().isPresent()) {
            return repo.url().get();
        }
        if (repo.publish().startsWith("sftp://")) {
            Path copy = home.resolve("served");
            RepositoryJob.fetchServed(context, repo, copy);
            return copy.toUri().toString();
        }
        return RepositoryJob.directory(context, repo.publish()).toUri().toString();
    }

    private static String apt(Action.Repository repo, String source, Path home, Path key, List<String> names) throws Exception {
        AptClient apt = new AptClient(home, source, repo.dist().orElse("stable"), repo.component().orElse("main"), key,
                debianArchitecture());
        AptClient.Result update = apt.update();
        if (!update.ok()) {
            return "apt-get update refused the repository:\n" + update.output().strip();
        }
        AptClient.Result install = apt.install(names);
        if (!install.ok()) {
            return "apt-get install --download-only failed:\n" + install.output().strip();
        }
        return null;
    }

    private static String yum(String source, Path home, Path key, List<String> names, boolean gpgcheck) throws Exception {
        DnfClient dnf = new DnfClient(home, source, key, gpgcheck, rpmArchitecture())
                .withBaseSystem(home.resolve("base"));
        DnfClient.Result cache = dnf.makecache();
        if (!cache.ok()) {
            return "dnf makecache refused the repository:\n" + cache.output().strip();
        }
        DnfClient.Result install = dnf.install(names);
        if (!install.ok()) {
            return "dnf install --downloadonly failed:\n" + install.output().strip();
        }
        if (gpgcheck) {
            DnfClient.Result signatures = dnf.checkSignatures();
            if (!signatures.ok()) {
                return "the packages' signatures do not verify with the repository's key:\n" + signatures.output().strip();
            }
        }
        return null;
    }

    /**
     * Whether dnf can check each package's signature too ({@code gpgcheck=1}): every package of
     * the repository is signed with the key its metadata is signed with, the one key it trusts.
     */
    private static boolean packagesSignedWithTheRepositoryKey(JobContext context, Action.Repository repo) {
        return context.plan().made(Action.Package.class).filter(p -> repo.packages().contains(p.file()))
                .allMatch(p -> p.key().equals(repo.key()));
    }

    /** The names of this release's packages in the repository that this machine can install. */
    private static List<String> names(JobContext context, Action.Repository repo, String type) {
        String own = type.equals("apt") ? debianArchitecture() : rpmArchitecture();
        String any = type.equals("apt") ? "all" : "noarch";
        TreeSet<String> names = new TreeSet<>();
        context.plan().made(Action.Package.class).filter(p -> repo.packages().contains(p.file())
                && (p.architecture().equals(own) || p.architecture().equals(any))).forEach(p -> names.add(p.name()));
        return List.copyOf(names);
    }

    /** The repository's public key, from its signing key; an unsigned repository cannot be checked as users install. */
    private static Path publicKey(JobContext context, Action.Repository repo, Path home) throws IOException {
        if (repo.key().isEmpty()) {
            throw JobFailure.failed(repo.publish() + " is not signed; apt and dnf (repo_gpgcheck) refuse unsigned repositories."
                    + " Give the repository sign: { key: ... }");
        }
        OpenPgpKey key = SigningKeys.read(context, repo.key().get(), repo.passphrase());
        Path file = home.resolve("key.asc");
        try (OutputStream out = Files.newOutputStream(file)) {
            key.exportPublicKey(out);
        }
        return file;
    }

    static String debianArchitecture() {
        return switch (System.getProperty("os.arch")) {
            case "aarch64" -> "arm64";
            case "x86_64", "amd64" -> "amd64";
            default -> System.getProperty("os.arch");
        };
    }

    static String rpmArchitecture() {
        return switch (System.getProperty("os.arch")) {
            case "aarch64" -> "aarch64";
            case "x86_64", "amd64" -> "x86_64";
            default -> System.getProperty("os.arch");
        };
    }
}
