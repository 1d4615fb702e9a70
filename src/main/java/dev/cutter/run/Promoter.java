package dev.cutter.run;

import dev.cutter.git.GitException;
import dev.cutter.git.GitRepository;
import dev.cutter.ledger.Artifact;
import dev.cutter.ledger.Run;
import dev.cutter.ledger.RunKind;
import dev.cutter.ledger.RunState;
import dev.cutter.plan.Action;
import dev.cutter.plan.Job;
import dev.cutter.plan.Kind;
import dev.cutter.plan.Plan;
import dev.cutter.plan.Planned;
import dev.cutter.plan.PlanException;
import dev.cutter.plan.Planner;
import dev.cutter.plan.Publication;
import dev.cutter.plan.ReleaseContext;
import dev.cutter.plan.ReleaseRequest;
import dev.cutter.run.Outcome.Status;
import dev.cutter.spec.Spec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Promotes a release candidate to another version (law 5): publishes the digests the candidate's
 * image publications hold, and the files its run made, under the target's names — fetched, not
 * rebuilt — with the tag laws, replication and image checks of a release.
 */
public final class Promoter {
    private final Runs runs;
    private final java.util.function.Function<Spec, String> remoteOf;

    /** A promoter whose version tags go to {@code origin}. */
    public Promoter(Runs runs) {
        this(runs, spec -> ORIGIN);
    }

    /** A promoter whose version tags go to the remote {@code remoteOf} reads from a spec (its {@code git: { remote: }}). */
    public Promoter(Runs runs, java.util.function.Function<Spec, String> remoteOf) {
        this.runs = runs;
        this.remoteOf = remoteOf;
    }

    private static final String ORIGIN = "origin";

    /**
     * A promotion's outcome, and what to tell the one who asked for it.
     *
     * @param message for a promotion that ran through, what was promoted to what; else the outcome's message
     */
    public record Promotion(Outcome outcome, String message) {}

    /**
     * Promotes {@code from} to {@code to}, creating the version's git tag when the spec says so
     * ({@code version.tag-on-promote}); see {@link #promote(Spec, ReleaseRequest, ReleaseRequest, boolean, boolean, RunOptions)}.
     */
    public Promotion promote(Spec spec, ReleaseRequest from, ReleaseRequest to, boolean force, RunOptions options)
            throws InterruptedException {
        return promote(spec, from, to, force, spec.version().tagOnPromote(), options);
    }

    /**
     * Promotes {@code from} to {@code to}. Refused while the candidate has no succeeded release
     * (its validations passed) unless {@code force}, which the run's record keeps. The version is
     * planned at the candidate's commit and claims its publications as a release of that commit
     * would, so such a release (the version's tag pushed to CI) finds them published and has
     * nothing to do. With {@code tag}, once everything is published and checked, the version's
     * git tag is made on the candidate's commit, annotated with the candidate's tag, and pushed to
     * the spec's remote ({@code origin} unless {@code git: { remote: }} names another), never moved.
     */
    public Promotion promote(Spec spec, ReleaseRequest from, ReleaseRequest to, boolean force, boolean tag, RunOptions options)
            throws InterruptedException {
        Plan candidate = runs.plan(spec, from);
        Plan asked = runs.plan(spec, to);
        if (candidate.tag().equals(asked.tag())) {
            throw new PlanException("--from and --to are both " + asked.tag() + "; promote to another version");
        }
        Optional<String> refusal = unvalidated(candidate);
        boolean passed = refusal.isEmpty();
        if (!passed && !force) {
            return told(Outcome.early(Status.REFUSED, null, "cannot promote " + candidate.tag() + ": " + refusal.get()
                    + "; a candidate is promoted only after its release and validations succeeded (--force overrides, and the"
                    + " ledger records it)", asked), from);
        }
        // what the candidate's release planned and published, not a plan of it made now (its commit may have moved on)
        Optional<Run> candidateRun = runs.newestRelease(candidate);
        Plan released = candidateRun.map(r -> runs.recordOf(r).plan()).orElse(candidate);
        // the version is the candidate's commit: what a release of it there would publish, with the candidate's bytes
        Plan target = released.sha().map(sha -> runs.plan(spec, to.withSha(sha))).orElse(asked);
        Plan plan = target.promoting(sources(released, target, true), fetches(released, candidateRun, target));
        if (tag) {
            String remote = remoteOf.apply(spec);
            plan = tagged(plan, released, remote);
            Optional<String> moved = moved(spec, plan.tag(), released.sha().orElseThrow(), remote);
            if (moved.isPresent()) {
                return told(Outcome.early(Status.REFUSED, null, "cannot promote " + candidate.tag() + " to " + plan.tag() + " with its tag: "
                        + moved.get() + "; a version tag never moves (nothing was published; promote without --tag, or another version)",
                        plan), from);
            }
        }
        runs.preflight(spec, plan);
        runs.secretsResolve(spec, plan);
        Optional<String> unreachable = runs.targetsAnswer(spec, plan);
        if (unreachable.isPresent()) {
            return told(Outcome.early(Status.UNREACHABLE, null, unreachable.get(), plan), from);
        }
        PlanClaims claims = PlanClaims.of(target).within(plan).and(PlanClaims.of(plan));
        RunRecord record = new RunRecord(Optional.of(to), plan, new RunRecord.Promoted(candidate.tag(), force && !passed));
        return told(runs.start(spec, record, options, RunKind.PROMOTION, claims), from);
    }

