package dev.cutter.git;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/** Facts about the git checkout a spec lives in (read with JGit: no git program needed). */
public final class Checkout {
    private Checkout() {}

    /** The commit at HEAD of the checkout holding {@code directory}, or empty outside one. */
    public static Optional<String> headSha(Path directory) {
        try (GitRepository repository = GitRepository.open(directory)) {
            return repository.head();
        } catch (GitException e) {
            return Optional.empty();
        }
    }

    /** When {@code commit} was committed, for reproducible file times when SOURCE_DATE_EPOCH is not set. */
    public static Optional<Instant> commitTime(Path directory, String commit) {
        try (GitRepository repository = GitRepository.open(directory)) {
            return Optional.of(repository.commitTime(commit));
        } catch (GitException e) {
            return Optional.empty();
        }
    }
}
