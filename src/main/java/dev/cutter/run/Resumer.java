package dev.cutter.run;

import dev.cutter.content.Digest;
import dev.cutter.ledger.Artifact;
import dev.cutter.ledger.Claim;
import dev.cutter.ledger.JobRecord;
import dev.cutter.ledger.JobState;
import dev.cutter.ledger.Run;
import dev.cutter.ledger.RunState;
import dev.cutter.plan.Plan;
import dev.cutter.plan.PlanException;
import dev.cutter.plan.Planner;
import dev.cutter.plan.ReleaseContext;
import dev.cutter.plan.ReleaseRequest;
import dev.cutter.run.Outcome.Status;
import dev.cutter.spec.Spec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Resumes an interrupted run: the same request is planned again, the plan must be the same,
 * finished jobs whose outputs are still there are kept, and the rest runs.
 */
public final class Resumer {
    private final Runs runs;

    public Resumer(Runs runs) {
        this.runs = runs;
    }

    /** Resumes {@code runId} ({@code last} for the newest run): same request, same plan, unfinished jobs only. */
    public Outcome resume(Spec spec, String runId, RunOptions options) throws InterruptedException {
        Run run = (runId.equals("last") ? runs.ledger.latestRun() : runs.ledger.run(runId))
                .orElseThrow(() -> new PlanException("--resume " + runId + ": no such run in the ledger; `cutter runs list` shows them"));
        if (run.state() == RunState.SUCCEEDED) {
            return Outcome.early(Status.NOTHING_TO_DO, run.id(), "run " + run.id() + " already succeeded; nothing to resume", null);
        }
        RunRecord stored = runs.recordOf(run);
        if (stored.origin() instanceof RunRecord.Promoted promoted) {
            throw new PlanException("run " + run.id() + " promoted " + promoted.from() + "; promote it again"
                    + " (cutter promote --from " + promoted.from() + " …): what is published already is kept");
        }
        ReleaseRequest request = stored.request().orElseThrow(() -> new PlanException("run " + run.id()
                + " was recorded by another version of Cutter and cannot be resumed: its request is not one this version reads"));
        Plan plan = runs.plan(spec, request);
        java.util.Optional<String> otherData = otherData(stored.plan(), plan);
        if (otherData.isPresent()) {
            return Outcome.early(Status.REFUSED, run.id(), "run " + run.id() + " was planned from other data: " + otherData.get()
                    + "; resuming would publish something else — give the command the run's data back, or start a new release", null);
        }
        String planDigest = Runs.digest(plan);
        if (!planDigest.equals(run.planDigest())) {
            throw new PlanException("the plan of run " + run.id() + " changed since it started (the spec or its inputs were edited);"
                    + " resuming would publish something else — start a new release instead");
        }
        runs.preflight(spec, plan);
        PlanClaims claims = PlanClaims.of(plan);
        Claim claim = runs.ledger.claim(plan.project(), plan.tag(), run.id(), claims.fingerprints(), options.staleAfter(), plan.rolling());
        if (!claim.granted()) {
            return runs.settled(claim, plan, planDigest).orElseThrow();
        }
        runs.ledger.resumeRun(run.id(), runs.host, Runs.pid());
        Map<String, List<Artifact>> restored = restore(spec, run.id());
        Artifacts artifacts = new Artifacts();
        restored.forEach(artifacts::put);
        return runs.execute(spec, plan, run.id(), artifacts, restored.keySet(), options,
                options.buildOnly() ? Runs.Summary.BUILD : Runs.Summary.RELEASE);
    }

    /** The first matrix data file that {@code now} read with another digest than {@code then}, or did not read, named with both. */
    static java.util.Optional<String> otherData(Plan then, Plan now) {
        for (Map.Entry<String, String> file : then.data().entrySet()) {
            String digest = now.data().get(file.getKey());
            if (!file.getValue().equals(digest)) {
                return java.util.Optional.of(file.getKey() + " was " + file.getValue() + " and is "
                        + (digest == null ? "no longer read" : digest));
            }
        }
        return now.data().keySet().stream().filter(f -> !then.data().containsKey(f)).findFirst()
                .map(f -> f + " was not read and is " + now.data().get(f));
    }

    /** Jobs the run finished whose outputs are still there, byte for byte, with those outputs. */
    private Map<String, List<Artifact>> restore(Spec spec, String runId) {
        Map<String, List<Artifact>> byJob = new LinkedHashMap<>();
        for (Artifact a : runs.ledger.artifacts(runId)) {
            byJob.computeIfAbsent(a.jobId(), k -> new ArrayList<>()).add(a);
        }
        Map<String, List<Artifact>> restored = new LinkedHashMap<>();
        for (JobRecord job : runs.ledger.jobs(runId)) {
            if (job.state() != JobState.SUCCEEDED && job.state() != JobState.SKIPPED) {
                continue;
            }
            List<Artifact> outputs = new ArrayList<>();
            boolean intact = true;
            for (Artifact a : byJob.getOrDefault(job.jobId(), List.of())) {
                Path file = spec.directory().resolve(a.path());
                try {
                    intact &= Files.isRegularFile(file) && Digest.sha256(file).equals(a.digest());
                } catch (IOException e) {
                    intact = false;
                }
                outputs.add(a);
            }
            if (intact) {
                restored.put(job.jobId(), outputs);
            }
        }
        return restored;
    }

}
