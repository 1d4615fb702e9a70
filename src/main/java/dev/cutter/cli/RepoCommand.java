package dev.cutter.cli;

import dev.cutter.content.Staging;
import dev.cutter.plan.PlanException;
import dev.cutter.repo.PackageRepository;
import dev.cutter.run.Secrets;
import dev.cutter.sign.OpenPgpKey;
import dev.cutter.sign.OpenPgpSigner;
import dev.cutter.sign.SigningException;
import dev.cutter.spec.Spec;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import dev.cutter.kinds.repository.RepositorySection;
import dev.cutter.kinds.repository.RepositorySpec;

/** {@code cutter repo}: an apt or yum repository managed outside a release, published as a release does. */
@Command(footer = {"%nExamples:", "  cutter repo add --dir dist/apt --key key.asc app_1.2.3_amd64.deb", "  cutter repo remove --repository apt --version 1.2.3 app", "  cutter repo verify --dir dist/yum"},
        name = "repo",
        description = "Add, remove, list or verify the packages of an apt or yum repository directory.",
        subcommands = {RepoCommand.Add.class, RepoCommand.Index.class, RepoCommand.Remove.class, RepoCommand.ListPackages.class, RepoCommand.Verify.class})
final class RepoCommand extends CommandGroup {

    /** Which repository and how it is published: a directory with options, or a spec's repository. */
    static final class Which extends SpecWiring {
        @Option(names = "--repository", paramLabel = "ID", description = "The spec's repository (its directory, type, dist, key…).")
        String repository;

        @Option(names = "--dir", paramLabel = "DIR", description = "A repository directory given directly.")
        Path dir;

        @Option(names = "--type", paramLabel = "apt|yum", description = "With --dir: the kind (default: what DIR holds, or the packages' format).")
        String type;

        @Option(names = "--dist", paramLabel = "DIST", description = "apt distribution (default: stable).")
        String dist;

        @Option(names = "--component", paramLabel = "NAME", description = "apt component (default: main).")
        String component;

        @Option(names = "--key", paramLabel = "FILE", description = "With --dir: the armored OpenPGP private key to sign with.")
        Path key;

        @Option(names = "--passphrase-env", paramLabel = "VAR", description = "The environment variable holding the key's passphrase.")
        String passphraseEnv;

        @Option(names = "--keep", paramLabel = "N", description = "Versions kept per package and architecture (0: all).")
        Integer keep;

        @ArgGroup(exclusive = true)
        ByHash byHash;

        static final class ByHash {
            @Option(names = "--by-hash", description = "apt: write by-hash indexes.")
            boolean on;

            @Option(names = "--no-by-hash", description = "apt: no by-hash indexes.")
            boolean off;
        }

        @Option(names = "--compression", paramLabel = "C", split = ",", description = "apt: gz,xz; yum: gz or zst.")
        List<String> compression;

        Path root;

        /** Work done with the repository. */
        @FunctionalInterface
        interface Work<T> {
            T run(PackageRepository repository) throws Exception;
        }

        /** Does {@code work} with the repository, whose files are made in a staging of this process, removed after. */
        <T> T with(Optional<String> formatOfFiles, Work<T> work) throws Exception {
            try (Staging staging = staging()) {
                return work.run(open(formatOfFiles, staging));
            }
        }

