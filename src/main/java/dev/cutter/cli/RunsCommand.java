package dev.cutter.cli;

import dev.cutter.ledger.Artifact;
import dev.cutter.ledger.Effect;
import dev.cutter.ledger.JobRecord;
import dev.cutter.ledger.Ledger;
import dev.cutter.ledger.LogLine;
import dev.cutter.ledger.Run;
import dev.cutter.ledger.RunState;
import dev.cutter.plan.PlanException;
import dev.cutter.run.RunRecord;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cutter runs}: what the ledger knows about runs, their jobs, effects and logs. */
@Command(footer = {"%nExamples:", "  cutter runs list", "  cutter runs show last", "  cutter runs logs last build/app", "  cutter runs watch last --json"},
        name = "runs", description = "Inspect recorded runs.",
        subcommands = {RunsCommand.List.class, RunsCommand.Show.class, RunsCommand.Logs.class, RunsCommand.Watch.class})
final class RunsCommand extends CommandGroup {

    /** A runs subcommand: the ledger opened, the subcommand's work on it, the output flushed. */
    abstract static class OnLedger implements Callable<Integer> {
        @Mixin
        Project project;

        @Mixin
        JsonOption json;

        @Override
        public final Integer call() throws Exception {
            PrintWriter out = project.out();
            try (Ledger ledger = project.openLedger()) {
                return call(ledger, out);
            } finally {
                out.flush();
            }
        }

        /** The subcommand's work on the open {@code ledger}, printing to {@code out}; its exit code. */
        abstract int call(Ledger ledger, PrintWriter out) throws Exception;
    }

    static Run find(Ledger ledger, String id) {
        return (id.equals("last") ? ledger.latestRun() : ledger.run(id))
                .orElseThrow(() -> new PlanException("no run '" + id + "' in the ledger; `cutter runs list` shows them"));
    }

    static String duration(Run run) {
        Instant end = run.finished().orElse(Instant.now());
        return Progress.format(Duration.between(run.started(), end));
    }

    @Command(name = "list", description = "The newest runs first.")
    static final class List extends OnLedger {
        @Option(names = "--limit", defaultValue = "20", description = "How many runs (default ${DEFAULT-VALUE}).")
        int limit;

        @Override
        int call(Ledger ledger, PrintWriter out) throws Exception {
            java.util.List<Run> runs = ledger.runs(limit);
            if (json.json) {
                out.println(JsonOption.mapper().writeValueAsString(runs));
            } else {
                out.printf("%-22s %-12s %-10s %-20s %-14s %-10s %s%n", "RUN", "KIND", "STATE", "PROJECT", "VERSION", "DURATION",
                        "STARTED");
                for (Run r : runs) {
                    out.printf("%-22s %-12s %-10s %-20s %-14s %-10s %s%n", r.id(), r.kind().name().toLowerCase(),
                            r.state().name().toLowerCase(), r.project(), r.version(), duration(r), r.started());
                }
            }
            return ExitCode.OK;
        }
    }

    @Command(name = "show", description = "A run's jobs and effects.")
    static final class Show extends OnLedger {
        @Parameters(paramLabel = "RUN", description = "The run's id, or `last`.")
        String id;

        @Override
        int call(Ledger ledger, PrintWriter out) throws Exception {
            Run run = find(ledger, id);
            java.util.List<JobRecord> jobs = ledger.jobs(run.id());
            java.util.List<Effect> effects = ledger.effects(run.id());
            var origin = ledger.planJson(run.id()).flatMap(RunsCommand::readRecord).map(RunRecord::origin);
            java.util.Optional<String> promotedFrom = origin.filter(o -> o instanceof RunRecord.Promoted)
                    .map(o -> ((RunRecord.Promoted) o).from());
            boolean forced = origin.filter(o -> o instanceof RunRecord.Promoted p && p.forced()).isPresent();
            if (json.json) {
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("run", run);
                promotedFrom.ifPresent(p -> {
                    body.put("promotedFrom", p);
                    body.put("forced", forced);
                });
                body.put("jobs", jobs);
                body.put("effects", effects);
                body.put("artifacts", ledger.artifacts(run.id()).stream().map(RunsCommand::artifact).toList());
                out.println(JsonOption.mapper().writeValueAsString(body));
            } else {
                out.printf("run %s: %s of %s %s (tag %s, channel %s) — %s after %s%n", run.id(), run.kind().name().toLowerCase(),
                        run.project(), run.version(), run.tag(), run.channel(), run.state().name().toLowerCase(), duration(run));
                origin.filter(o -> o instanceof RunRecord.Verifying).flatMap(o -> ((RunRecord.Verifying) o).verifies())
                        .ifPresent(r -> out.println("  verifies what run " + r + " published"));
                promotedFrom.ifPresent(p -> out.println("  promoted from " + p + (forced ? " with --force: its release or validation"
                        + " had not succeeded" : "")));
                int width = jobs.stream().mapToInt(j -> j.jobId().length()).max().orElse(10);
                for (JobRecord j : jobs) {
                    String took = j.started().isPresent() && j.finished().isPresent()
                            ? Progress.format(Duration.between(j.started().get(), j.finished().get())) : "";
                    out.printf("  %-" + width + "s  %-9s %3s %8s  %s%n", j.jobId(), j.state().name().toLowerCase(),
                            j.attempts() > 1 ? "×" + j.attempts() : "", took, j.detail().orElse(""));
                }
                if (!effects.isEmpty()) {
                    out.println("effects:");
                    for (Effect e : effects) {
                        out.printf("  %-10s %s %s%s%n", e.kind(), e.target(), e.after(), e.kind().equals(Effect.CONFIRMED) ? " (already there)"
                                : e.before().map(b -> " (was " + b + ")").orElse(""));
                    }
                }
            }
            return ExitCode.OK;
        }
    }