    /**
     * The trailer of a promoted version's tag annotation that names the candidate: how a release
     * of the tag on a machine without this ledger knows where the version came from.
     */
    public static final String PROMOTED_FROM = "Promoted-from: ";

    /**
     * Where the version's tag already is when that is not the candidate's {@code commit}: in the
     * checkout, or on {@code remote} (read now, so nothing is published before a tag job would be
     * refused); empty when it is nowhere else, or {@code remote} cannot be read (the tag job says why).
     */
    private static Optional<String> moved(Spec spec, String tag, String commit, String remote) {
        try (GitRepository git = GitRepository.open(spec.directory())) {
            Optional<String> local = git.findTag(tag).map(dev.cutter.git.Tag::commit).filter(c -> !c.equals(commit));
            if (local.isPresent()) {
                return Optional.of(tag + " is at " + local.get() + " in the checkout, not at the candidate's commit " + commit);
            }
            Map<String, String> tags;
            try {
                tags = git.remoteTags(remote);
            } catch (GitException unreachable) {
                return Optional.empty();
            }
            return Optional.ofNullable(tags.get(tag)).filter(c -> !c.equals(commit))
                    .map(c -> tag + " is at " + c + " on " + remote + ", not at the candidate's commit " + commit);
        } catch (GitException notACheckout) {
            return Optional.empty();
        }
    }

    /** The promotion's job that tags the version on the candidate's commit, once all else is published and checked. */
    static final String TAG_JOB = "tag/version";

    /**
     * {@code plan} with the version's git tag made, after every job but the notifications, on the
     * commit {@code released} was planned from, annotated with its tag.
     */
    private static Plan tagged(Plan plan, Plan released, String remote) {
        String commit = released.sha().orElseThrow(() -> new PlanException("--tag: the candidate " + released.tag()
                + " was released from no commit Cutter knows (its spec is not in a git checkout), so there is no commit to tag "
                + plan.tag() + " on; promote without --tag"));
        List<Job> jobs = new ArrayList<>();
        List<String> before = plan.jobs().stream().filter(j -> !Kind.traitsOf(j).notification()).map(Job::id).toList();
        Job tag = new Job(TAG_JOB, "tag", "version", before, Map.of(), Optional.empty(),
                new Action.Tag(plan.tag(), "", Optional.of(commit), Optional.of(released.tag()), List.of(),
                        remote.equals(ORIGIN) ? Optional.empty() : Optional.of(Action.GitRoute.standard().to(remote))));
        for (Job job : plan.jobs()) {
            if (Kind.traitsOf(job).notification()) {
                if (!jobs.contains(tag)) {
                    jobs.add(tag);
                }
                List<String> needs = new ArrayList<>(job.needs());
                needs.add(TAG_JOB); // the notice tells whether the tag was pushed too
                job = new Job(job.id(), job.kind(), job.entry(), needs, job.matrix(), job.group(), job.action());
            }
            jobs.add(job);
        }
        if (!jobs.contains(tag)) {
            jobs.add(tag);
        }
        return new Plan(plan.schema(), plan.project(), plan.version(), plan.scheme(), plan.tag(), plan.channel(), plan.rolling(),
                plan.component(), plan.sha(), jobs, plan.publications(), plan.groups(), plan.data());
    }

    private static Promotion told(Outcome outcome, ReleaseRequest from) {
        if (outcome.status() != Status.RELEASED) {
            return new Promotion(outcome, outcome.message());
        }
        Plan plan = outcome.plan();
        return new Promotion(outcome, "promoted " + from.version().or(from::tag).orElse("") + " to " + plan.project() + " "
                + plan.version() + " (run " + outcome.runId() + "): " + Runs.counts(outcome.jobs()));
    }

