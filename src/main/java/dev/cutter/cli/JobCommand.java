package dev.cutter.cli;

import dev.cutter.app.Services;
import dev.cutter.ci.RegistryArtifacts;
import dev.cutter.ledger.Ledger;
import dev.cutter.run.JobRunner;
import dev.cutter.spec.Spec;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cutter job run RUN JOB}: what each CI job of an emitted pipeline runs. */
@Command(name = "job", description = "One job of a run recorded by cutter emit.",
        subcommands = JobCommand.Run.class)
final class JobCommand extends CommandGroup {

    @Command(name = "run", description = "Run one job of a recorded run exactly once: wait for what"
            + " it needs, hold it in the shared ledger, fetch the outputs it needs from the artifact repository, run it, leave its"
            + " outputs there.")
    static final class Run extends ProjectCommand {
        @Parameters(index = "0", paramLabel = "RUN", description = "The run's id (CUTTER_RUN in an emitted pipeline).")
        String runId;

        @Parameters(index = "1", paramLabel = "JOB", description = "The job's id, e.g. build/binary/linux-amd64.")
        String jobId;

        @Option(names = "--stale-after", paramLabel = "DURATION",
                description = "How long a runner that stopped renewing its hold keeps the job (default: CUTTER_STALE_AFTER, else 30s).")
        String staleAfter;

        @Option(names = "--wait", paramLabel = "DURATION", defaultValue = "6h",
                description = "How long to wait for the needed jobs and a place in its concurrency group (default: ${DEFAULT-VALUE}).")
        String patience;

        @Option(names = {"-v", "--verbose"}, description = "Show the job's output as it runs.")
        boolean verbose;

        @Override
        int call(Spec spec, PrintWriter out) throws Exception {
            Services services = project.services();
            // read here rather than by picocli's ${env:…}, so the command sees the environment it is given
            String stale = staleAfter != null ? staleAfter : services.environment().getOrDefault("CUTTER_STALE_AFTER", "30s");
            JobRunner.Options opts = new JobRunner.Options(Durations.parse("--stale-after", stale), Durations.parse("--wait", patience));
            try (Interruption interruption = Interruption.install();
                    Ledger ledger = services.ledger(project.ledgerLocation());
                    Progress progress = new Progress(out, false, verbose)) {
                var http = dev.cutter.oci.RegistryClient.http();
                JobRunner runner = new JobRunner(ledger, services.handlers(ledger, false), services.environment(), progress,
                        interruption.cancellation(), artifacts -> RegistryArtifacts.open(artifacts, services.environment(), spec.directory(), http),
                        services.readBack(ledger));
                JobRunner.Outcome outcome = runner.run(spec, runId, jobId, opts);
                progress.close();
                out.println(outcome.message());
                out.flush();
                // a job cancelled because what it needs failed is a failed CI job, not an interrupted one
                return outcome.status() == dev.cutter.run.Outcome.Status.CANCELLED ? ExitCode.JOB_FAILED : ExitCode.of(outcome.status());
            }
        }
    }
}
