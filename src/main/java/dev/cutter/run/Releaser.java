package dev.cutter.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cutter.content.Digest;
import dev.cutter.ledger.Artifact;
import dev.cutter.ledger.Claim;
import dev.cutter.ledger.JobRecord;
import dev.cutter.ledger.JobSeed;
import dev.cutter.ledger.Ledger;
import dev.cutter.ledger.NewRun;
import dev.cutter.ledger.Run;
import dev.cutter.ledger.RunState;
import dev.cutter.plan.Action;
import dev.cutter.plan.Job;
import dev.cutter.plan.Plan;
import dev.cutter.plan.PlanException;
import dev.cutter.plan.PlanJson;
import dev.cutter.plan.Planner;
import dev.cutter.plan.Publication;
import dev.cutter.plan.ReleaseContext;
import dev.cutter.plan.ReleaseRequest;
import dev.cutter.run.RunRecorder.JobState;
import dev.cutter.spec.Spec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Releases a version: plans it, claims the version in the ledger so no other run publishes it
 * at the same time, runs the plan and records every job. Also resumes an interrupted run: the
 * same request is planned again, the plan must be the same, finished jobs whose outputs are still
 * there are kept, and the rest runs.
 */
public final class Releaser {
    /** How a release ended, for the caller's message and exit code. */
    public enum Status { RELEASED, NOTHING_TO_DO, FAILED, REFUSED, UNREACHABLE, CANCELLED }

    /** @param buildOnly run only the jobs that make things ({@link Plan#buildOnly}): what a pull request runs */
    public record Options(int parallel, Optional<Boolean> failFast, Duration staleAfter, boolean buildOnly) {
        public static Options defaults() {
            return new Options(Runtime.getRuntime().availableProcessors(), Optional.empty(), Duration.ofSeconds(30), false);
        }
    }

    public record Outcome(Status status, String runId, String message, Plan plan, List<JobResult> jobs) {}

    private static final ObjectMapper JSON = PlanJson.mapper();

    private final Ledger ledger;
    private final Map<String, JobHandler> handlers;
    private final Map<String, String> environment;
    private final RunListener listener;
    private final Cancellation cancellation;
    private final String host;

    public Releaser(Ledger ledger, Map<String, JobHandler> handlers, Map<String, String> environment, RunListener listener,
            Cancellation cancellation) {
        this.ledger = ledger;
        this.handlers = handlers;
        this.environment = environment;
        this.listener = listener;
        this.cancellation = cancellation;
        this.host = hostName();
    }

    /** Plans {@code request} against {@code spec} and runs it as a new run. */
    public Outcome release(Spec spec, ReleaseRequest request, Options options) throws InterruptedException {
        Plan planned = Planner.plan(spec, ReleaseContext.resolve(spec, request));
        Plan plan = options.buildOnly() ? planned.buildOnly() : planned;
        preflight(plan);
        List<String> missing = unreleasedNeeds(spec, plan);
        if (!missing.isEmpty()) {
            return new Outcome(Status.REFUSED, null, "component " + plan.component().orElseThrow() + " " + plan.version()
                    + " needs these released at " + plan.version() + " first: " + String.join(", ", missing)
                    + "; release them (cutter release --all --version " + plan.version() + " does it in order)", plan, List.of());
        }
        return start(spec, request, plan, options, Map.of(), dev.cutter.ledger.RunKind.RELEASE);
    }

    /** Records a run of {@code plan}, claims its version, and executes it. */
    private Outcome start(Spec spec, ReleaseRequest request, Plan plan, Options options, Map<String, Object> extra,
            dev.cutter.ledger.RunKind kind)
            throws InterruptedException {
        Recorded recorded = record(request, plan, options, extra, kind, Optional.empty());
        return recorded.refusal().isPresent() ? recorded.refusal().get()
                : execute(spec, plan, recorded.runId(), new Artifacts(), Set.of(), options, null);
    }

    /** A run recorded with its version claimed, or why none was. */
    private record Recorded(String runId, Optional<Outcome> refusal) {}

