package dev.cutter.kinds.repository;

import dev.cutter.content.Digest;
import dev.cutter.ledger.Artifact;
import dev.cutter.pkg.InvalidPackageException;
import dev.cutter.pkg.PackageExistsException;
import dev.cutter.plan.Action;
import dev.cutter.repo.PackageRepository;
import dev.cutter.repo.remote.SftpPublisher;
import dev.cutter.repo.remote.SftpTarget;
import dev.cutter.repo.remote.SshAuth;
import dev.cutter.repo.remote.SyncException;
import dev.cutter.repo.remote.SyncOptions;
import dev.cutter.repo.remote.SyncResult;
import dev.cutter.run.JobContext;
import dev.cutter.run.JobFailure;
import dev.cutter.run.ActionHandler;
import dev.cutter.run.JobOutcome;
import dev.cutter.sign.OpenPgpSigner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import dev.cutter.run.jobs.SigningKeys;
import dev.cutter.run.jobs.DistFiles;

/**
 * Adds the release's packages to an apt or yum repository and publishes it, signed. The
 * repository changes atomically (clients see the old indexes or the new ones, never a mix), and
 * only the new packages are read: what is already indexed stays indexed. A re-run adds nothing
 * and publishes the same bytes, which the job reports as skipped.
 */
public final class RepositoryJob implements ActionHandler<Action.Repository> {
    @Override
    public JobOutcome run(JobContext context, Action.Repository repo) throws Exception {
        Path root = directory(context, repo.publish());
        Optional<Remote> remote = repo.publish().startsWith("sftp://") ? Optional.of(remote(context, repo)) : Optional.empty();
        if (remote.isPresent()) {
            // what is published is the truth: a fresh machine starts from it, so nothing there is lost
            remote.get().run(() -> new SftpPublisher().fetch(root, remote.get().target(), remote.get().auth(), SyncOptions.defaults(),
                    DistFiles.staging(context)));
        }
        List<Path> files = packages(context, context.job(), repo);
        Optional<OpenPgpSigner> signer = repo.key().isEmpty() ? Optional.empty()
                : Optional.of(SigningKeys.signer(context, SigningKeys.read(context, repo.key().get(), repo.passphrase())));
        PackageRepository repository = PackageRepository.at(root, new PackageRepository.Settings(repo.type(),
                context.plan().project(), repo.dist().orElse("stable"), repo.component().orElse("main"), repo.keep(),
                repo.byHash(), repo.compression(), signer, context.sourceDate()), DistFiles.staging(context));
        Path index = repository.index();
        Optional<Digest> before = Files.isRegularFile(index) ? Optional.of(Digest.sha256(index)) : Optional.empty();
        try {
            repository.add(files);
        } catch (PackageExistsException e) { // law 3: a published package is never replaced
            throw JobFailure.refused(repo.publish() + ": " + e.getMessage());
        } catch (InvalidPackageException | IllegalArgumentException e) {
            throw JobFailure.failed(repo.publish() + ": " + e.getMessage());
        }
        Digest after = Digest.sha256(index);
        if (remote.isPresent()) { // every new file first, the link switch and signed entry points last, then stale files go
            SyncResult synced = remote.get().run(() -> new SftpPublisher().sync(root, remote.get().target(), remote.get().auth(),
                    SyncOptions.defaults()));
            context.log().info("synced " + repo.publish() + ": " + synced.uploaded() + " uploaded, " + synced.linked() + " linked, "
                    + synced.deleted() + " deleted, " + synced.bytes() + " bytes");
        }
        Artifact output = context.artifact("repository", context.job().entry(), context.projectDir().relativize(index),
                after, Files.size(index));
        if (before.isPresent() && before.get().equals(after)) {
            return JobOutcome.skipped(files.size() + " packages already published in " + repo.publish(), List.of(output),
                    List.of(context.effect(dev.cutter.ledger.Effect.CONFIRMED, repo.publish(), before.map(Digest::toString), after.toString())));
        }
        return JobOutcome.done(files.size() + " packages published in " + repo.publish(), List.of(output),
                List.of(context.effect("repository", repo.publish(), before.map(Digest::toString), after.toString())));
    }

    /**
     * What the repository job {@code job} would refuse, read before anything is published (the
     * barrier asks): each of its packages the repository already holds at that version with other
     * bytes. An sftp target's mirror is brought up to what the server holds first, as the job does.
     */
    public static List<String> conflicts(JobContext context, dev.cutter.plan.Job job, Action.Repository repo) throws IOException {
        Path root = directory(context, repo.publish());
        if (repo.publish().startsWith("sftp://")) {
            Remote remote = remote(context, repo);
            remote.run(() -> new SftpPublisher().fetch(root, remote.target(), remote.auth(), SyncOptions.defaults(),
                    DistFiles.staging(context)));
        }
        PackageRepository repository = PackageRepository.at(root, new PackageRepository.Settings(repo.type(),
                context.plan().project(), repo.dist().orElse("stable"), repo.component().orElse("main"), repo.keep(),
                repo.byHash(), repo.compression(), Optional.empty(), context.sourceDate()), DistFiles.staging(context));
        try {
            return repository.conflicts(packages(context, job, repo)).stream().map(c -> repo.publish() + ": " + c).toList();
        } catch (InvalidPackageException | IllegalArgumentException e) {
            return List.of(); // the job says what is wrong with the package
        }
    }

