package dev.cutter.run;

import dev.cutter.content.Digest;
import dev.cutter.content.Staging;
import dev.cutter.ledger.Artifact;
import dev.cutter.ledger.Claim;
import dev.cutter.ledger.JobSeed;
import dev.cutter.ledger.JobState;
import dev.cutter.ledger.Ledger;
import dev.cutter.ledger.NewRun;
import dev.cutter.ledger.Run;
import dev.cutter.ledger.RunKind;
import dev.cutter.ledger.RunState;
import dev.cutter.plan.Job;
import dev.cutter.plan.Plan;
import dev.cutter.plan.PlanException;
import dev.cutter.plan.PlanJson;
import dev.cutter.run.Outcome.Status;
import dev.cutter.spec.Spec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the release, promotion, verification, resumption and emission services share: runs
 * recorded in the ledger with their publications claimed, executed by the scheduler, and summed up.
 */
public final class Runs {
    final Ledger ledger;
    private final Map<String, JobHandler> handlers;
    private final Map<String, String> environment;
    private final RunListener listener;
    private final Cancellation cancellation;
    private final Clock clock;
    final String host;
    private final dev.cutter.plan.Planner planner;
    private final ReadBack readBack;

    /** @param readBack what a run reads back from its targets before it reports success */
    public Runs(Ledger ledger, dev.cutter.plan.Planner planner, Map<String, JobHandler> handlers, Map<String, String> environment,
            RunListener listener, Cancellation cancellation, Clock clock, ReadBack readBack) {
        this.ledger = ledger;
        this.readBack = readBack;
        this.planner = planner;
        this.handlers = handlers;
        this.environment = environment;
        this.listener = listener;
        this.cancellation = cancellation;
        this.clock = clock;
        this.host = hostName();
    }

    /** The environment secrets and credentials are read from. */
    Map<String, String> environment() {
        return environment;
    }

    /** The plan of {@code spec} for {@code request}. */
    dev.cutter.plan.Plan plan(Spec spec, dev.cutter.plan.ReleaseRequest request) {
        return planner.plan(spec, dev.cutter.plan.ReleaseContext.resolve(spec, request));
    }

    /** How a run's summary reads. */
    enum Summary { RELEASE, BUILD }

    /** Records a run of {@code plan}, claims its publications, and executes it. */
    Outcome start(Spec spec, RunRecord record, RunOptions options, RunKind kind) throws InterruptedException {
        return start(spec, record, options, kind, PlanClaims.of(record.plan()));
    }

    /** As {@link #start(Spec, RunRecord, RunOptions, RunKind)}, claiming {@code claims} (a promotion's are its target's). */
    Outcome start(Spec spec, RunRecord record, RunOptions options, RunKind kind, PlanClaims claims) throws InterruptedException {
        Recorded recorded = record(record, options, kind, Optional.empty(), claims);
        return recorded.refusal().isPresent() ? recorded.refusal().get()
                : execute(spec, record.plan(), recorded.runId(), new Artifacts(), recorded.published(), options,
                        options.buildOnly() ? Summary.BUILD : Summary.RELEASE);
    }

    /**
     * A run recorded with its publications claimed, or why none was.
     *
     * @param published the jobs of the publications other runs published exactly as planned, with why
     *                  they are not run again: the run goes on from there
     */
    record Recorded(String runId, Optional<Outcome> refusal, Map<String, String> published) {}

    Recorded record(RunRecord record, RunOptions options, RunKind kind, Optional<Duration> lease) {
        return record(record, options, kind, lease, PlanClaims.of(record.plan()));
    }