    private Recorded record(ReleaseRequest request, Plan plan, Options options, Map<String, Object> extra,
            dev.cutter.ledger.RunKind kind, Optional<Duration> lease) {
        String planJson = PlanJson.write(plan);
        String planDigest = Digest.sha256(planJson.getBytes(StandardCharsets.UTF_8)).toString();
        Optional<Outcome> early = obviousConflict(plan, planDigest, options);
        if (early.isPresent()) {
            return new Recorded(null, early); // no run is recorded for a release that has nothing to do
        }
        // the claim points at the run, so the run is recorded first; a refused run ends as cancelled
        Run run = ledger.startRun(new NewRun(kind, plan.project(), plan.version(), plan.tag(), plan.channel(), planDigest,
                record(request, planJson, extra), plan.jobs().stream().map(j -> new JobSeed(j.id(), j.kind())).toList(), host, pid(),
                lease));
        Claim claim = ledger.claim(plan.project(), plan.tag(), run.id(), options.staleAfter(), plan.rolling());
        if (!claim.granted()) {
            ledger.finishRun(run.id(), RunState.CANCELLED);
            return new Recorded(run.id(), Optional.of(refusedBy(claim.holder().orElseThrow(), plan, planDigest)));
        }
        return new Recorded(run.id(), Optional.empty());
    }

    /**
     * Records a run of {@code request} for CI machines to execute job by job ({@code cutter emit},
     * then {@code cutter job run} on each): planned and claimed as a release is, holding its
     * version for {@code lease} without a heartbeat, with {@code artifacts} (where the jobs leave
     * their outputs) in its record. Nothing runs here.
     *
     * @return the recorded run's outcome: {@code RELEASED} with its id and plan when recorded, else why not
     */
    public Outcome emit(Spec spec, ReleaseRequest request, Duration lease, Object artifacts, Options options) {
        Plan plan = Planner.plan(spec, ReleaseContext.resolve(spec, request));
        preflight(plan);
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("artifacts", artifacts);
        Recorded recorded = record(request, plan, options, extra, dev.cutter.ledger.RunKind.RELEASE, Optional.of(lease));
        return recorded.refusal().orElseGet(() -> new Outcome(Status.RELEASED, recorded.runId(), "recorded run " + recorded.runId()
                + " of " + plan.project() + " " + plan.version() + " (" + plan.jobs().size() + " jobs) for CI to run", plan, List.of()));
    }

    /**
     * Promotes {@code from} (a release candidate) to {@code to} (law 5): publishes the digests the
     * candidate's image publications hold under the target's repositories and tags — fetched, not
     * rebuilt — with the tag laws, replication and image checks of a release. Refused while the
     * candidate has no succeeded release (its validations passed) unless {@code force}, which the
     * run's record keeps.
     */
    public Outcome promote(Spec spec, ReleaseRequest from, ReleaseRequest to, boolean force, Options options)
            throws InterruptedException {
        Plan candidate = Planner.plan(spec, ReleaseContext.resolve(spec, from));
        Plan target = Planner.plan(spec, ReleaseContext.resolve(spec, to));
        if (candidate.tag().equals(target.tag())) {
            throw new PlanException("--from and --to are both " + target.tag() + "; promote to another version");
        }
        Optional<String> refusal = unvalidated(candidate);
        boolean passed = refusal.isEmpty();
        if (!passed && !force) {
            return new Outcome(Status.REFUSED, null, "cannot promote " + candidate.tag() + ": " + refusal.get() + "; a candidate is"
                    + " promoted only after its release and validations succeeded (--force overrides, and the ledger records it)",
                    target, List.of());
        }
        // what the candidate's release planned and published, not a plan of it made now (its commit may have moved on)
        Optional<Run> candidateRun = newestRelease(candidate);
        Plan released = candidateRun.map(this::recordedPlan).orElse(candidate);
        Plan plan = target.promoting(sources(released, target, true), fetches(released, candidateRun, target));
        preflight(plan);
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("promotedFrom", candidate.tag());
        extra.put("forced", force && !passed);
        return start(spec, to, plan, options, extra, dev.cutter.ledger.RunKind.PROMOTION);
    }

    /**
     * Why {@code candidate} has not passed its checks here, or empty when it has: its newest
     * publishing run succeeded (validations included) and no verification since failed.
     */
    /** The newest succeeded release or promotion run of {@code plan}'s tag in this ledger. */
    private Optional<Run> newestRelease(Plan plan) {
        return ledger.runsOf(plan.project(), plan.version()).stream()
                .filter(r -> r.kind().publishes() && r.state() == RunState.SUCCEEDED && r.tag().equals(plan.tag())).findFirst();
    }

