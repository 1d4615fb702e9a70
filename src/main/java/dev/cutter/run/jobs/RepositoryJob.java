package dev.cutter.run.jobs;

import dev.cutter.content.Digest;
import dev.cutter.plan.Action;
import dev.cutter.repo.PackageRepository;
import dev.cutter.run.Effect;
import dev.cutter.run.JobContext;
import dev.cutter.run.JobFailure;
import dev.cutter.run.JobHandler;
import dev.cutter.run.JobOutcome;
import dev.cutter.run.Output;
import dev.cutter.sign.OpenPgpSigner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Adds the release's packages to an apt or yum repository and publishes it, signed. The
 * repository changes atomically (clients see the old indexes or the new ones, never a mix), and
 * only the new packages are read: what is already indexed stays indexed. A re-run adds nothing
 * and publishes the same bytes, which the job reports as skipped.
 */
public final class RepositoryJob implements JobHandler {
    @Override
    public JobOutcome run(JobContext context) throws Exception {
        Action.Repository repo = (Action.Repository) context.job().action();
        Path root = directory(context, repo.publish());
        List<Path> files = packages(context, repo);
        Optional<OpenPgpSigner> signer = repo.key().isEmpty() ? Optional.empty()
                : Optional.of(SigningKeys.signer(context, SigningKeys.read(context, repo.key().get(), repo.passphrase())));
        PackageRepository repository = PackageRepository.at(root, new PackageRepository.Settings(repo.type(),
                context.plan().project(), repo.dist().orElse("stable"), repo.component().orElse("main"), repo.keep(),
                repo.byHash(), repo.compression(), signer, context.sourceDate()));
        Path index = repository.index();
        Optional<Digest> before = Files.isRegularFile(index) ? Optional.of(Digest.sha256(index)) : Optional.empty();
        try {
            repository.add(files);
        } catch (IllegalArgumentException e) {
            throw JobFailure.failed(repo.publish() + ": " + e.getMessage());
        }
        Digest after = Digest.sha256(index);
        Output output = new Output(context.job().id(), "repository", context.job().entry(), context.projectDir().relativize(index),
                after, Files.size(index));
        if (before.isPresent() && before.get().equals(after)) {
            return JobOutcome.skipped(files.size() + " packages already published in " + repo.publish(), List.of(output));
        }
        return JobOutcome.done(files.size() + " packages published in " + repo.publish(), List.of(output),
                List.of(new Effect("repository", repo.publish(), before.map(Digest::toString), after.toString())));
    }

    /** The packages this repository takes, as the package jobs it needs wrote them. */
    private static List<Path> packages(JobContext context, Action.Repository repo) {
        List<Path> files = new ArrayList<>();
        for (Output output : context.artifacts().ofJobs(context.job().needs())) {
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

    /** A {@code dir:PATH} target, relative to the project; remote targets are published from a local copy. */
    static Path directory(JobContext context, String publish) {
        if (publish.startsWith("dir:")) {
            return context.projectDir().resolve(publish.substring("dir:".length())).normalize();
        }
        throw JobFailure.failed("publishing a repository to " + publish + " is not supported yet; use dir:PATH");
    }
}
