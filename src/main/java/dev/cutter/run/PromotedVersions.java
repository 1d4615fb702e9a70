package dev.cutter.run;

import dev.cutter.content.Digest;
import dev.cutter.git.GitException;
import dev.cutter.git.GitRepository;
import dev.cutter.ledger.Claim;
import dev.cutter.oci.Descriptor;
import dev.cutter.oci.ImageTarget;
import dev.cutter.oci.RegistryClient;
import dev.cutter.oci.RegistryException;
import dev.cutter.plan.Action;
import dev.cutter.plan.Job;
import dev.cutter.plan.Kind;
import dev.cutter.plan.Plan;
import dev.cutter.plan.PlanException;
import dev.cutter.plan.Publication;
import dev.cutter.plan.ReleaseRequest;
import dev.cutter.run.jobs.Registries;
import dev.cutter.spec.Spec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A version a promotion published, recognised from its targets when the ledger does not know it:
 * a CI machine releasing the version's tag (the promotion pushed it) without the promoting
 * machine's ledger. Rebuilding cannot show it — a promotion publishes the candidate's bytes,
 * whose labels name the candidate's version — so the release reads its targets instead: the
 * version's tag names the candidate it was promoted from (another version tag on the same commit
 * may be that candidate too), and every image publication of the version must hold, under each of
 * its immutable tags, exactly the digest the candidate's publication of that image holds.
 * Anything less (a publication missing, another digest, a publication that is no image) and the
 * release goes on as planned, where the tag laws refuse what differs.
 */
final class PromotedVersions {
    private final Runs runs;

    PromotedVersions(Runs runs) {
        this.runs = runs;
    }

    /**
     * "Already published" when {@code plan}'s version was published by a promotion whose record
     * this ledger lacks, with every publication as the candidate's; else empty.
     */
    Optional<Outcome> published(Spec spec, ReleaseRequest request, Plan plan, java.time.Duration staleAfter) {
        if (plan.rolling() || plan.component().isPresent() || plan.sha().isEmpty() || plan.publications().isEmpty()
                || plan.jobs().stream().filter(j -> Kind.traitsOf(j).published())
                        .anyMatch(j -> !(j.action() instanceof Action.Push || j.action() instanceof Action.Replicate))) {
            return Optional.empty();
        }
        Claim known = runs.ledger.standing(plan.project(), plan.tag(), PlanClaims.of(plan).fingerprints(), staleAfter, plan.rolling());
        if (known.publications().stream().anyMatch(s -> s.state() != Claim.State.CLAIMED)) {
            return Optional.empty(); // the ledger knows a run that published (or publishes) them: its claims decide
        }
        Secrets secrets = new Secrets(runs.environment(), spec.directory(), new Masker());
        Registries registries = new Registries(RegistryClient.http(), runs.environment());
        for (String candidate : candidates(spec, plan)) {
            Plan theirs;
            try {
                theirs = runs.plan(spec, new ReleaseRequest(Optional.of(candidate), Optional.empty(), request.vars(), request.only(),
                        Optional.empty(), plan.sha(), request.date()));
            } catch (PlanException notAVersionOfThisSpec) {
                continue;
            }
            if (!theirs.tag().equals(plan.tag()) && holdsDigestsOf(spec, plan, theirs, registries, secrets)) {
                return Optional.of(Outcome.early(Outcome.Status.NOTHING_TO_DO, null, plan.project() + " " + plan.version()
                        + " (tag " + plan.tag() + ") was already published by a promotion of " + candidate + ": each of its "
                        + plan.publications().size() + " publications holds " + candidate + "'s digest under its version tags"
                        + " (this ledger has no record of it); nothing to do", plan));
            }
        }
        return Optional.empty();
    }

    /**
     * The tags {@code plan}'s version may have been promoted from: the one its tag's annotation
     * names, then the other tags on its commit. None outside a git checkout.
     */
    private static Set<String> candidates(Spec spec, Plan plan) {
        Set<String> candidates = new LinkedHashSet<>();
        try (GitRepository git = GitRepository.open(spec.directory())) {
            String commit = plan.sha().orElseThrow();
            git.findTag(plan.tag()).filter(t -> t.commit().equals(commit)).ifPresent(tag -> tag.message().lines()
                    .filter(line -> line.startsWith(Promoter.PROMOTED_FROM)).map(line -> line.substring(Promoter.PROMOTED_FROM.length()).strip())
                    .forEach(candidates::add));
            git.tagsAt(commit).stream().filter(t -> !t.equals(plan.tag())).forEach(candidates::add);
        } catch (GitException notACheckout) {
            return Set.of();
        }
        return candidates;
    }

    /** Whether every publication of {@code plan} holds, under each immutable tag, the digest {@code candidate}'s holds. */
    private static boolean holdsDigestsOf(Spec spec, Plan plan, Plan candidate, Registries registries, Secrets secrets) {
        Map<String, Optional<Digest>> published = new HashMap<>();
        try {
            for (Publication publication : plan.publications()) {
                List<String> immutable = immutable(publication);
                if (immutable.isEmpty()) {
                    return false; // nothing that never moves: nothing to tell the promotion by
                }
                Optional<Digest> expected = published.computeIfAbsent(publication.image() + " " + publication.matrix(),
                        image -> candidateDigest(spec, publication, candidate, registries, secrets));
                if (expected.isEmpty()) {
                    return false;
                }
                ImageTarget target = registries.target(spec.directory(), secrets, publication.repository(), access(plan, publication));
                for (String tag : immutable) {
                    if (!target.resolve(tag).map(Descriptor::digest).equals(expected)) {
                        return false;
                    }
                }
            }
            return true;
        } catch (IOException | UncheckedIOException | RegistryException unreadable) {
            return false; // the release itself says what cannot be reached
        }
    }

    /** What the candidate's push of the same image and cell holds under its first immutable tag. */
    private static Optional<Digest> candidateDigest(Spec spec, Publication publication, Plan candidate, Registries registries,
            Secrets secrets) {
        Optional<Publication> pushed = candidate.publications().stream().filter(p -> p.kind().equals("push")
                && p.image().equals(publication.image()) && p.matrix().equals(publication.matrix())).findFirst();
        if (pushed.isEmpty() || immutable(pushed.get()).isEmpty()) {
            return Optional.empty();
        }
        try {
            return registries.target(spec.directory(), secrets, pushed.get().repository(), access(candidate, pushed.get()))
                    .resolve(immutable(pushed.get()).getFirst()).map(Descriptor::digest);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> immutable(Publication p) {
        return p.tags().stream().filter(t -> !p.floating().contains(t) && !p.rolling().contains(t)).toList();
    }

    private static Optional<Action.Access> access(Plan plan, Publication publication) {
        return plan.job(publication.job()).map(Job::action).flatMap(Action::publishingAccess);
    }
}