    /** Copies what the sftp server of {@code repo} holds into {@code into}, as it is there now. */
    public static void fetchServed(JobContext context, Action.Repository repo, Path into) throws IOException {
        Remote remote = remote(context, repo);
        remote.run(() -> new SftpPublisher().fetch(into, remote.target(), remote.auth(), SyncOptions.defaults(),
                DistFiles.staging(context)));
    }

    /** The packages the repository job {@code job} takes, as the package jobs it needs wrote them. */
    private static List<Path> packages(JobContext context, dev.cutter.plan.Job job, Action.Repository repo) {
        List<Path> files = new ArrayList<>();
        for (Artifact output : context.artifacts().ofJobs(job.needs())) {
            if (output.kind().equals("package") && repo.packages().contains(output.name())) {
                files.add(context.projectDir().resolve(output.path()));
            }
        }
        if (files.size() != repo.packages().size()) {
            throw JobFailure.failed("expected the packages " + repo.packages() + " but the jobs before made " + files.size()
                    + "; run the release again with --resume");
        }
        return files;
    }

    /**
     * Where the repository is built: a {@code dir:PATH} target itself (relative to the project), or
     * for an {@code sftp://} target its local mirror under {@code .cutter/repos/}, fetched from the
     * server before each change and synced back after.
     */
    public static Path directory(JobContext context, String publish) {
        if (publish.startsWith("dir:")) {
            return context.projectDir().resolve(publish.substring("dir:".length())).normalize();
        }
        if (publish.startsWith("sftp://")) {
            String name = publish.substring("sftp://".length()).replaceAll("[^A-Za-z0-9._-]+", "_");
            return context.projectDir().resolve(".cutter").resolve("repos").resolve(name);
        }
        throw JobFailure.failed("publishing a repository to " + publish + " is not supported; use dir:PATH or sftp://HOST/PATH");
    }

    /** An sftp:// target with how to log in, its failures mapped to job failures. */
    private record Remote(SftpTarget target, SshAuth auth) {
        <T> T run(SftpCall<T> call) throws IOException {
            try {
                return call.call();
            } catch (SyncException e) {
                throw switch (e.reason()) {
                    case CONNECTION -> JobFailure.unreachable(e.getMessage(), true);
                    case HOST_KEY, AUTH -> JobFailure.unreachable(e.getMessage(), false);
                    default -> JobFailure.failed(e.getMessage());
                };
            }
        }
    }

    @FunctionalInterface
    private interface SftpCall<T> {
        T call() throws IOException;
    }

    private static Remote remote(JobContext context, Action.Repository repo) {
        return remote(context.secrets(), context.projectDir(), repo);
    }

    /**
     * What a repository published over sftp asks its server before the release starts: that it
     * answers with the trusted host key, takes the login, and has a directory (or nothing yet) at
     * the path. Local repositories are not asked.
     */
    public Optional<dev.cutter.run.TargetProbe.Question> question(Action.Repository repo, dev.cutter.run.TargetProbe.Context context) {
        if (!repo.publish().startsWith("sftp://")) {
            return Optional.empty();
        }
        return Optional.of(new dev.cutter.run.TargetProbe.Question(repo.publish(), () -> {
            Remote remote = remote(context.secrets(), context.projectDir(), repo);
            return new SftpPublisher().reach(remote.target(), remote.auth(), SyncOptions.defaults());
        }));
    }

    private static Remote remote(dev.cutter.run.Secrets secrets, java.nio.file.Path projectDir, Action.Repository repo) {
        SftpTarget target;
        try {
            target = SftpTarget.parse(repo.publish());
        } catch (IllegalArgumentException e) {
            throw JobFailure.failed(e.getMessage());
        }
        Action.Ssh ssh = repo.ssh().orElse(new Action.Ssh(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty()));
        SshAuth auth = ssh.key().map(k -> SshAuth.key(secrets.resolve(k))).orElse(SshAuth.agent());
        if (ssh.passphrase().isPresent()) {
            auth = auth.withPassphrase(secrets.resolve(ssh.passphrase().get()));
        }
        if (ssh.hostKey().isPresent()) {
            auth = auth.trusting(SshAuth.HostKeys.fingerprint(ssh.hostKey().get()));
        } else if (ssh.knownHosts().isPresent()) {
            auth = auth.trusting(SshAuth.HostKeys.knownHosts(projectDir.resolve(ssh.knownHosts().get())));
        }
        return new Remote(target, auth);
    }
}