    Recorded record(RunRecord record, RunOptions options, RunKind kind, Optional<Duration> lease, PlanClaims claims) {
        Plan plan = record.plan();
        String planDigest = digest(plan);
        convertWholeVersionClaim(plan);
        Claim standing = ledger.standing(plan.project(), plan.tag(), claims.fingerprints(), options.staleAfter(), plan.rolling());
        Optional<Outcome> early = settled(standing, plan, planDigest);
        if (early.isPresent()) {
            return new Recorded(null, early, Map.of()); // no run is recorded for a release that has nothing to do
        }
        // the claims point at the run, so the run is recorded first; a refused run ends as cancelled
        Run run = ledger.startRun(new NewRun(kind, plan.project(), plan.version(), plan.tag(), plan.channel(), planDigest,
                record.json(), plan.jobs().stream().map(j -> new JobSeed(j.id(), j.kind())).toList(), host, pid(), lease));
        Claim claim = ledger.claim(plan.project(), plan.tag(), run.id(), claims.fingerprints(), options.staleAfter(), plan.rolling());
        Optional<Outcome> refusal = settled(claim, plan, planDigest);
        if (refusal.isPresent()) {
            ledger.finishRun(run.id(), RunState.CANCELLED);
            return new Recorded(run.id(), refusal, Map.of());
        }
        Map<String, String> published = new LinkedHashMap<>();
        for (Claim.Standing done : claim.in(Claim.State.PUBLISHED)) {
            String job = claims.named(done.publication()).job();
            if (job.isEmpty()) {
                continue; // the whole version: published alone, so nothing is left to run (settled above)
            }
            String why = "published by run " + done.holder().orElseThrow().id() + " as planned";
            ledger.jobFinished(run.id(), job, JobState.SKIPPED, Optional.of(why), List.of(), List.of());
            published.put(job, why);
        }
        return new Recorded(run.id(), Optional.empty(), published);
    }

    /**
     * A run of an older Cutter claimed {@code plan}'s whole version and succeeded: its claim
     * becomes the claims of the publications its recorded plan made, so a release goes on from
     * what it published.
     */
    private void convertWholeVersionClaim(Plan plan) {
        ledger.wholeVersionClaim(plan.project(), plan.tag()).filter(r -> r.state().isFinal()).ifPresent(holder -> {
            Map<String, String> made = Map.of();
            if (holder.state() == RunState.SUCCEEDED) {
                try {
                    made = PlanClaims.of(recordOf(holder).plan()).fingerprints();
                } catch (PlanException unreadable) {
                    // a plan this Cutter cannot read: it published the whole version, unlike any plan made now
                    made = Map.of(Claim.WHOLE_VERSION, holder.planDigest());
                }
            }
            ledger.convertWholeVersionClaim(plan.project(), plan.tag(), holder.id(), made);
        });
    }

    /** Records a run of only the jobs in {@code seeded}, claiming nothing: a verification. */
    String recordUnclaimed(RunRecord record, RunKind kind, Set<String> seeded) {
        Plan plan = record.plan();
        return ledger.startRun(new NewRun(kind, plan.project(), plan.version(), plan.tag(), plan.channel(), digest(plan), record.json(),
                plan.jobs().stream().filter(j -> seeded.contains(j.id())).map(j -> new JobSeed(j.id(), j.kind())).toList(), host, pid()))
                .id();
    }

    static String digest(Plan plan) {
        Digest.Counting digest = new Digest.Counting(java.io.OutputStream.nullOutputStream());
        try {
            PlanJson.write(plan, digest);
        } catch (IOException e) {
            throw new IllegalStateException("a plan always serializes", e);
        }
        return digest.digest().toString();
    }

    /** The newest succeeded release or promotion run of {@code plan}'s tag in this ledger. */
    Optional<Run> newestRelease(Plan plan) {
        return ledger.runsOf(plan.project(), plan.version()).stream()
                .filter(r -> r.kind().publishes() && r.state() == RunState.SUCCEEDED && r.tag().equals(plan.tag())).findFirst();
    }

    /** What the ledger keeps of {@code run}. */
    RunRecord recordOf(Run run) {
        try {
            return RunRecord.read(ledger.planJson(run.id()).orElseThrow());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new PlanException("the ledger's record of this run is unreadable: " + e.getOriginalMessage());
        }
    }

    /** What each job of {@code runId} made, by job, as the ledger recorded it. */
    Map<String, List<Artifact>> outputs(String runId) {
        Map<String, List<Artifact>> byJob = new LinkedHashMap<>();
        for (Artifact a : ledger.artifacts(runId)) {
            byJob.computeIfAbsent(a.jobId(), k -> new ArrayList<>()).add(a);
        }
        return byJob;
    }