        private PackageRepository open(Optional<String> formatOfFiles, Staging staging) {
            dev.cutter.app.Services services = services();
            if ((dir == null) == (repository == null)) {
                throw new PlanException("name the repository with --dir DIR or --repository ID (from " + spec.file + "), one of the two");
            }
            String kind;
            String d = dist;
            String c = component;
            int k = keep == null ? 0 : keep;
            boolean hashes = byHash != null && byHash.on;
            List<String> compressions = compression;
            Optional<OpenPgpSigner> signer = Optional.empty();
            if (repository != null) {
                Spec s = spec();
                RepositorySpec r = RepositorySection.SECTION.of(s).stream().filter(x -> x.id().equals(repository)).findFirst()
                        .orElseThrow(() -> new PlanException("no repository '" + repository + "' in " + spec.file + "; it declares "
                                + RepositorySection.SECTION.of(s).stream().map(RepositorySpec::id).toList()));
                String publish = r.publish().source();
                if (!publish.startsWith("dir:") || !r.publish().placeholders().isEmpty()) {
                    throw new PlanException("repository '" + repository + "' publishes to " + publish
                            + "; cutter repo manages a directory: pass --dir");
                }
                root = s.directory().resolve(publish.substring(4)).normalize();
                kind = r.type();
                d = d != null ? d : r.dist().map(t -> t.source()).orElse("stable");
                c = c != null ? c : r.component().map(t -> t.source()).orElse("main");
                k = keep != null ? keep : r.keep();
                hashes = byHash != null ? byHash.on : r.byHash();
                compressions = compressions != null ? compressions : r.compression();
                if (r.signKey().isPresent()) {
                    Secrets secrets = services.secrets(s.directory());
                    signer = Optional.of(signer(secrets.resolve(r.signKey().get()),
                            r.signPassphrase().map(secrets::resolve).orElse("")));
                }
            } else {
                root = services.resolve(dir).toAbsolutePath().normalize();
                kind = type != null ? type : PackageRepository.detect(root).or(() -> formatOfFiles.map(f -> f.equals("deb") ? "apt" : "yum"))
                        .orElseThrow(() -> new PlanException(dir + " holds no repository yet; pass --type apt or --type yum"));
                if (key != null) {
                    try {
                        signer = Optional.of(signer(Files.readString(key),
                                passphraseEnv == null ? "" : Optional.ofNullable(services.environment().get(passphraseEnv)).orElseThrow(
                                        () -> new PlanException("--passphrase-env " + passphraseEnv + ": the variable is not set"))));
                    } catch (java.io.IOException e) {
                        throw new PlanException("--key " + key + ": cannot be read (" + e.getMessage() + ")");
                    }
                }
            }
            if (!kind.equals("apt") && !kind.equals("yum")) {
                throw new PlanException("--type " + kind + ": a repository is apt or yum");
            }
            if (compressions == null) {
                compressions = kind.equals("apt") ? List.of("gz", "xz") : List.of("gz");
            }
            Instant when = dev.cutter.content.SourceDateEpoch.of(services.environment()).orElseGet(services.clock()::instant);
            try {
                return PackageRepository.at(root, new PackageRepository.Settings(kind, "Cutter", d == null ? "stable" : d,
                        c == null ? "main" : c, k, hashes, compressions, signer, when), staging);
            } catch (IllegalArgumentException e) {
                throw new PlanException(e.getMessage());
            }
        }

        private static OpenPgpSigner signer(String armored, String passphrase) {
            try {
                OpenPgpKey k = OpenPgpKey.read(new ByteArrayInputStream(armored.getBytes(StandardCharsets.UTF_8)), passphrase.toCharArray());
                return new OpenPgpSigner(k, Clock.systemUTC().instant().isBefore(k.created())
                        ? Clock.fixed(k.created(), ZoneOffset.UTC) : Clock.systemUTC());
            } catch (SigningException e) {
                throw new PlanException(e.getMessage());
            }
        }
    }

    /**
     * A repo subcommand: its work on the repository, made in a staging and published, then what it
     * tells of it; the subcommands differ in these two alone.
     */
    abstract static class OnRepository<T> implements Callable<Integer> {
        @Mixin
        Which which;

        /** The format of the files the subcommand adds, if it adds any: it is a new repository's kind. */
        Optional<String> formatOfFiles() {
            return Optional.empty();
        }

        /** The subcommand's work on the opened {@code repository}. */
        abstract T work(PackageRepository repository) throws Exception;

        /** What the subcommand prints of its work's {@code result} once published; its exit code. */
        abstract int tell(T result, PrintWriter out);

        @Override
        public final Integer call() throws Exception {
            T result = which.with(formatOfFiles(), this::work);
            return tell(result, which.out());
        }
    }

    @Command(name = "add", description = "Add packages (only they are read) and publish.")
    static final class Add extends OnRepository<List<PackageRepository.Entry>> {
        @Parameters(arity = "1..*", paramLabel = "PACKAGE", description = ".deb files (apt) or .rpm files (yum).")
        List<Path> files = new ArrayList<>();

        /** The files' format, deb or rpm, as {@link #formatOfFiles()} found it. */
        private String format;

