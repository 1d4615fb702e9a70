package dev.cutter.kinds.attest;

import dev.cutter.kinds.Capability;
import dev.cutter.plan.Action;
import dev.cutter.plan.ActionText;
import dev.cutter.plan.Job;
import dev.cutter.plan.Plan;
import dev.cutter.plan.Planned;
import dev.cutter.plan.Planning;
import dev.cutter.plan.Planning.Needs;
import dev.cutter.run.JobHandler;
import dev.cutter.spec.Cell;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Attestations: SBOMs and signed SLSA provenance for every image (attached as OCI referrers before
 * its push, which carries them along) and for the release's archives and packages (files beside
 * them, published with the release as its {@code attestations} asset); with the release key, the
 * index's cosign signature and each file's Sigstore bundle (the checksums file's too).
 */
public final class Attestations {
    private Attestations() {}

    /** The id a release's {@code assets:} names the archives' and packages' attestations by. */
    public static final String FILES = "attestations";

    public static final Capability CAPABILITY = new Capability("attestations", List.of(AttestSection.SECTION),
            List.of(Attestations::plan),
            List.of(ActionText.of(Action.Attest.class, a -> "attest " + (a.subject().equals("image") ? a.name() : "archives and packages")
                    + " (" + String.join(", ", parts(a)) + ")")),
            services -> List.of(JobHandler.of(Action.Attest.class, new AttestJob(services.environment(), services.http()))));

    /** What an attest job makes, as its text says it: the SBOM formats, provenance, signatures. */
    private static List<String> parts(Action.Attest a) {
        List<String> parts = new ArrayList<>(a.formats());
        if (a.provenance()) {
            parts.add("provenance");
        }
        if (a.signatures()) {
            parts.add(a.keyless().map(k -> (a.subject().equals("image") ? "keyless cosign signature, " : "keyless Sigstore bundles, ")
                    + k.fulcio() + ", " + k.rekor()).orElse(a.subject().equals("image") ? "cosign signature" : "Sigstore bundles"));
        }
        return parts;
    }

    /**
     * Per image index, an attest job between the index and its push; one more after every archive
     * and package. Nothing without an {@code attestations:} section.
     */
    private static void plan(Planning planning) {
        Optional<AttestSpec> found = AttestSection.SECTION.of(planning.spec());
        if (found.isEmpty()) {
            return;
        }
        AttestSpec spec = found.get();
        var context = planning.context();
        String specFile = planning.spec().file().getFileName().toString();
        TreeMap<String, String> vars = new TreeMap<>(context.vars());
        Optional<String> key = planning.render(spec.key(), Cell.EMPTY);
        Optional<String> passphrase = planning.render(spec.passphrase(), Cell.EMPTY);
        Optional<Action.Attest.Keyless> keyless = spec.keyless().map(k -> new Action.Attest.Keyless(k.fulcio(), k.rekor(), k.identityToken(),
                k.trusted().map(t -> new Action.Attest.Trusted(t.trustedRoot(), planning.render(t.identity(), Cell.EMPTY), t.issuer()))));
        for (Planned<Action.Index> index : planning.jobs(Action.Index.class).toList()) {
            Optional<Planned<Action.Push>> push = planning.jobs(Action.Push.class).filter(p -> p.needs().contains(index.id())).findFirst();
            String name = push.map(p -> p.action().repository()).orElse(context.project() + "/" + index.entry());
            List<String> suffix = suffix(index.job());
            Action.Attest action = new Action.Attest("image", name, spec.sbom(), spec.provenance(), spec.signatures(), key, passphrase, specFile, vars,
                    keyless);
            Needs needs = new Needs().add(index.id());
            if (push.isPresent()) {
                planning.addBefore(push.get().id(), "attest", index.entry(), Cell.EMPTY, suffix, needs, Optional.empty(), action);
            } else {
                planning.add("attest", index.entry(), Cell.EMPTY, suffix, needs, Optional.empty(), action);
            }
        }
        Needs files = new Needs();
        for (Job job : planning.jobs()) {
            if (job.kind().equals("archive") || job.kind().equals("package") || (spec.signatures() && job.kind().equals("checksums"))) {
                files.add(job.id());
            }
        }
        if (!files.isEmpty()) {
            planning.add("attest", FILES, Cell.EMPTY, List.of(), files, Optional.empty(), new Action.Attest("files",
                    context.project() + "-" + context.version(), spec.sbom(), spec.provenance(), spec.signatures(), key, passphrase, specFile, vars,
                    keyless));
        }
    }

    /** The index job's cell, as its id writes it after {@code index/<image>/}. */
    private static List<String> suffix(Job index) {
        String prefix = "index/" + index.entry() + "/";
        if (!index.id().startsWith(prefix)) {
            return List.of();
        }
        return new ArrayList<>(Arrays.asList(index.id().substring(prefix.length()).split("/")));
    }

    /**
     * The {@code signs:} jobs of a plan whose OpenPGP key also signs the SBOMs and the statement of
     * the archives and packages ({@code FILE.asc}): those whose {@code artifacts} take in the files.
     */
    public static List<Action.Sign> openPgpSigners(Plan plan) {
        return OpenPgpSignatures.signers(plan);
    }

    /** The paths in an image that its image job put there (its {@code files:} and {@code layers:}): what its SBOM lists. */
    public static java.util.function.Predicate<String> listed(Action.Image image) {
        return AttestJob.listed(image);
    }
}