    /**
     * What a claim (or the standing before one) settles before anything runs: a publication
     * another live run is publishing or a succeeded one published with other content refuses the
     * run; every publication published as planned leaves nothing to do; else empty, and the run
     * goes on.
     */
    Optional<Outcome> settled(Claim claim, Plan plan, String planDigest) {
        String what = plan.project() + " " + plan.version() + " (tag " + plan.tag() + ")";
        List<Claim.Standing> busy = claim.in(Claim.State.BUSY);
        if (!busy.isEmpty()) {
            Run holder = busy.getFirst().holder().orElseThrow();
            return Optional.of(Outcome.early(Status.REFUSED, holder.id(), "run " + holder.id() + " (pid " + holder.pid() + " on "
                    + holder.host() + ", started " + holder.started() + ") is releasing " + what + " right now"
                    + holding(busy, holder) + "; wait for it, or resume it with `cutter release --resume " + holder.id()
                    + "` once it has stopped", plan));
        }
        List<Claim.Standing> conflicts = claim.in(Claim.State.CONFLICT);
        if (!conflicts.isEmpty()) {
            Run holder = conflicts.getFirst().holder().orElseThrow();
            if (plan.component().isPresent()) {
                // the release's own pin and revert commits moved HEAD, and {sha} with it; the module
                // tag is out and never moves, so there is nothing a second run could do
                return Optional.of(Outcome.early(Status.NOTHING_TO_DO, holder.id(), "component " + plan.component().get() + " "
                        + plan.version() + " was already released by run " + holder.id() + " (tag " + plan.tag()
                        + ", which never moves); nothing to do", plan));
            }
            String differently = conflicts.size() == 1 && conflicts.getFirst().publication().equals(Claim.WHOLE_VERSION)
                    ? " with a different plan"
                    : " with other content than this plan makes: " + String.join(", ", conflicts.stream()
                            .map(c -> PlanClaims.shown(c.publication()) + byOther(c, holder)).toList());
            return Optional.of(Outcome.early(Status.REFUSED, holder.id(), what + " was already released by run " + holder.id()
                    + origin(holder) + differently + "; a version is immutable once released (release a new version, or declare"
                    + " the channel rolling)", plan));
        }
        if (claim.allPublished()) {
            List<String> holders = claim.publications().stream().map(s -> s.holder().orElseThrow().id()).distinct().toList();
            Run holder = claim.publications().getFirst().holder().orElseThrow();
            String how = holders.size() == 1 && holder.planDigest().equals(planDigest) ? " with this exact plan"
                    : holders.size() == 1 ? origin(holder) + ", each of its " + claim.publications().size()
                            + " publications as this plan makes it"
                    : " and runs " + String.join(", ", holders.subList(1, holders.size())) + ", each of its "
                            + claim.publications().size() + " publications as this plan makes it";
            return Optional.of(Outcome.early(Status.NOTHING_TO_DO, holder.id(), what + " was already released by run " + holder.id()
                    + how + "; nothing to do", plan));
        }
        return Optional.empty();
    }

    /** What a busy claim's holder holds, when it is not the whole version. */
    private static String holding(List<Claim.Standing> busy, Run holder) {
        List<String> held = busy.stream().filter(s -> s.holder().orElseThrow().id().equals(holder.id()))
                .map(Claim.Standing::publication).filter(p -> !p.equals(Claim.WHOLE_VERSION)).map(PlanClaims::shown).toList();
        return held.isEmpty() ? "" : " (it holds " + String.join(", ", held) + ")";
    }

    private static String byOther(Claim.Standing conflict, Run first) {
        Run holder = conflict.holder().orElseThrow();
        return holder.id().equals(first.id()) ? "" : " by run " + holder.id();
    }

    /** How a run published, when that is not by releasing: {@code , a promotion of TAG}. */
    private String origin(Run run) {
        if (run.kind() != RunKind.PROMOTION) {
            return "";
        }
        try {
            return recordOf(run).origin() instanceof RunRecord.Promoted p ? " (a promotion of " + p.from() + ")" : "";
        } catch (PlanException unreadable) {
            return " (a promotion)";
        }
    }

    /**
     * What an execution reports: the run's status and results, for the service to sum up, and what
     * its last read found moved under it.
     */
    record Executed(Status status, List<JobResult> results, ReadBack.Found readBack) {}

    /**
     * Runs the plan but the jobs in {@code done} (an earlier attempt of this run finished them, or
     * the release a verification checks made them), whose outputs are in {@code artifacts}.
     */
    Outcome execute(Spec spec, Plan plan, String runId, Artifacts artifacts, Set<String> done, RunOptions options, Summary summary)
            throws InterruptedException {
        return execute(spec, plan, runId, artifacts, earlierAttempt(done), options, summary);
    }

    /** As above, each job of {@code done} with why it does not run. */
    Outcome execute(Spec spec, Plan plan, String runId, Artifacts artifacts, Map<String, String> done, RunOptions options,
            Summary summary) throws InterruptedException {
        Executed executed = run(spec, plan, runId, artifacts, done, options);
        String message = summary == Summary.BUILD ? buildSummary(executed.status(), plan, executed.results())
                : executed.readBack().clean() ? summary(executed.status(), plan, runId, executed.results())
                : readBackSummary(executed.readBack(), plan, runId);
        return outcome(executed, runId, message, plan);
    }