    @Command(name = "logs", description = "A run's log lines, of one job or all.")
    static final class Logs extends OnLedger {
        @Parameters(index = "0", paramLabel = "RUN", description = "The run's id, or `last`.")
        String id;

        @Parameters(index = "1", arity = "0..1", paramLabel = "JOB", description = "Only this job.")
        String job;

        @Override
        int call(Ledger ledger, PrintWriter out) throws Exception {
            Run run = find(ledger, id);
            long after = 0;
            while (true) {
                java.util.List<LogLine> lines = ledger.logs(run.id(), Optional.ofNullable(job), after, 1000);
                for (LogLine line : lines) {
                    out.println(json.json ? JsonOption.line(line)
                            : (job == null ? line.jobId() + " | " : "") + line.text());
                    after = line.seq();
                }
                if (lines.size() < 1000) {
                    break;
                }
            }
            return ExitCode.OK;
        }
    }

    @Command(name = "watch", description = "Follow a run live until it ends.")
    static final class Watch extends OnLedger {
        @Parameters(paramLabel = "RUN", description = "The run's id, or `last`.")
        String id;

        private static String event(Map<String, Object> fields) {
            return JsonOption.line(fields);
        }

        @Override
        int call(Ledger ledger, PrintWriter out) throws Exception {
            Run run = find(ledger, id);
            Map<String, String> seen = new LinkedHashMap<>();
            long after = 0;
            while (true) {
                for (JobRecord j : ledger.jobs(run.id())) {
                    String state = j.state().name().toLowerCase() + (j.attempts() > 1 ? " (attempt " + j.attempts() + ")" : "");
                    if (!state.equals(seen.put(j.jobId(), state)) && !state.equals("pending")) {
                        if (json.json) {
                            Map<String, Object> e = new LinkedHashMap<>();
                            e.put("job", j.jobId());
                            e.put("state", j.state().name().toLowerCase());
                            e.put("attempts", j.attempts());
                            j.detail().ifPresent(d -> e.put("detail", d));
                            out.println(event(e));
                        } else {
                            out.printf("%s %-9s %s%s%n", Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS), state,
                                    j.jobId(), j.detail().map(d -> ": " + d).orElse(""));
                        }
                    }
                }
                for (LogLine line : ledger.logs(run.id(), Optional.empty(), after, 1000)) {
                    out.println(json.json ? event(Map.of("job", line.jobId(), "stream", line.stream(), "line", line.text()))
                            : "  " + line.jobId() + " | " + line.text());
                    after = line.seq();
                }
                out.flush();
                run = ledger.run(run.id()).orElseThrow();
                if (run.state() != RunState.RUNNING) {
                    out.println(json.json ? event(Map.of("run", run.id(), "state", run.state().name().toLowerCase()))
                            : "run " + run.id() + " " + run.state().name().toLowerCase() + " after " + duration(run));
                    out.flush();
                    return run.state() == RunState.SUCCEEDED ? ExitCode.OK : ExitCode.JOB_FAILED;
                }
                Thread.sleep(500); // polling the ledger: another process writes it
            }
        }
    }

    private static java.util.Optional<RunRecord> readRecord(String json) {
        try {
            return java.util.Optional.of(RunRecord.read(json));
        } catch (com.fasterxml.jackson.core.JsonProcessingException | RuntimeException e) {
            return java.util.Optional.empty(); // an unreadable record shows as a plain run
        }
    }

    /** An artifact as its JSON has always read: every field in order, the path and digest as text. */
    private record ArtifactJson(String runId, String jobId, String name, String path, String digest, long size, String kind) {}

    private static ArtifactJson artifact(Artifact a) {
        return new ArtifactJson(a.runId(), a.jobId(), a.name(), a.path().toString(), a.digest().toString(), a.size(), a.kind());
    }
}
