package dev.cutter.cli;

import dev.cutter.app.Services;
import dev.cutter.ledger.JobState;
import dev.cutter.ledger.Ledger;
import dev.cutter.run.Cancellation;
import dev.cutter.run.JobResult;
import dev.cutter.run.Outcome;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * How a command that runs a plan (release, promote, verify, trigger) shows it: live progress,
 * every job's output with {@code -v}, and its outcome as a summary or, with {@code --json}, one
 * JSON document. A failed job is told with the last lines of its (masked) output and the command
 * that shows all of it.
 */
final class RunOutput {
    /** How many of a failed job's last output lines its summary shows. */
    static final int TAIL = 10;

    @Option(names = {"-v", "--verbose"}, description = "Show every job's output as it runs.")
    boolean verbose;

    @Mixin
    JsonOption json = new JsonOption();

    boolean json() {
        return json.json;
    }

    /** The progress a run shows: none under {@code --json} (the outcome is the output), live on a terminal. */
    Progress progress(Wiring wiring) {
        return wiring.progress(json(), verbose);
    }

    /** A run's work on its ledger: its jobs report to {@code progress}, and Ctrl-C fires {@code cancellation}. */
    @FunctionalInterface
    interface Work<T> {
        T run(Ledger ledger, Progress progress, Cancellation cancellation) throws InterruptedException;
    }

    /** How a run's ledger is opened around its work: the spec's, or a throwaway one for a build only. */
    @FunctionalInterface
    interface Ledgers<T> {
        T with(Services.LedgerWork<T> work) throws InterruptedException;
    }

    /** What a command tells of a run's {@code result} once its progress has ended; the exit code. */
    @FunctionalInterface
    interface Told<T> {
        int tell(T result, Progress progress) throws Exception;
    }

    /** As {@link #run(Wiring, Ledgers, Work, Told)}, on the ledger of {@code project}'s spec, opened by {@code services}. */
    <T> int run(Project project, Services services, Work<T> work, Told<T> told) throws Exception {
        return run(project, w -> services.withLedger(project.ledgerLocation(), w), work, told);
    }

    /**
     * A command's run: {@code work} on the ledger {@code ledgers} opens, with its progress shown and
     * Ctrl-C cancelling it; then, the progress ended, {@code told} tells the result while an
     * interruption still waits for the command to end (an audit or a summary is never cut short).
     */
    <T> int run(Wiring wiring, Ledgers<T> ledgers, Work<T> work, Told<T> told) throws Exception {
        try (Interruption interruption = Interruption.install(); Progress progress = progress(wiring)) {
            T result = ledgers.with(ledger -> work.run(ledger, progress, interruption.cancellation()));
            progress.close();
            return told.tell(result, progress);
        }
    }

    /**
     * The outcome: as JSON under {@code --json}, else the published targets, each failed job
     * with the end of its output, and the outcome's message; where the run is {@code recorded},
     * the {@code cutter runs logs} command that shows a failed job's whole output.
     */
    void print(PrintWriter out, Outcome outcome, Progress progress, Recorded recorded) {
        if (json()) {
            JsonOption.print(out, json(outcome, progress));
            return;
        }
        out.println();
        if (!outcome.jobs().isEmpty() && !outcome.effects().isEmpty()) {
            Published.print(out, outcome.effects());
        }
        for (JobResult r : outcome.jobs()) {
            if (r.state() == JobState.FAILED) {
                out.println("failed: " + r.jobId() + ": " + r.detail());
                List<String> tail = progress.tail(r.jobId(), TAIL);
                tail.forEach(line -> out.println("  | " + line));
                if (outcome.runId() != null && recorded != null && !r.detail().contains("cutter runs logs")) { // a shell job's detail names it
                    out.println("  " + (tail.isEmpty() ? "its output" : "all of its output") + ": "
                            + recorded.logsCommand(outcome.runId(), r.jobId()));
                }
            }
        }
        out.println(outcome.message());
        out.flush();
    }

    /** The outcome as {@code --json} prints it (docs/cli.md#json). */
    static Map<String, Object> json(Outcome outcome, Progress progress) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", outcome.status());
        body.put("run", outcome.runId());
        body.put("message", outcome.message());
        body.put("jobs", outcome.jobs().stream().map(j -> {
            Map<String, Object> job = new LinkedHashMap<>();
            job.put("id", j.jobId());
            job.put("state", j.state());
            job.put("detail", j.detail());
            job.put("seconds", j.elapsed().toMillis() / 1000.0);
            if (j.state() == JobState.FAILED) {
                job.put("log", progress.tail(j.jobId(), TAIL));
            }
            return job;
        }).toList());
        return body;
    }

    /** Where a run is recorded, as the command line named it: the spec ({@code -f}) and the ledger ({@code --ledger}, or null). */
    record Recorded(Path spec, String ledger) {
        /** {@code cutter runs logs RUN JOB}, with the spec and ledger options the command was given (a ledger's password never). */
        String logsCommand(String runId, String jobId) {
            StringBuilder command = new StringBuilder("cutter runs logs " + runId + " " + jobId);
            if (spec != null && !spec.toString().equals("cutter.yaml")) {
                command.append(" -f ").append(spec);
            }
            if (ledger != null) {
                command.append(" --ledger ").append(dev.cutter.ledger.Ledger.shown(ledger));
            }
            return command.toString();
        }
    }
}
