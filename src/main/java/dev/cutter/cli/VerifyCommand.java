package dev.cutter.cli;

import dev.cutter.ledger.Ledger;
import dev.cutter.plan.PlanJson;
import dev.cutter.run.JobResult;
import dev.cutter.run.Releaser;
import dev.cutter.run.RunRecorder;
import dev.cutter.run.jobs.Jobs;
import dev.cutter.spec.Spec;
import dev.cutter.spec.SpecLoader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec.Target;

/** {@code cutter verify}: a released version's checks run again against its targets as they are now. */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Check a released version against its targets now: every tag in every replica at the released digest,"
                + " the declared platforms and labels, the release assets, the repositories; recorded in the ledger, gates promotion.")
final class VerifyCommand implements Callable<Integer> {
    @Mixin
    SpecOptions options;

    @Mixin
    ReleaseOptions release;

    @Mixin
    LedgerOptions ledgerOptions;

    @Option(names = {"-v", "--verbose"}, description = "Show every check's output as it runs.")
    boolean verbose;

    @Option(names = "--json", description = "Print the outcome as JSON.")
    boolean json;

    @picocli.CommandLine.Spec(Target.SELF)
    picocli.CommandLine.Model.CommandSpec command;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = command.commandLine().getOut();
        Spec spec = SpecLoader.load(options.file);
        boolean live = System.console() != null && !json && System.getenv("CI") == null;
        try (Interruption interruption = Interruption.install(); Ledger ledger = Ledger.open(ledgerOptions.location(options.file));
                Progress progress = new Progress(json ? new PrintWriter(OutputStream.nullOutputStream()) : out, live, verbose)) {
            Releaser releaser = new Releaser(ledger, Jobs.handlers(System.getenv()), System.getenv(), progress, interruption.cancellation());
            Releaser.Outcome outcome = releaser.verify(spec, release.request(options.file, spec), Releaser.Options.defaults());
            progress.close();
            var checks = outcome.jobs().stream().filter(j -> j.kind().equals("validate") || j.kind().equals("source"))
                    .filter(j -> !j.detail().startsWith("done in an earlier")).toList();
            if (json) {
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("status", outcome.status().name().toLowerCase());
                body.put("run", outcome.runId());
                body.put("message", outcome.message());
                body.put("checks", checks.stream().map(j -> Map.of("id", j.jobId(), "state", j.state().name().toLowerCase(),
                        "detail", j.detail())).toList());
                out.println(PlanJson.mapper().writeValueAsString(body));
            } else {
                out.println();
                for (JobResult check : checks) {
                    out.println((check.state() == RunRecorder.JobState.SUCCEEDED ? "ok      " : check.state().name().toLowerCase() + "  ")
                            + check.jobId() + ": " + check.detail());
                }
                out.println(outcome.message());
            }
            out.flush();
            return ExitCode.of(outcome.status());
        }
    }
}