        @Override
        Optional<String> formatOfFiles() {
            String found = null;
            for (Path f : files) {
                String name = f.getFileName().toString();
                String kind = name.endsWith(".deb") ? "deb" : name.endsWith(".rpm") ? "rpm" : null;
                if (kind == null || (found != null && !found.equals(kind))) {
                    throw new PlanException(f + ": give .deb files or .rpm files, one kind per repository");
                }
                if (!Files.isRegularFile(f)) {
                    throw new PlanException(f + ": no such file");
                }
                found = kind;
            }
            format = found;
            return Optional.ofNullable(found);
        }

        @Override
        List<PackageRepository.Entry> work(PackageRepository repository) throws Exception {
            if (!repository.settingsFormat().equals(format)) {
                throw new PlanException("the repository in " + which.root + " is " + repository.type() + "; it takes ."
                        + repository.settingsFormat() + " files, not ." + format);
            }
            return repository.add(files);
        }

        @Override
        int tell(List<PackageRepository.Entry> added, PrintWriter out) {
            for (PackageRepository.Entry e : added) {
                out.println("added " + e.name() + " " + e.version() + " " + e.architecture() + "  " + e.file());
            }
            out.println("published " + which.root);
            return ExitCode.OK;
        }
    }

    @Command(name = "index",
            description = "Read every package in the directory again (apt: pool/COMPONENT; yum: anywhere) and publish.")
    static final class Index extends OnRepository<Integer> {
        @Override
        Integer work(PackageRepository repository) throws Exception {
            return repository.reindex();
        }

        @Override
        int tell(Integer indexed, PrintWriter out) {
            out.println("published " + which.root + ": " + indexed + " packages");
            return ExitCode.OK;
        }
    }

    @Command(name = "remove", description = "Remove a package (every version, or one) and publish.")
    static final class Remove extends OnRepository<List<PackageRepository.Entry>> {
        @Parameters(index = "0", paramLabel = "NAME", description = "The package name.")
        String name;

        @Option(names = "--version", paramLabel = "VERSION", description = "Only this version (apt: as in Packages; yum: [EPOCH:]VERSION-RELEASE).")
        String version;

        @Override
        List<PackageRepository.Entry> work(PackageRepository repository) throws Exception {
            return repository.remove(name, Optional.ofNullable(version));
        }

        @Override
        int tell(List<PackageRepository.Entry> removed, PrintWriter out) {
            if (removed.isEmpty()) {
                which.err().println("cutter: " + which.root + " holds no " + name + (version == null ? "" : " " + version));
                return ExitCode.JOB_FAILED;
            }
            removed.forEach(e -> out.println("removed " + e.name() + " " + e.version() + " " + e.architecture()));
            out.println("published " + which.root);
            return ExitCode.OK;
        }
    }

    @Command(name = "list", description = "The packages the repository indexes.")
    static final class ListPackages extends OnRepository<List<PackageRepository.Entry>> {
        @Mixin
        JsonOption json;

        @Override
        List<PackageRepository.Entry> work(PackageRepository repository) throws Exception {
            return repository.list();
        }

        @Override
        int tell(List<PackageRepository.Entry> entries, PrintWriter out) {
            json.print(out, entries, () -> {
                for (PackageRepository.Entry e : entries) {
                    out.printf("%-32s %-20s %-8s %10d  %s%n", e.name(), e.version(), e.architecture(), e.size(), e.file());
                }
            });
            return ExitCode.OK;
        }
    }

    @Command(name = "verify",
            description = "Check every index and package against the checksums that name them; exit 1 on any problem.")
    static final class Verify extends OnRepository<List<String>> {
        @Option(names = "--public-key", paramLabel = "FILE", description = "yum: also check repomd.xml.asc with this key.")
        Path publicKey;

        @Override
        List<String> work(PackageRepository repository) throws Exception {
            return repository.verify(Optional.ofNullable(publicKey));
        }

        @Override
        int tell(List<String> problems, PrintWriter out) {
            if (problems.isEmpty()) {
                out.println(which.root + ": every index and package matches its checksums");
                return ExitCode.OK;
            }
            problems.forEach(p -> which.err().println("cutter: " + p));
            return ExitCode.JOB_FAILED;
        }
    }
}
