package dev.cutter.rebuild;

import dev.cutter.content.Digest;
import dev.cutter.content.FileTrees;
import dev.cutter.ledger.Artifact;
import dev.cutter.ledger.Ledger;
import dev.cutter.ledger.Run;
import dev.cutter.ledger.RunKind;
import dev.cutter.ledger.RunState;
import dev.cutter.oci.OciLayout;
import dev.cutter.plan.PlanException;
import dev.cutter.plan.ReleaseRequest;
import dev.cutter.process.Command;
import dev.cutter.process.ProcessRunner;
import dev.cutter.process.Result;
import dev.cutter.run.Outcome;
import dev.cutter.run.RunRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Rebuilds a recorded release and compares: the newest succeeded release of the version in the
 * ledger names its commit and request; the commit is cloned into a temporary directory (never the
 * working tree, whose changes are not the release's), the spec there is planned with that request
 * and built without publishing ({@link Build}), and each output the release recorded (builds,
 * image manifests and indexes, archives, packages, SBOMs, checksums, signatures) is compared by
 * digest with the rebuild's. Provenance is left out: it names its run and times by design.
 */
public record Rebuilder(Ledger ledger, ProcessRunner processes, Build build) {
    /** The kinds of output compared: what a build makes, not what a run publishes or who ran it. */
    static final Set<String> COMPARED = Set.of("build", "image", "index", "archive", "package", "sbom", "checksums", "signature");

    /** Plans {@code request} against the spec {@code specFile} (in the clone) and runs it without publishing. */
    @FunctionalInterface
    public interface Build {
        Built run(Path specFile, ReleaseRequest request) throws InterruptedException;
    }

    /** What a rebuild's run ended with, and what its jobs made (paths relative to the clone's project directory). */
    public record Built(Outcome outcome, List<Artifact> artifacts) {
        public Built {
            artifacts = List.copyOf(artifacts);
        }
    }

    /**
     * A rebuild's comparison.
     *
     * @param run the release run rebuilt
     * @param commit the commit it was built from
     * @param failure why the rebuild did not finish, when it did not (then nothing is compared)
     */
    public record Report(String run, String commit, List<Difference> compared, Optional<String> failure) {
        public Report {
            compared = List.copyOf(compared);
        }

        public List<Difference> differences() {
            return compared.stream().filter(d -> !d.same()).toList();
        }

        public boolean identical() {
            return failure.isEmpty() && differences().isEmpty();
        }
    }

    /**
     * Rebuilds {@code project}'s {@code version} as its newest succeeded release recorded it, from
     * the spec at {@code specFile} (whose directory is the release's project directory).
     *
     * @throws PlanException when the ledger has no such release, or it recorded no commit or request
     */
    public Report check(Path specFile, String project, String version) throws IOException, InterruptedException {
        Run run = ledger.runsOf(project, version).stream()
                .filter(r -> r.kind() == RunKind.RELEASE && r.state() == RunState.SUCCEEDED).findFirst()
                .orElseThrow(() -> new PlanException("no succeeded release of " + project + " " + version + " in the ledger "
                        + ledger.location() + "; `cutter runs list` shows what it holds (a promoted version is rebuilt as its candidate)"));
        RunRecord record;
        try {
            record = RunRecord.read(ledger.planJson(run.id()).orElseThrow());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new PlanException("the ledger's record of run " + run.id() + " is unreadable: " + e.getOriginalMessage());
        }
        String commit = record.plan().sha().orElseThrow(() -> new PlanException("run " + run.id() + " recorded no commit, so there"
                + " is nothing to rebuild it from"));
        ReleaseRequest request = record.request().orElseThrow(() -> new PlanException("run " + run.id()
                + " recorded no request to plan again"));
        Path spec = specFile.toAbsolutePath().normalize();
        Path root;
        try {
            root = Path.of(git(spec.getParent(), "rev-parse", "--show-toplevel").strip());
        } catch (IOException e) {
            throw new PlanException(spec.getParent() + " is not in a git checkout, so run " + run.id() + "'s commit " + commit
                    + " cannot be cloned: " + e.getMessage());
        }
        Path relative = root.toRealPath().relativize(spec.toRealPath());
        Path scratch = Files.createTempDirectory("cutter-rebuild");
        try {
            Path clone = scratch.resolve("source");
            git(scratch, "clone", "--quiet", "--no-checkout", root.toString(), clone.toString());
            try {
                git(clone, "-c", "advice.detachedHead=false", "checkout", "--quiet", "--detach", commit);
            } catch (IOException e) {
                throw new PlanException("commit " + commit + " of run " + run.id() + " is not in " + root + ": " + e.getMessage());
            }
            Built built = build.run(clone.resolve(relative), request.withSha(commit));
            if (!built.outcome().released()) {
                return new Report(run.id(), commit, List.of(), Optional.of(built.outcome().message()));
            }
            return new Report(run.id(), commit, compare(run, record.plan(), spec.getParent(), clone.resolve(relative).getParent(),
                    built.artifacts()),
                    Optional.empty());
        } finally {
            FileTrees.delete(scratch);
        }
    }

    private List<Difference> compare(Run run, dev.cutter.plan.Plan plan, Path released, Path rebuilt, List<Artifact> made) {
        Map<String, Artifact> again = new LinkedHashMap<>();
        for (Artifact a : made) {
            again.put(a.jobId() + "\n" + a.name(), a);
        }
        List<Difference> out = new ArrayList<>();
        for (Artifact a : ledger.artifacts(run.id())) {
            if (!COMPARED.contains(a.kind()) || keyless(plan, a)) {
                continue; // a keyless signature is made once, by the release: a build makes none (Action#buildingOnly)
            }
            Artifact b = again.get(a.jobId() + "\n" + a.name());
            if (b == null) {
                out.add(new Difference(a.jobId(), a.kind(), a.name(), a.digest(), Optional.empty(), List.of("the rebuild did not make it")));
            } else if (b.digest().equals(a.digest())) {
                out.add(new Difference(a.jobId(), a.kind(), a.name(), a.digest(), Optional.of(b.digest()), List.of()));
            } else {
                out.add(new Difference(a.jobId(), a.kind(), a.name(), a.digest(), Optional.of(b.digest()), entries(a, b, released, rebuilt)));
            }
        }
        return out;
    }

    /** Whether {@code artifact} is a Sigstore bundle that the recorded plan's attest job signed keyless. */
    private static boolean keyless(dev.cutter.plan.Plan plan, Artifact artifact) {
        return artifact.kind().equals("signature") && artifact.name().endsWith(".sigstore.json")
                && plan.job(artifact.jobId(), dev.cutter.plan.Action.Attest.class).map(j -> j.action().keyless().isPresent()).orElse(false);
    }

    /** What differs inside two outputs, or why it cannot be told. */
    private static List<String> entries(Artifact recorded, Artifact rebuilt, Path released, Path again) {
        try {
            switch (recorded.kind()) {
                case "archive", "package" -> {
                    Path was = released.resolve(recorded.path());
                    if (!Files.isRegularFile(was) || !Digest.sha256(was).equals(recorded.digest())) {
                        return List.of(recorded.path() + " is no longer here as released, so its entries cannot be compared");
                    }
                    return Entries.differences(Entries.ofFile(recorded.kind(), was), Entries.ofFile(rebuilt.kind(),
                            again.resolve(rebuilt.path())));
                }
                case "image" -> {
                    OciLayout store = OciLayout.open(released.resolve(".cutter/oci"));
                    if (!store.hasBlob(recorded.digest())) {
                        return List.of("the released manifest " + recorded.digest() + " is not in this machine's content store"
                                + " (.cutter/oci), so its layers cannot be compared");
                    }
                    return Entries.differences(Entries.ofImage(store, recorded.digest()),
                            Entries.ofImage(OciLayout.open(again.resolve(".cutter/oci")), rebuilt.digest()));
                }
                case "index" -> {
                    return List.of("its platform manifests differ (above)");
                }
                case "sbom", "checksums", "signature" -> {
                    return List.of("it describes files that differ (above)");
                }
                default -> {
                    return List.of();
                }
            }
        } catch (IOException e) {
            return List.of("its entries cannot be read: " + e.getMessage());
        }
    }

    private String git(Path dir, String... args) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(List.of("git"));
        argv.addAll(List.of(args));
        Result result = processes.run(Command.of(argv, Duration.ofMinutes(10)).in(dir));
        if (result.exit() != 0) {
            throw new IOException("`git " + String.join(" ", args) + "` in " + dir + " exited " + result.exit() + ": "
                    + result.err().strip());
        }
        return result.out();
    }
}