    Outcome outcome(Executed executed, String runId, String message, Plan plan) {
        return new Outcome(executed.status(), runId, message, plan, executed.results(), ledger.effects(runId));
    }

    Executed run(Spec spec, Plan plan, String runId, Artifacts artifacts, Set<String> done, RunOptions options)
            throws InterruptedException {
        return run(spec, plan, runId, artifacts, earlierAttempt(done), options);
    }

    private static final String EARLIER_ATTEMPT = "done in an earlier attempt of this run";

    private static Map<String, String> earlierAttempt(Set<String> done) {
        Map<String, String> why = new LinkedHashMap<>();
        done.forEach(id -> why.put(id, EARLIER_ATTEMPT));
        return why;
    }

    Executed run(Spec spec, Plan plan, String runId, Artifacts artifacts, Map<String, String> done, RunOptions options)
            throws InterruptedException {
        listener.runStarted(runId, plan.jobs().size() - (int) done.values().stream().filter(EARLIER_ATTEMPT::equals).count());
        Masker masker = new Masker();
        Secrets secrets = new Secrets(environment, spec.directory(), masker);
        Path project = spec.directory();
        Scheduler.Environment env = new Scheduler.Environment(runId, plan, project, project.resolve("dist"), secrets,
                sourceDate(environment, plan, project), cancellation);
        int parallel = spec.execution().parallel() > 0 ? spec.execution().parallel() : options.parallel();
        boolean failFast = options.failFast().orElse(spec.execution().failFast());
        Scheduler scheduler = new Scheduler(env, handlers, new LedgerRecorder(ledger, runId, masker), listener,
                Scheduler.Options.of(parallel, failFast), artifacts);
        removeStaging(project, runId, options);
        Map<String, JobResult> earlier = new LinkedHashMap<>();
        done.forEach((id, why) -> plan.job(id).ifPresent(job -> {
            earlier.put(id, new JobResult(id, job.kind(), JobState.SKIPPED, why, Duration.ZERO, Optional.empty()));
            if (!why.equals(EARLIER_ATTEMPT)) { // what another run did is news; an earlier attempt's was told then
                listener.jobFinished(job, JobState.SKIPPED, why, Duration.ZERO);
            }
        }));
        List<JobResult> results;
        try {
            results = scheduler.execute(earlier, false);
        } finally {
            removeStaging(project, runId, options); // every job has ended: nothing it staged is needed
        }
        Status status = status(results);
        ReadBack.Found found = new ReadBack.Found(List.of(), List.of());
        if (status == Status.RELEASED) {
            // the last word before success: every tag this run decided, read back where it put it
            found = readBack.check(plan, ledger.effects(runId), project, secrets);
            if (!found.clean()) {
                List<String> lines = new ArrayList<>();
                found.moved().forEach(m -> lines.add("moved under this run: " + m));
                found.unread().forEach(u -> lines.add("could not be read back: " + u));
                ledger.log(runId, READ_BACK, "stderr", lines);
                status = found.moved().isEmpty() ? Status.FAILED : Status.REFUSED;
            }
        }
        ledger.finishRun(runId, switch (status) {
            case RELEASED, NOTHING_TO_DO -> RunState.SUCCEEDED;
            case CANCELLED -> RunState.CANCELLED;
            default -> RunState.FAILED;
        });
        return new Executed(status, results, found);
    }

    /**
     * Removes what this run staged (on a resume: what its killed attempt left, half-written files
     * among them) and what runs the ledger knows to be over left; the stagings of live runs, of
     * runs this ledger does not know and of live processes stay.
     */
    private void removeStaging(Path project, String runId, RunOptions options) {
        Instant now = clock.instant();
        try {
            Staging.sweep(project, owner -> owner.equals(runId)
                    || ledger.run(owner).filter(run -> !run.alive(now, options.staleAfter())).isPresent());
        } catch (IOException | RuntimeException e) {
            // a leftover the next run removes; never a reason to fail this one
        }
    }