    /**
     * Why {@code candidate} has not passed its checks here, or empty when it has: its newest
     * publishing run succeeded (validations included) and no verification since failed.
     */
    private Optional<String> unvalidated(Plan candidate) {
        List<Run> runs = this.runs.ledger.runsOf(candidate.project(), candidate.version()).stream()
                .filter(r -> r.tag().equals(candidate.tag())).toList(); // newest first
        Optional<Run> released = runs.stream().filter(r -> r.kind().publishes() && r.state() == RunState.SUCCEEDED).findFirst();
        if (released.isEmpty()) {
            return Optional.of(runs.stream().filter(r -> r.kind().publishes()).findFirst()
                    .map(r -> "its last run " + r.id() + " ended " + r.state().name().toLowerCase())
                    .orElse("it was never released here"));
        }
        return runs.stream().filter(r -> r.kind() == RunKind.VERIFICATION && r.state().isFinal()
                        && !r.started().isBefore(released.get().started())).findFirst()
                .filter(r -> r.state() != RunState.SUCCEEDED)
                .map(r -> "its verification " + r.id() + " since the release ended " + r.state().name().toLowerCase()
                        + " (`cutter runs show " + r.id() + "` says why)");
    }

    /**
     * For each index job of {@code target}, a source reading the index {@code published} pushed
     * for the same image and cell back from its push repository, by the first immutable tag.
     */
    static Map<String, Action.Source> sources(Plan published, Plan target, boolean blobs) {
        Map<String, Action.Source> sources = new LinkedHashMap<>();
        for (Planned<Action.Index> index : target.jobs(Action.Index.class).toList()) {
            Publication pushed = published.publications().stream()
                    .filter(p -> p.kind().equals("push") && p.image().equals(index.entry()) && p.matrix().equals(index.matrix()))
                    .findFirst().orElseThrow(() -> new PlanException("image " + index.entry() + " " + index.matrix()
                            + " has no publication in " + published.tag() + " to read; it would have to be built"));
            String tag = pushed.tags().stream().filter(t -> !pushed.floating().contains(t) && !pushed.rolling().contains(t))
                    .findFirst().orElseThrow(() -> new PlanException(published.tag() + " publishes " + pushed.repository()
                            + " under no immutable tag to read it by"));
            Action.Push push = published.job(pushed.job(), Action.Push.class).orElseThrow().action();
            Map<String, Map<String, String>> labels = new java.util.TreeMap<>();
            published.jobs(Action.Image.class).filter(j -> j.entry().equals(index.entry()) && j.matrix().equals(index.matrix()))
                    .map(Planned::action).forEach(image -> labels.put(image.platform(), image.labels()));
            sources.put(index.id(), new Action.Source(pushed.repository(), tag, push.access(), labels, blobs));
        }
        return sources;
    }

    /**
     * For each archive and package job of {@code target}, the fetch of the file the candidate's
     * job of the same id (entry, cell and format) made, by the digest its run recorded: from where the run
     * wrote it, its release stores, its repositories.
     */
    private Map<String, Action.Fetch> fetches(Plan released, Optional<Run> run, Plan target) {
        List<Job> files = target.jobs().stream().filter(j -> j.kind().equals("archive") || j.kind().equals("package")).toList();
        Map<String, Action.Fetch> fetches = new LinkedHashMap<>();
        if (files.isEmpty()) {
            return fetches;
        }
        if (run.isEmpty()) {
            throw new PlanException("cannot promote " + released.tag() + "'s archives and packages: only its release run in the ledger"
                    + " says which files it published, and this ledger has none; promote with the ledger that released it");
        }
        Map<String, Artifact> made = new LinkedHashMap<>();
        runs.ledger.artifacts(run.get().id()).stream().filter(a -> a.kind().equals("archive") || a.kind().equals("package"))
                .forEach(a -> made.put(a.jobId(), a));
        for (Job job : files) {
            Optional<Job> theirs = released.job(job.id()).filter(j -> j.kind().equals(job.kind())); // ids carry no version
            Artifact file = theirs.map(j -> made.get(j.id())).orElse(null);
            if (file == null) {
                continue; // promoting() names what is missing
            }
            List<Action.Origin> from = new ArrayList<>();
            from.add(new Action.Origin("file", file.path().toString(), "", file.name()));
            // a package's repository first: that is where users get it
            released.actions(Action.Repository.class).filter(r -> r.packages().contains(file.name()))
                    .forEach(r -> from.add(new Action.Origin("repository", r.publish(), r.type(), file.name())));
            released.jobs(Action.Release.class).filter(r -> r.needs().contains(theirs.get().id())).map(Planned::action)
                    .forEach(r -> from.add(new Action.Origin("release", r.store(), r.name(), file.path().getFileName().toString())));
            String name = job.action() instanceof Action.Archive a ? a.name() : file.name();
            fetches.put(job.id(), new Action.Fetch(job.kind(), name, file.digest().toString(), file.size(), from, theirs.get().action()));
        }
        return fetches;
    }

}
