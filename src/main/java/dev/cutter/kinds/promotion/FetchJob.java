package dev.cutter.kinds.promotion;

import dev.cutter.content.Digest;
import dev.cutter.content.Staging;
import dev.cutter.ledger.Artifact;
import dev.cutter.plan.Action;
import dev.cutter.release.ReleaseStore;
import dev.cutter.run.JobContext;
import dev.cutter.run.JobFailure;
import dev.cutter.run.ActionHandler;
import dev.cutter.run.JobOutcome;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import dev.cutter.run.jobs.DistFiles;
import dev.cutter.kinds.release.ReleaseJob;
import dev.cutter.kinds.repository.RepositoryJob;

/**
 * A promotion's file: an archive or package the candidate made, read back from where its run
 * left or published it — the project's {@code dist/}, its release store, its package repository —
 * verified against the digest the candidate's run recorded, and written to {@code dist/} under
 * the name the promoted release gives it. Nothing is made again (law 5).
 */
public final class FetchJob implements ActionHandler<Action.Fetch> {
    private final java.util.Map<String, String> environment;
    private final java.net.http.HttpClient http;

    public FetchJob(java.util.Map<String, String> environment, java.net.http.HttpClient http) {
        this.environment = environment;
        this.http = http;
    }

    @Override
    public JobOutcome run(JobContext context, Action.Fetch fetch) throws Exception {
        Digest digest = Digest.parse(fetch.digest());
        Path target = DistFiles.resolve(context, "fetched file", fetch.name());
        Artifact output = context.artifact(fetch.kind(), fetch.name(), context.projectDir().relativize(target), digest,
                fetch.size());
        if (Files.isRegularFile(target) && Digest.sha256(target).equals(digest)) {
            return JobOutcome.skipped(fetch.name() + " is already here as the candidate made it (" + digest + ")", List.of(output));
        }
        List<String> looked = new ArrayList<>();
        for (Action.Origin origin : fetch.from()) {
            String where = describe(origin);
            try (InputStream in = open(context, origin)) {
                if (in == null) {
                    looked.add(where + ": not there");
                    continue;
                }
                if (copyVerified(in, target, digest, DistFiles.staging(context))) {
                    return JobOutcome.done(fetch.name() + " from " + where + " (" + digest + ")", List.of(output), List.of());
                }
                looked.add(where + ": other content");
            } catch (IOException | RuntimeException e) {
                looked.add(where + ": " + e.getMessage());
            }
        }
        throw JobFailure.failed("the candidate's " + fetch.kind() + " " + fetch.name() + " (" + digest + ") is in none of the places"
                + " it was published: " + String.join("; ", looked) + "; a promotion never rebuilds it");
    }

    private static String describe(Action.Origin origin) {
        return switch (origin.kind()) {
            case "file" -> origin.target();
            case "release" -> origin.target() + "/" + origin.release() + "/" + origin.name();
            default -> origin.target() + " (" + origin.name() + ")";
        };
    }

    /** The origin's bytes, or null when it does not hold the file. */
    private InputStream open(JobContext context, Action.Origin origin) throws IOException {
        switch (origin.kind()) {
            case "file" -> {
                Path file = context.projectDir().resolve(origin.target());
                return Files.isRegularFile(file) ? Files.newInputStream(file) : null;
            }
            case "release" -> {
                // a forge's token from its usual variable: the origin records where, not how to log in
                ReleaseStore store = ReleaseJob.store(origin.target(), Optional.empty(), context.projectDir(),
                        DistFiles.staging(context), environment, http);
                return store.find(origin.release()).flatMap(r -> r.asset(origin.name())).isPresent()
                        ? store.openAsset(origin.release(), origin.name()) : null;
            }
            case "repository" -> {
                Optional<Path> file = find(RepositoryJob.directory(context, origin.target()), origin.name());
                return file.isPresent() ? Files.newInputStream(file.get()) : null;
            }
            default -> throw new IllegalStateException("no origin of kind " + origin.kind());
        }
    }

    /** A package file of that name in the repository's tree (its pool), outside the repository's own dot directories. */
    private static Optional<Path> find(Path root, String name) throws IOException {
        if (!Files.isDirectory(root)) {
            return Optional.empty();
        }
        try (Stream<Path> found = Files.find(root, 8, (p, a) -> a.isRegularFile() && p.getFileName().toString().equals(name)
                && !root.relativize(p).toString().startsWith("."))) {
            return found.findFirst();
        }
    }

    /** Copies {@code in} to {@code target} through a temporary file, kept only when its digest is {@code digest}. */
    private static boolean copyVerified(InputStream in, Path target, Digest digest, Staging staging) throws IOException {
        Files.createDirectories(target.getParent());
        Path temp = staging.file(target.getParent(), target.getFileName().toString());
        try {
            Digest actual;
            try (OutputStream out = Files.newOutputStream(temp); Digest.Counting counting = new Digest.Counting(out)) {
                in.transferTo(counting);
                counting.flush();
                actual = counting.digest();
            }
            if (!actual.equals(digest)) {
                return false;
            }
            Staging.move(temp, target); // not Staging.write: a file whose digest differs is never moved into place
            return true;
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
