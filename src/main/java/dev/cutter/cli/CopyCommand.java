package dev.cutter.cli;

import dev.cutter.oci.Copier;
import dev.cutter.oci.ImageReference;
import dev.cutter.oci.OciLayout;
import dev.cutter.oci.RegistryClient;
import dev.cutter.plan.PlanException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code cutter copy SRC DST…}: an image copied digest for digest, like {@code skopeo copy --all};
 * {@code --batch FILE} copies many in one process (a mirror list, as {@code skopeo sync} reads).
 */
@Command(footer = {"%nExamples:", "  cutter copy 127.0.0.1:5000/app:1.2.3 ghcr.io/acme/app:1.2.3 quay.io/acme/app:1.2.3", "  cutter copy --batch mirrors.txt --jobs 8"},
        name = "copy",
        description = "Copy an image, every platform, digest for digest: HOST/PATH:TAG, HOST/PATH@DIGEST or oci:DIR:TAG.")
final class CopyCommand implements Callable<Integer> {
    @Parameters(paramLabel = "SRC DST", arity = "0..*",
            description = "The image to copy, then where to (several: the source is read once).")
    List<String> arguments = new ArrayList<>();

    @Option(names = "--batch", paramLabel = "FILE",
            description = "Copy every line `SRC DST [DST…]` of FILE (- for standard input; # starts a comment), in one process.")
    String batch;

    @Option(names = "--jobs", paramLabel = "N", defaultValue = "4",
            description = "Images copied at once with --batch (default: ${DEFAULT-VALUE}).")
    int jobs;

    @Option(names = "--platform", paramLabel = "OS/ARCH[/VARIANT]", description = "Copy only this platform of an index (repeatable).")
    List<String> platforms = new ArrayList<>();

    @picocli.CommandLine.Mixin
    RegistryOptions registryOptions;

    @Option(names = "--no-referrers", description = "Leave behind the artifacts that refer to the image (SBOMs, provenance,"
            + " signatures), which are copied with it otherwise.")
    boolean noReferrers;

    @Option(names = "--force", description = "Move a version tag that exists at another digest (law 3 refuses it otherwise).")
    boolean force;

    @picocli.CommandLine.Mixin
    LedgerOptions ledgerOptions;

    @picocli.CommandLine.Mixin
    JsonOption json;

    @picocli.CommandLine.Mixin
    Wiring wiring;

    /** One line of work: a source and where it goes, with where it was written for errors. */
    private record Copy(ImageReference source, List<ImageReference> targets) {}

