package dev.cutter.kinds.barrier;

import dev.cutter.content.Digest;
import dev.cutter.kinds.image.ImageJobs;
import dev.cutter.kinds.release.ReleaseJob;
import dev.cutter.kinds.repository.RepositoryJob;
import dev.cutter.ledger.Artifact;
import dev.cutter.oci.Descriptor;
import dev.cutter.oci.ImageTarget;
import dev.cutter.oci.RegistryException;
import dev.cutter.plan.Action;
import dev.cutter.plan.Job;
import dev.cutter.release.AssetInfo;
import dev.cutter.release.ReleaseException;
import dev.cutter.release.ReleaseInfo;
import dev.cutter.release.ReleaseStore;
import dev.cutter.release.StoreUnreachableException;
import dev.cutter.run.ActionHandler;
import dev.cutter.run.JobContext;
import dev.cutter.run.JobFailure;
import dev.cutter.run.JobOutcome;
import dev.cutter.run.jobs.JobFailures;
import dev.cutter.run.jobs.JobServices;
import dev.cutter.run.jobs.TagDecisions;
import dev.cutter.version.VersionScheme;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads every target of the plan's publishing jobs as they are now and refuses the run (exit 3)
 * with the whole list of conflicts, before any of them publishes: an image tag that would have to
 * move and may not (immutable, forward-only), a release already in its store with other assets, a
 * package repository holding one of the release's package versions with other bytes. A module
 * tag refuses in its own job before it writes: the commit it tags is made there (the pins'). A target that cannot be
 * reached fails it as unreachable (retried, exit 4): nothing is published then either.
 */
final class BarrierJob implements ActionHandler<Action.Barrier> {

    private final JobServices services;

    BarrierJob(JobServices services) {
        this.services = services;
    }

    @Override
    public JobOutcome run(JobContext context, Action.Barrier barrier) throws Exception {
        List<String> conflicts = new ArrayList<>();
        int read = 0;
        for (String id : barrier.publications()) {
            Optional<Job> job = context.plan().job(id);
            if (job.isEmpty()) {
                continue;
            }
            switch (job.get().action()) {
                case Action.Push p -> conflicts.addAll(image(context, job.get(), p.repository(), new TagDecisions.Tags(p.tags(),
                        p.floating(), p.lines(), p.rolling()), p.access()));
                case Action.Replicate r -> conflicts.addAll(image(context, job.get(), r.repository(), new TagDecisions.Tags(r.tags(),
                        r.floating(), r.lines(), r.rolling()), r.access()));
                case Action.Release r -> release(context, job.get(), r).ifPresent(conflicts::add);
                case Action.Repository r -> conflicts.addAll(RepositoryJob.conflicts(context, job.get(), r));
                default -> {
                    continue; // refuses in its own job, before it writes
                }
            }
            read++;
        }
        if (!conflicts.isEmpty()) {
            throw JobFailure.refused(conflicts.size() + (conflicts.size() == 1 ? " target refuses" : " targets refuse")
                    + " this release, so nothing was published anywhere: " + String.join("; ", conflicts));
        }
        return JobOutcome.done(read + (read == 1 ? " target" : " targets") + " read: none refuses this release", List.of(), List.of());
    }

    /** The refusals the push or replica of {@code job} would meet, decided as it would decide them. */
    private List<String> image(JobContext context, Job job, String repository, TagDecisions.Tags tags, Action.Access access)
            throws IOException {
        Digest index = ImageJobs.Publish.indexBehind(context, job).digest();
        ImageTarget target = services.registries().target(context, repository, Optional.of(access));
        try {
            Map<String, String> existing = new LinkedHashMap<>();
            for (String tag : target.tags()) {
                existing.put(tag, tags.all().contains(tag) ? target.resolve(tag).map(Descriptor::digest).map(Digest::toString).orElse("") : "");
            }
            var plan = context.plan();
            VersionScheme scheme = VersionScheme.of(plan.scheme());
            return TagDecisions.decide(scheme.parse(plan.version()), scheme, tags, existing, index.toString(), plan.rolling(),
                    services.forceFloating()).stream().filter(d -> d.kind() == TagDecisions.Kind.REFUSE)
                    .map(d -> repository + ": " + d.reason()).toList();
        } catch (RegistryException e) {
            throw JobFailures.of("cannot read " + repository + " before publishing: ", e);
        }
    }

    /** Why the release of {@code job} would be refused: already in its store with other assets. */
    private Optional<String> release(JobContext context, Job job, Action.Release release) throws IOException {
        if (release.exists().equals("replace")) {
            return Optional.empty();
        }
        ReleaseStore store = ReleaseJob.store(context, release, services.environment(), services.http());
        Optional<ReleaseInfo> found;
        try {
            found = store.find(release.name());
        } catch (StoreUnreachableException e) {
            throw new JobFailure(JobFailure.Kind.UNREACHABLE, "cannot read " + store.describe() + " before publishing: "
                    + e.getMessage(), e.retryable(), e.retryAfter().orElse(null), e);
        } catch (ReleaseException e) {
            throw JobFailure.failed("cannot read " + store.describe() + " before publishing: " + e.getMessage());
        }
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Map<String, String> wanted = new TreeMap<>();
        Set<String> provenance = new java.util.HashSet<>();
        for (Artifact output : context.artifacts().ofJobs(job.needs())) {
            if (Artifact.RELEASE_ASSETS.contains(output.kind())) {
                wanted.put(output.path().getFileName().toString(), output.digest().toString());
            }
            if (output.kind().equals(Artifact.PROVENANCE)) {
                provenance.add(output.path().getFileName().toString());
            }
        }
        Map<String, String> there = new TreeMap<>();
        for (AssetInfo asset : found.get().assets()) {
            there.put(asset.name(), asset.digest().toString());
        }
        provenance.stream().filter(there::containsKey).forEach(name -> there.put(name, wanted.get(name))); // the first record stays
        if (there.equals(wanted)) {
            return Optional.empty(); // the same release: its job finds it and skips
        }
        List<String> differences = new ArrayList<>();
        wanted.forEach((name, digest) -> {
            String held = there.get(name);
            if (held == null) {
                differences.add(name + " is not there");
            } else if (!held.equals(digest)) {
                differences.add(name + " is " + held.substring(0, Math.min(19, held.length())) + "…, not "
                        + digest.substring(0, Math.min(19, digest.length())) + "…");
            }
        });
        there.keySet().stream().filter(n -> !wanted.containsKey(n)).forEach(n -> differences.add(n + " is there and not in this release"));
        return Optional.of("release " + release.name() + " exists in " + store.describe() + " with other assets ("
                + String.join(", ", differences) + "); a published release is never replaced outside a rolling channel");
    }
}
