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
        String planJson = PlanJson.write(plan);
        String planDigest = Digest.sha256(planJson.getBytes(StandardCharsets.UTF_8)).toString();
        String claimKey = plan.tag();
        Optional<Outcome> early = obviousConflict(plan, planDigest, options);
        if (early.isPresent()) {
            return early.get(); // no run is recorded for a release that has nothing to do
        }
        // the claim points at the run, so the run is recorded first; a refused run ends as cancelled
        Run run = ledger.startRun(new NewRun(kind, plan.project(), plan.version(), plan.tag(), plan.channel(), planDigest,
                record(request, planJson, extra), plan.jobs().stream().map(j -> new JobSeed(j.id(), j.kind())).toList(), host, pid()));
        Claim claim = ledger.claim(plan.project(), claimKey, run.id(), options.staleAfter(), plan.rolling());
        if (!claim.granted()) {
            ledger.finishRun(run.id(), RunState.CANCELLED);
            return refusedBy(claim.holder().orElseThrow(), plan, planDigest);
        }
        return execute(spec, plan, run.id(), Map.of(), options);
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
        List<Run> runs = ledger.runsOf(candidate.project(), candidate.version()).stream()
                .filter(r -> r.kind().publishes() && r.tag().equals(candidate.tag())).toList();
        boolean passed = runs.stream().anyMatch(r -> r.state() == RunState.SUCCEEDED);
        if (!passed && !force) {
            String last = runs.isEmpty() ? "it was never released here"
                    : "its last run " + runs.get(runs.size() - 1).id() + " ended " + runs.get(runs.size() - 1).state().name().toLowerCase();
            return new Outcome(Status.REFUSED, null, "cannot promote " + candidate.tag() + ": " + last + "; a candidate is promoted"
                    + " only after its release and validations succeeded (--force overrides, and the ledger records it)", target, List.of());
        }
        Map<String, Action.Source> sources = new LinkedHashMap<>();
        for (Job index : target.jobsOfKind("index")) {
            Publication published = candidate.publications().stream()
                    .filter(p -> p.kind().equals("push") && p.image().equals(index.entry()) && p.matrix().equals(index.matrix()))
                    .findFirst().orElseThrow(() -> new PlanException("image " + index.entry() + " " + index.matrix()
                            + " has no publication in " + candidate.tag() + " to promote; it would have to be built"));
            String tag = published.tags().stream().filter(t -> !published.floating().contains(t) && !published.rolling().contains(t))
                    .findFirst().orElseThrow(() -> new PlanException(candidate.tag() + " publishes " + published.repository()
                            + " under no immutable tag to promote from"));
            Action.Push push = (Action.Push) candidate.job(published.job()).orElseThrow().action();
            sources.put(index.id(), new Action.Source(published.repository(), tag, push.access()));
        }
        Plan plan = target.promoting(sources);
        preflight(plan);
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("promotedFrom", candidate.tag());
        extra.put("forced", force && !passed);
        return start(spec, to, plan, options, extra, dev.cutter.ledger.RunKind.PROMOTION);
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
        Instant stale = Instant.now().minus(options.staleAfter());
        for (Run other : ledger.runsOf(plan.project(), plan.version())) {
            if (!other.kind().publishes() || !other.tag().equals(plan.tag())) {
                continue;
            }
            if ((other.state() == RunState.SUCCEEDED && !plan.rolling())
                    || (other.state() == RunState.RUNNING && other.heartbeat().isAfter(stale))) {
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
        return execute(spec, plan, run.id(), restore(spec, run.id()), options);
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

    /** Runs the plan; {@code restored} are jobs an earlier attempt of this run finished, with their outputs. */
    private Outcome execute(Spec spec, Plan plan, String runId, Map<String, List<Output>> restored, Options options)
            throws InterruptedException {
        Artifacts artifacts = new Artifacts();
        restored.forEach(artifacts::put);
        Masker masker = new Masker();
        Secrets secrets = new Secrets(environment, spec.directory(), masker);
        Path project = spec.directory();
        Scheduler.Environment env = new Scheduler.Environment(runId, plan, project, project.resolve("dist"), secrets,
                sourceDate(plan, project), cancellation);
        int parallel = spec.execution().parallel() > 0 ? spec.execution().parallel() : options.parallel();
        boolean failFast = options.failFast().orElse(spec.execution().failFast());
        Scheduler scheduler = new Scheduler(env, handlers, new LedgerRecorder(ledger, runId, masker), listener,
                Scheduler.Options.of(parallel, failFast), artifacts);
        List<JobResult> results = scheduler.execute(restored.keySet());
        Status status = status(results);
        ledger.finishRun(runId, switch (status) {
            case RELEASED, NOTHING_TO_DO -> RunState.SUCCEEDED;
            case CANCELLED -> RunState.CANCELLED;
            default -> RunState.FAILED;
        });
        String message = options.buildOnly() ? buildSummary(status, plan, results) : summary(status, plan, runId, results);
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
    private Instant sourceDate(Plan plan, Path project) {
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

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