    @Override
    public Integer call() throws Exception {
        PrintWriter out = wiring.out();
        List<dev.cutter.oci.Platform> only = new ArrayList<>();
        List<Copy> copies;
        try {
            for (String p : platforms) {
                only.add(dev.cutter.oci.Platform.parse(p));
            }
            copies = batch != null ? readBatch() : List.of(parse(arguments, "the command line"));
        } catch (IllegalArgumentException e) {
            throw new PlanException(e.getMessage());
        }
        if (jobs < 1) {
            throw new PlanException("--jobs: " + jobs + " is not a number of images; give 1 or more");
        }
        RegistryClient registry = registryOptions.client(wiring.services());
        Path store = Files.createTempDirectory("cutter-copy");
        ReleasedTags released = null;
        try {
            // Every source is resolved and every target read before anything is written, so a
            // refusal by the tag law leaves every target as it was.
            List<java.util.concurrent.Future<Copier.Prepared>> preparing = new ArrayList<>();
            java.util.concurrent.Semaphore slots = new java.util.concurrent.Semaphore(jobs);
            List<Copier> copiers = new ArrayList<>();
            try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = 0; i < copies.size(); i++) {
                    Copy copy = copies.get(i);
                    Copier copier = new Copier(registry, OciLayout.open(store.resolve("oci-" + i)), !noReferrers); // a store per image: layouts lock per process
                    copiers.add(copier);
                    preparing.add(pool.submit(() -> {
                        slots.acquire();
                        try {
                            return copier.prepare(copy.source(), copy.targets(), only);
                        } finally {
                            slots.release();
                        }
                    }));
                }
            }
            List<Copier.Prepared> prepared = new ArrayList<>();
            for (var p : preparing) {
                prepared.add(result(p));
            }
            released = force ? null : ReleasedTags.open(wiring.services(), wiring.ledger(ledgerOptions, Path.of("cutter.yaml")));
            List<String> refusals = force ? List.of() : refusals(released, copiers, prepared);
            if (!refusals.isEmpty()) {
                throw new CommandFailure(ExitCode.REFUSED, String.join("\n", refusals) + "\nnothing was copied; pass --force to move "
                        + (refusals.size() == 1 ? "that tag" : "those tags") + " anyway");
            }
            ReleasedTags law = released;
            Copier.Guard guard = force ? Copier.Guard.NONE : (target, now) -> refusal(law, target, now, Optional.empty());
            List<java.util.concurrent.Future<List<Copier.Copied>>> work = new ArrayList<>();
            try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = 0; i < prepared.size(); i++) {
                    Copier copier = copiers.get(i);
                    Copier.Prepared p = prepared.get(i);
                    work.add(pool.submit(() -> {
                        slots.acquire();
                        try {
                            return copier.copy(p, guard);
                        } finally {
                            slots.release();
                        }
                    }));
                }
                List<Map<String, Object>> copied = new ArrayList<>();
                for (var w : work) {
                    for (Copier.Copied c : result(w)) {
                        if (json.json) {
                            copied.add(Map.of("target", c.target().toString(), "digest", c.digest().toString(), "blobsSent", c.blobsSent()));
                        } else {
                            out.println(c.target() + " " + c.digest() + " (" + c.blobsSent() + " blobs sent)");
                        }
                    }
                }
                if (json.json) {
                    JsonOption.print(out, Map.of("copied", copied));
                }
            }
            out.flush();
            return ExitCode.OK;
        } catch (Copier.Refused e) { // a version tag another writer put there while this copy uploaded
            throw new CommandFailure(ExitCode.REFUSED, e.getMessage() + "; it was written while this copy uploaded, and that"
                    + " target was left as it is (pass --force to move it anyway)");
        } finally {
            if (released != null) {
                released.close();
            }
            dev.cutter.content.FileTrees.delete(store);
        }
    }

    /**
     * Law 3 for a copy: a tag that exists at another digest is not moved when it is a version
     * (a full semantic version, as {@code 1.2.3} or {@code v1.2.3-alpine}) or when the ledger
     * records a release that published it as immutable ({@code sha-…} tags and the like).
     * Floating tags ({@code latest}, {@code 1}, {@code 1.7}) move, as a mirror's do.
     */
    private List<String> refusals(ReleasedTags released, List<Copier> copiers, List<Copier.Prepared> prepared)
            throws java.io.IOException {
        List<String> refusals = new ArrayList<>();
        for (int i = 0; i < prepared.size(); i++) {
            Copier.Prepared p = prepared.get(i);
            for (var now : copiers.get(i).targetsNow(p).entrySet()) {
                if (now.getValue().isEmpty() || now.getValue().get().equals(p.digest())) {
                    continue;
                }
                refusal(released, now.getKey(), now.getValue().get(), Optional.of(p.digest())).ifPresent(refusals::add);
            }
        }
        return refusals;
    }

    /** Why law 3 keeps {@code target} at {@code now}, if it does; {@code digest} is the copy's, when known. */
    private static Optional<String> refusal(ReleasedTags released, ImageReference target, dev.cutter.content.Digest now,
            Optional<dev.cutter.content.Digest> digest) {
        Optional<String> why = versionTag(target.reference())
                ? Optional.of("it is a version tag")
                : released.immutable(target.toString()).map(run -> "run " + run + " released it as an immutable tag");
        return why.map(reason -> target + " points at " + now + " and " + reason + "; a version never changes (law 3), so the copy"
                + " would not move it" + digest.map(d -> " to " + d).orElse(""));
    }

    private static boolean versionTag(String tag) {
        try {
            dev.cutter.version.SemVer.parse(tag.startsWith("v") ? tag.substring(1) : tag);
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static <T> T result(java.util.concurrent.Future<T> work) throws Exception {
        try {
            return work.get();
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    private static Copy parse(List<String> words, String where) {
        if (words.size() < 2) {
            throw new IllegalArgumentException(where + ": a copy needs a source and at least one destination: SRC DST [DST…]"
                    + " (or --batch FILE)");
        }
        List<ImageReference> to = new ArrayList<>();
        for (String t : words.subList(1, words.size())) {
            to.add(ImageReference.parse(t));
        }
        return new Copy(ImageReference.parse(words.get(0)), List.copyOf(to));
    }

    private List<Copy> readBatch() throws java.io.IOException {
        if (!arguments.isEmpty()) {
            throw new IllegalArgumentException("--batch " + batch + ": give the images in the file or on the command line, not both");
        }
        List<String> lines = batch.equals("-")
                ? new java.io.BufferedReader(new java.io.InputStreamReader(wiring.in(), java.nio.charset.StandardCharsets.UTF_8)).lines().toList()
                : readLines(Path.of(batch));
        List<Copy> copies = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).replaceFirst("#.*", "").strip();
            if (line.isEmpty()) {
                continue;
            }
            String where = batch + ":" + (i + 1);
            try {
                copies.add(parse(List.of(line.split("\\s+")), where));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(e.getMessage().startsWith(where) ? e.getMessage() : where + ": " + e.getMessage());
            }
        }
        if (copies.isEmpty()) {
            throw new IllegalArgumentException(batch + ": no images to copy; write one `SRC DST [DST…]` per line");
        }
        return copies;
    }

    private static List<String> readLines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(file + ": cannot be read (" + e.getMessage() + ")");
        }
    }
}