    /**
     * How the run ended. A cancellation (Ctrl-C, SIGTERM) that stopped or kept back a job makes it
     * cancelled; one that came when every job had already ended stopped nothing, and the run ended as its jobs did.
     */
    private Status status(List<JobResult> results) {
        if (cancellation.isCancelled() && results.stream().anyMatch(r -> r.state() == JobState.CANCELLED)) {
            return Status.CANCELLED;
        }
        Status status = Status.RELEASED;
        for (JobResult r : results) {
            if (r.failure().isPresent()) {
                Status s = Status.of(r.failure().get());
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

    /** The name a run's last read is logged under, beside its jobs. */
    static final String READ_BACK = "read-back";

    private static String readBackSummary(ReadBack.Found found, Plan plan, String runId) {
        String what = plan.project() + " " + plan.version();
        List<String> lines = new ArrayList<>();
        if (!found.moved().isEmpty()) {
            lines.add("release of " + what + " refused (run " + runId + "): every job succeeded, but "
                    + (found.moved().size() == 1 ? "a tag it decided" : found.moved().size() + " tags it decided")
                    + " moved before it ended: another writer tagged over it, which a registry cannot refuse, so this run does not"
                    + " count as released:");
            found.moved().forEach(m -> lines.add("  " + m));
        } else {
            lines.add("release of " + what + " failed (run " + runId + "): every job succeeded, but its tags could not all be read back:");
        }
        found.unread().forEach(u -> lines.add("  " + u));
        return String.join("\n", lines);
    }

    private static String buildSummary(Status status, Plan plan, List<JobResult> results) {
        String what = plan.project() + " " + plan.version() + " (" + results.size() + " jobs)";
        return switch (status) {
            case RELEASED, NOTHING_TO_DO -> "built " + what + "; nothing was pushed, published or claimed";
            case CANCELLED -> "cancelled the build of " + what;
            default -> "the build of " + what + " failed: " + counts(results);
        };
    }

    static String counts(List<JobResult> results) {
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
            case RELEASED -> "released " + what + " (run " + runId + "): " + counts
                    + (plan.jobs().stream().anyMatch(j -> dev.cutter.plan.Kind.of(j).traits().published()) ? ""
                            : "; it published nothing: channel '" + plan.channel() + "' plans no publication");
            case NOTHING_TO_DO -> what + " is already released: " + counts;
            case CANCELLED -> "cancelled " + what + " (run " + runId + "): " + counts + "; resume with `cutter release --resume " + runId + "`";
            default -> "release of " + what + " failed (run " + runId + "): " + counts + "; fix the cause, then `cutter release --resume " + runId + "`";
        };
    }

    /** Refuses before anything happens when a job cannot run here (a kind or target not supported yet). */
    void preflight(Spec spec, Plan plan) {
        List<String> problems = new ArrayList<>();
        for (Job job : plan.jobs()) {
            JobHandler handler = handlers.get(job.kind());
            if (handler == null) {
                problems.add(job.id() + ": Cutter cannot run jobs of kind '" + job.kind() + "' yet");
            } else {
                handler.problem(job, spec.directory()).ifPresent(problem -> problems.add(job.id() + ": " + problem));
            }
        }
        if (!problems.isEmpty()) {
            throw new PlanException("this plan cannot run here; nothing was done:\n  " + String.join("\n  ", problems)
                    + "\nleave those jobs out with --only, or change their targets");
        }
    }

    /**
     * Refuses before anything happens when a secret a job of {@code plan} refers to cannot be
     * resolved here: every one is named, with its job. A notification's own secrets are left to it
     * (a notification is best effort and never stops a release).
     */
    void secretsResolve(Spec spec, Plan plan) {
        Secrets secrets = new Secrets(environment, spec.directory(), new Masker());
        java.util.Set<String> problems = new java.util.LinkedHashSet<>();
        for (Job job : plan.jobs()) {
            if (dev.cutter.plan.Kind.traitsOf(job).notification()) {
                continue;
            }
            texts(dev.cutter.plan.PlanJson.mapper().valueToTree(job.action()), text -> secrets.problems(text)
                    .forEach(problem -> problems.add(job.id() + ": " + problem)));
        }
        if (!problems.isEmpty()) {
            throw new PlanException("a secret this release needs cannot be read here; nothing was done:\n  "
                    + String.join("\n  ", problems));
        }
    }

    private static void texts(com.fasterxml.jackson.databind.JsonNode node, java.util.function.Consumer<String> text) {
        if (node.isTextual()) {
            text.accept(node.asText());
        }
        node.forEach(child -> texts(child, text));
    }

    /**
     * Whether every target {@code plan} publishes to answers and accepts the release's
     * credentials with the rights its jobs need, asked before any job runs: each kind asks its own
     * targets ({@link TargetProbe}), every distinct target once, all at once, each within
     * {@link #ASKED_WITHIN}. A wrong address or a refused login is told in seconds, not after the
     * builds and a minute of retries. Local targets are not asked.
     *
     * @return why not, naming each target, or empty when they all answer
     */
    Optional<String> targetsAnswer(Spec spec, Plan plan) throws InterruptedException {
        java.util.Set<String> noted = java.util.concurrent.ConcurrentHashMap.newKeySet();
        TargetProbe.Context context = new TargetProbe.Context(new Secrets(environment, spec.directory(), new Masker()),
                spec.directory(), environment, plan.jobs(), (target, note) -> {
                    if (noted.add(target + ": " + note)) {
                        listener.targetNote(target, note);
                    }
                });
        Map<String, TargetProbe.Question> questions = new LinkedHashMap<>();
        for (Job job : plan.jobs()) {
            JobHandler handler = handlers.get(job.kind());
            if (handler != null) {
                handler.question(job, context).ifPresent(q -> questions.putIfAbsent(q.target(), q));
            }
        }
        List<String> problems = new ArrayList<>();
        try (var asking = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            Map<String, java.util.concurrent.Future<Optional<String>>> answers = new LinkedHashMap<>();
            questions.forEach((target, q) -> answers.put(target, asking.submit(q.ask()::ask)));
            long deadline = System.nanoTime() + ASKED_WITHIN.toNanos();
            for (var answer : answers.entrySet()) {
                try {
                    answer.getValue().get(Math.max(0, deadline - System.nanoTime()), java.util.concurrent.TimeUnit.NANOSECONDS)
                            .ifPresent(problem -> problems.add(answer.getKey() + ": " + problem));
                } catch (java.util.concurrent.TimeoutException e) {
                    answer.getValue().cancel(true);
                    problems.add(answer.getKey() + ": no answer within " + ASKED_WITHIN.toSeconds() + " s");
                } catch (java.util.concurrent.ExecutionException e) {
                    Throwable cause = e.getCause();
                    problems.add(answer.getKey() + ": " + (cause.getMessage() != null ? cause.getMessage() : cause.toString()));
                }
            }
            asking.shutdownNow();
        }
        return problems.isEmpty() ? Optional.empty() : Optional.of("a target this release reads or publishes to does not"
                + " answer or refuses the credentials; nothing was done:\n  " + String.join("\n  ", problems));
    }

    /**
     * Whether everything outside the release that {@code plan}'s jobs need is there (the upstream
     * releases of {@code requires:}), waited for all at once, each up to its {@code wait:}, what it
     * waits for told as a target's note ({@link Awaiting}, {@link dev.cutter.run.requires.Requirements}).
     *
     * @return why not, naming each one missing, or empty when all are there
     */
    Optional<String> requirementsMet(Spec spec, Plan plan) throws InterruptedException {
        return requirementsMet(spec, List.of(plan));
    }

    /** Whether everything outside the releases that {@code plans}' jobs need is there, all of it waited for in one wait. */
    Optional<String> requirementsMet(Spec spec, List<Plan> plans) throws InterruptedException {
        List<dev.cutter.run.requires.Requirement> requirements = new ArrayList<>();
        for (Plan plan : plans) {
            TargetProbe.Context context = new TargetProbe.Context(new Secrets(environment, spec.directory(), new Masker()),
                    spec.directory(), environment, plan.jobs(), (target, note) -> { });
            for (Job job : plan.jobs()) {
                JobHandler handler = handlers.get(job.kind());
                if (handler != null) {
                    handler.requirement(job, context).ifPresent(requirements::add);
                }
            }
        }
        if (requirements.isEmpty()) {
            return Optional.empty();
        }
        return dev.cutter.run.requires.Requirements.missing(dev.cutter.run.requires.Requirements.waiting()
                .await(requirements, listener::targetNote));
    }

    /** How long the targets have to answer before the release's first job, all of them together. */
    static final Duration ASKED_WITHIN = Duration.ofSeconds(30);

    /** SOURCE_DATE_EPOCH, else the commit's time, else 1980-01-01 (the earliest a zip can hold): never "now". */
    static Instant sourceDate(Map<String, String> environment, Plan plan, Path project) {
        Optional<Instant> given = dev.cutter.content.SourceDateEpoch.of(environment);
        if (given.isPresent()) {
            return given.get();
        }
        return plan.sha().flatMap(sha -> dev.cutter.git.Checkout.commitTime(project, sha))
                .orElse(Instant.ofEpochSecond(315532800L));
    }

    static long pid() {
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