    /** The plan {@code run} executed, as it recorded it. */
    private Plan recordedPlan(Run run) {
        return PlanJson.read(readRecord(ledger.planJson(run.id()).orElseThrow()).path("plan"));
    }

    private Optional<String> unvalidated(Plan candidate) {
        List<Run> runs = ledger.runsOf(candidate.project(), candidate.version()).stream()
                .filter(r -> r.tag().equals(candidate.tag())).toList(); // newest first
        Optional<Run> released = runs.stream().filter(r -> r.kind().publishes() && r.state() == RunState.SUCCEEDED).findFirst();
        if (released.isEmpty()) {
            return Optional.of(runs.stream().filter(r -> r.kind().publishes()).findFirst()
                    .map(r -> "its last run " + r.id() + " ended " + r.state().name().toLowerCase())
                    .orElse("it was never released here"));
        }
        return runs.stream().filter(r -> r.kind() == dev.cutter.ledger.RunKind.VERIFICATION && r.state().isFinal()
                        && !r.started().isBefore(released.get().started())).findFirst()
                .filter(r -> r.state() != RunState.SUCCEEDED)
                .map(r -> "its verification " + r.id() + " since the release ended " + r.state().name().toLowerCase()
                        + " (`cutter runs show " + r.id() + "` says why)");
    }

    /**
     * For each index job of {@code target}, a source reading the index {@code published} pushed
     * for the same image and cell back from its push repository, by the first immutable tag.
     */
    private static Map<String, Action.Source> sources(Plan published, Plan target, boolean blobs) {
        Map<String, Action.Source> sources = new LinkedHashMap<>();
        for (Job index : target.jobsOfKind("index")) {
            Publication pushed = published.publications().stream()
                    .filter(p -> p.kind().equals("push") && p.image().equals(index.entry()) && p.matrix().equals(index.matrix()))
                    .findFirst().orElseThrow(() -> new PlanException("image " + index.entry() + " " + index.matrix()
                            + " has no publication in " + published.tag() + " to read; it would have to be built"));
            String tag = pushed.tags().stream().filter(t -> !pushed.floating().contains(t) && !pushed.rolling().contains(t))
                    .findFirst().orElseThrow(() -> new PlanException(published.tag() + " publishes " + pushed.repository()
                            + " under no immutable tag to read it by"));
            Action.Push push = (Action.Push) published.job(pushed.job()).orElseThrow().action();
            Map<String, Map<String, String>> labels = new java.util.TreeMap<>();
            published.jobsOfKind("image").stream().filter(j -> j.entry().equals(index.entry()) && j.matrix().equals(index.matrix()))
                    .map(j -> (Action.Image) j.action()).forEach(image -> labels.put(image.platform(), image.labels()));
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
        ledger.artifacts(run.get().id()).stream().filter(a -> a.kind().equals("archive") || a.kind().equals("package"))
                .forEach(a -> made.put(a.jobId(), a));
        for (Job job : files) {
            Optional<Job> theirs = released.job(job.id()).filter(j -> j.kind().equals(job.kind())); // ids carry no version
            Artifact file = theirs.map(j -> made.get(j.id())).orElse(null);
            if (file == null) {
                continue; // promoting() names what is missing
            }
            List<Action.Origin> from = new ArrayList<>();
            from.add(new Action.Origin("file", file.path(), "", file.name()));
            for (Job j : released.jobs()) { // a package's repository first: that is where users get it
                if (j.action() instanceof Action.Repository r && r.packages().contains(file.name())) {
                    from.add(new Action.Origin("repository", r.publish(), r.type(), file.name()));
                }
            }
            for (Job j : released.jobs()) {
                if (j.action() instanceof Action.Release r && j.needs().contains(theirs.get().id())) {
                    from.add(new Action.Origin("release", r.store(), r.name(), Path.of(file.path()).getFileName().toString()));
                }
            }
            String name = job.action() instanceof Action.Archive a ? a.name() : file.name();
            fetches.put(job.id(), new Action.Fetch(job.kind(), name, file.digest(), file.size(), from, theirs.get().action()));
        }
        return fetches;
    }

    /**
     * Verifies a released version (law 4's "already there", checked later): the checks of its
     * newest succeeded release or promotion run again, as that run recorded its plan, against the
     * targets as they are now, recorded as a verification run whose outcome gates promotion.
     * Without such a run in this ledger (another machine released it), the spec's plan is checked
     * against what its push repositories hold under the immutable tags.
     */
    public Outcome verify(Spec spec, ReleaseRequest request, Options options) throws InterruptedException {
        Plan planned = Planner.plan(spec, ReleaseContext.resolve(spec, request));
        Optional<Run> published = newestRelease(planned);
        Plan plan;
        Artifacts artifacts = new Artifacts();
        // the sources reading indexes back, when the ledger does not know what was released
        Map<String, Action.Source> sources = new LinkedHashMap<>();
        if (published.isPresent()) {
            plan = recordedPlan(published.get()).verifying(sources);
            Map<String, List<Output>> byJob = new LinkedHashMap<>();
            for (Artifact a : ledger.artifacts(published.get().id())) {
                byJob.computeIfAbsent(a.jobId(), k -> new ArrayList<>())
                        .add(new Output(a.jobId(), a.kind(), a.name(), Path.of(a.path()), Digest.parse(a.digest()), a.size()));
            }
            byJob.forEach(artifacts::put);
        } else {
            // the labels are not judged: the images may be a candidate's, promoted with the labels it was built with
            sources(planned, planned, false).forEach((id, source) -> sources.put(id, new Action.Source(source.repository(), source.tag(),
                    source.access(), Map.of(), false)));
            plan = planned.verifying(sources);
        }
        Set<String> checks = new java.util.LinkedHashSet<>(sources.keySet());
        plan.jobsOfKind("validate").forEach(j -> checks.add(j.id()));
        if (plan.jobsOfKind("validate").isEmpty()) {
            return new Outcome(Status.NOTHING_TO_DO, null, plan.project() + " " + plan.version() + " publishes nothing to verify",
                    plan, List.of());
        }
        Set<String> released = new java.util.HashSet<>();
        plan.jobs().stream().map(Job::id).filter(id -> !checks.contains(id)).forEach(released::add);
        String planJson = PlanJson.write(plan);
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("verifies", published.map(Run::id).orElse(null));
        Run run = ledger.startRun(new NewRun(dev.cutter.ledger.RunKind.VERIFICATION, plan.project(), plan.version(), plan.tag(),
                plan.channel(), Digest.sha256(planJson.getBytes(StandardCharsets.UTF_8)).toString(), record(request, planJson, extra),
                plan.jobs().stream().filter(j -> checks.contains(j.id())).map(j -> new JobSeed(j.id(), j.kind())).toList(), host, pid()));
        return execute(spec, plan, run.id(), artifacts, released, options, published.map(r -> "run " + r.id()).orElse("its push repositories"));
    }

    /**
     * The module tags of the components {@code plan}'s component needs that are not released at
     * its version: neither a succeeded run in the ledger nor a tag in the checkout says so.
     */
    private List<String> unreleasedNeeds(Spec spec, Plan plan) {
        if (plan.component().isEmpty()) {
            return List.of();
        }
        Spec.ComponentSpec component = spec.components().stream().filter(c -> c.id().equals(plan.component().get())).findFirst()
                .orElseThrow();
        List<String> missing = new ArrayList<>();
        List<Run> runs = ledger.runsOf(plan.project(), plan.version()).stream().filter(r -> r.kind().publishes()).toList();
        Set<String> tagged = checkoutTags(spec);
        for (String need : component.needs()) {
            Spec.ComponentSpec needed = spec.components().stream().filter(c -> c.id().equals(need)).findFirst().orElseThrow();
            String tag = dev.cutter.version.TagPattern.of(needed.tag()).format(need, ReleaseContext.resolve(spec,
                    dev.cutter.plan.ReleaseRequest.ofVersion(plan.version()).withComponent(need)).version());
            boolean released = runs.stream().anyMatch(r -> r.state() == RunState.SUCCEEDED && r.tag().equals(tag)) || tagged.contains(tag);
            if (!released) {
                missing.add(tag);
            }
        }
        return missing;
    }

    /** The tags the spec's checkout knows (fetched or made here); none outside a git checkout. */
    private static Set<String> checkoutTags(Spec spec) {
        try (dev.cutter.git.GitRepository git = dev.cutter.git.GitRepository.open(spec.directory())) {
            return git.tagNames();
        } catch (dev.cutter.git.GitException e) {
            return Set.of(); // not a checkout: only the ledger can say what was released
        }
    }

    /** A released version or a live run of it, seen before recording a run; the claim below still settles races. */
    private Optional<Outcome> obviousConflict(Plan plan, String planDigest, Options options) {
        Instant now = Instant.now();
        for (Run other : ledger.runsOf(plan.project(), plan.version())) {
            if (!other.kind().publishes() || !other.tag().equals(plan.tag())) {
                continue;
            }
            if ((other.state() == RunState.SUCCEEDED && !plan.rolling())
                    || other.alive(now, options.staleAfter())) {
                return Optional.of(refusedBy(other, plan, planDigest));
            }
        }
        return Optional.empty();
    }

    private Outcome refusedBy(Run holder, Plan plan, String planDigest) {
        String what = plan.project() + " " + plan.version() + " (tag " + plan.tag() + ")";
        if (holder.state() == RunState.SUCCEEDED) {
            if (plan.component().isPresent() && !holder.planDigest().equals(planDigest)) {
                // the release's own pin and revert commits moved HEAD, and {sha} with it; the module
                // tag is out and never moves, so there is nothing a second run could do
                return new Outcome(Status.NOTHING_TO_DO, holder.id(), "component " + plan.component().get() + " " + plan.version()
                        + " was already released by run " + holder.id() + " (tag " + plan.tag() + ", which never moves); nothing to do",
                        plan, List.of());
            }
            if (holder.planDigest().equals(planDigest)) {
                return new Outcome(Status.NOTHING_TO_DO, holder.id(), what + " was already released by run " + holder.id()
                        + " with this exact plan; nothing to do", plan, List.of());
            }
            return new Outcome(Status.REFUSED, holder.id(), what + " was already released by run " + holder.id()
                    + " with a different plan; a version is immutable once released (release a new version, or declare"
                    + " the channel rolling)", plan, List.of());
        }
        return new Outcome(Status.REFUSED, holder.id(), "run " + holder.id() + " (pid " + holder.pid() + " on " + holder.host()
                + ", started " + holder.started() + ") is releasing " + what + " right now; wait for it, or resume it with"
                + " `cutter release --resume " + holder.id() + "` once it has stopped", plan, List.of());
    }

    /** Resumes {@code runId} ({@code last} for the newest run): same request, same plan, unfinished jobs only. */
    public Outcome resume(Spec spec, String runId, Options options) throws InterruptedException {
        Run run = (runId.equals("last") ? ledger.latestRun() : ledger.run(runId))
                .orElseThrow(() -> new PlanException("--resume " + runId + ": no such run in the ledger; `cutter runs list` shows them"));
        if (run.state() == RunState.SUCCEEDED) {
            return new Outcome(Status.NOTHING_TO_DO, run.id(), "run " + run.id() + " already succeeded; nothing to resume", null, List.of());
        }
        JsonNode stored = readRecord(ledger.planJson(run.id()).orElseThrow());
        if (stored.has("promotedFrom")) {
            throw new PlanException("run " + run.id() + " promoted " + stored.get("promotedFrom").asText() + "; promote it again"
                    + " (cutter promote --from " + stored.get("promotedFrom").asText() + " …): what is published already is kept");
        }
        ReleaseRequest request;
        try {
            request = JSON.treeToValue(stored.get("request"), ReleaseRequest.class);
        } catch (JsonProcessingException e) {
            throw new PlanException("run " + run.id() + " was recorded by another version of Cutter and cannot be resumed: " + e.getOriginalMessage());
        }
        Plan plan = Planner.plan(spec, ReleaseContext.resolve(spec, request));
        String planJson = PlanJson.write(plan);
        String planDigest = Digest.sha256(planJson.getBytes(StandardCharsets.UTF_8)).toString();
        if (!planDigest.equals(run.planDigest())) {
            throw new PlanException("the plan of run " + run.id() + " changed since it started (the spec or its inputs were edited);"
                    + " resuming would publish something else — start a new release instead");
        }
        preflight(plan);
        Claim claim = ledger.claim(plan.project(), plan.tag(), run.id(), options.staleAfter(), plan.rolling());
        if (!claim.granted()) {
            return refusedBy(claim.holder().orElseThrow(), plan, planDigest);
        }
        ledger.resumeRun(run.id(), host, pid());
        Map<String, List<Output>> restored = restore(spec, run.id());
        Artifacts artifacts = new Artifacts();
        restored.forEach(artifacts::put);
        return execute(spec, plan, run.id(), artifacts, restored.keySet(), options, null);
    }

    /** Jobs the run finished whose outputs are still there, byte for byte, with those outputs. */
    private Map<String, List<Output>> restore(Spec spec, String runId) {
        Map<String, List<Artifact>> byJob = new LinkedHashMap<>();
        for (Artifact a : ledger.artifacts(runId)) {
            byJob.computeIfAbsent(a.jobId(), k -> new ArrayList<>()).add(a);
        }
        Map<String, List<Output>> restored = new LinkedHashMap<>();
        for (JobRecord job : ledger.jobs(runId)) {
            if (job.state() != dev.cutter.ledger.JobState.SUCCEEDED && job.state() != dev.cutter.ledger.JobState.SKIPPED) {
                continue;
            }
            List<Output> outputs = new ArrayList<>();
            boolean intact = true;
            for (Artifact a : byJob.getOrDefault(job.jobId(), List.of())) {
                Path file = spec.directory().resolve(a.path());
                try {
                    intact &= Files.isRegularFile(file) && Digest.sha256(file).toString().equals(a.digest());
                } catch (IOException e) {
                    intact = false;
                }
                outputs.add(new Output(a.jobId(), a.kind(), a.name(), Path.of(a.path()), Digest.parse(a.digest()), a.size()));
            }
            if (intact) {
                restored.put(job.jobId(), outputs);
            }
        }
        return restored;
    }

    /**
     * Runs the plan but the jobs in {@code done} (an earlier attempt of this run finished them, or
     * the release a verification checks made them), whose outputs are in {@code artifacts}.
     *
     * @param verified for a verification, what it verifies (the release run or its repositories); else null
     */
    private Outcome execute(Spec spec, Plan plan, String runId, Artifacts artifacts, Set<String> done, Options options,
            String verified) throws InterruptedException {
        listener.runStarted(runId);
        Masker masker = new Masker();
        Secrets secrets = new Secrets(environment, spec.directory(), masker);
        Path project = spec.directory();
        Scheduler.Environment env = new Scheduler.Environment(runId, plan, project, project.resolve("dist"), secrets,
                sourceDate(environment, plan, project), cancellation);
        int parallel = spec.execution().parallel() > 0 ? spec.execution().parallel() : options.parallel();
        boolean failFast = options.failFast().orElse(spec.execution().failFast());
        Scheduler scheduler = new Scheduler(env, handlers, new LedgerRecorder(ledger, runId, masker), listener,
                Scheduler.Options.of(parallel, failFast), artifacts);
        List<JobResult> results = scheduler.execute(done);
        Status status = status(results);
        ledger.finishRun(runId, switch (status) {
            case RELEASED, NOTHING_TO_DO -> RunState.SUCCEEDED;
            case CANCELLED -> RunState.CANCELLED;
            default -> RunState.FAILED;
        });
        String message = verified != null ? verifySummary(status, plan, runId, verified, results.stream()
                .filter(r -> !done.contains(r.jobId())).toList())
                : options.buildOnly() ? buildSummary(status, plan, results) : summary(status, plan, runId, results);
        return new Outcome(status, runId, message, plan, results);
    }

    private Status status(List<JobResult> results) {
        if (cancellation.isCancelled()) {
            return Status.CANCELLED;
        }
        Status status = Status.RELEASED;
        for (JobResult r : results) {
            if (r.failure().isPresent()) {
                Status s = switch (r.failure().get()) {
                    case REFUSED -> Status.REFUSED;
                    case UNREACHABLE -> Status.UNREACHABLE;
                    case FAILED -> Status.FAILED;
                };
                if (rank(s) > rank(status)) {
                    status = s;
                }
            } else if (r.state() == JobState.CANCELLED && rank(Status.FAILED) > rank(status)) {
                status = Status.FAILED;
            }
        }
        return status;
    }

    /** A refusal by a law says most about what went wrong, then an unreachable target, then a failure. */
    private static int rank(Status s) {
        return switch (s) {
            case RELEASED, NOTHING_TO_DO -> 0;
            case FAILED -> 1;
            case UNREACHABLE -> 2;
            case REFUSED -> 3;
            case CANCELLED -> 4;
        };
    }

    private static String buildSummary(Status status, Plan plan, List<JobResult> results) {
        String what = plan.project() + " " + plan.version() + " (" + results.size() + " jobs)";
        return switch (status) {
            case RELEASED, NOTHING_TO_DO -> "built " + what + "; nothing was pushed, published or claimed";
            case CANCELLED -> "cancelled the build of " + what;
            default -> "the build of " + what + " failed: " + counts(results);
        };
    }

    private static String verifySummary(Status status, Plan plan, String runId, String verified, List<JobResult> checks) {
        String what = plan.project() + " " + plan.version();
        long checked = checks.stream().filter(r -> r.state() == JobState.SUCCEEDED).count();
        return switch (status) {
            case RELEASED, NOTHING_TO_DO -> "verified " + what + " as " + verified + " published it (run " + runId + "): " + checked
                    + " of " + checks.size() + " checks passed";
            case CANCELLED -> "cancelled the verification of " + what + " (run " + runId + ")";
            default -> "verification of " + what + " failed (run " + runId + "): " + counts(checks)
                    + "; `cutter runs show " + runId + "` says what is not as released";
        };
    }

    private static String counts(List<JobResult> results) {
        long ok = results.stream().filter(r -> r.state() == JobState.SUCCEEDED).count();
        long skipped = results.stream().filter(r -> r.state() == JobState.SKIPPED).count();
        long failed = results.stream().filter(r -> r.state() == JobState.FAILED).count();
        long cancelled = results.stream().filter(r -> r.state() == JobState.CANCELLED).count();
        return ok + " done, " + skipped + " skipped, " + failed + " failed, " + cancelled + " not run";
    }

    private static String summary(Status status, Plan plan, String runId, List<JobResult> results) {
        String counts = counts(results);
        String what = plan.project() + " " + plan.version();
        return switch (status) {
            case RELEASED -> "released " + what + " (run " + runId + "): " + counts;
            case NOTHING_TO_DO -> what + " is already released: " + counts;
            case CANCELLED -> "cancelled " + what + " (run " + runId + "): " + counts + "; resume with `cutter release --resume " + runId + "`";
            default -> "release of " + what + " failed (run " + runId + "): " + counts + "; fix the cause, then `cutter release --resume " + runId + "`";
        };
    }

    /** Refuses before anything happens when a job cannot run here (a kind or target not supported yet). */
    private void preflight(Plan plan) {
        List<String> problems = new ArrayList<>();
        for (Job job : plan.jobs()) {
            JobHandler handler = handlers.get(job.kind());
            if (handler == null) {
                problems.add(job.id() + ": Cutter cannot run jobs of kind '" + job.kind() + "' yet");
            } else if (handler instanceof Preflight p) {
                p.problem(job).ifPresent(problem -> problems.add(job.id() + ": " + problem));
            }
        }
        if (!problems.isEmpty()) {
            throw new PlanException("this plan cannot run here; nothing was done:\n  " + String.join("\n  ", problems)
                    + "\nleave those jobs out with --only, or change their targets");
        }
    }

    /** SOURCE_DATE_EPOCH, else the commit's time, else 1980-01-01 (the earliest a zip can hold): never "now". */
    static Instant sourceDate(Map<String, String> environment, Plan plan, Path project) {
        String epoch = environment.get("SOURCE_DATE_EPOCH");
        if (epoch != null && epoch.matches("\\d+")) {
            return Instant.ofEpochSecond(Long.parseLong(epoch));
        }
        return plan.sha().flatMap(sha -> dev.cutter.git.Checkout.commitTime(project, sha))
                .orElse(Instant.ofEpochSecond(315532800L));
    }

    private static String record(ReleaseRequest request, String planJson, Map<String, Object> extra) {
        try {
            var node = JSON.createObjectNode();
            node.set("request", JSON.valueToTree(request));
            extra.forEach((k, v) -> node.set(k, JSON.valueToTree(v)));
            node.set("plan", JSON.readTree(planJson));
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a request always serializes", e);
        }
    }

    private static JsonNode readRecord(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new PlanException("the ledger's record of this run is unreadable: " + e.getOriginalMessage());
        }
    }

    private static long pid() {
        return ProcessHandle.current().pid();
    }

    static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
