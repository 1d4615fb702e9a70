package dev.cutter.cli;

import dev.cutter.ci.RegistryArtifacts;
import dev.cutter.ledger.Ledger;
import dev.cutter.run.JobRunner;
import dev.cutter.run.jobs.Jobs;
import dev.cutter.spec.Spec;
import dev.cutter.spec.SpecLoader;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec.Target;

/** {@code cutter job run RUN JOB}: what each CI job of an emitted pipeline runs. */
@Command(name = "job", mixinStandardHelpOptions = true, description = "One job of a run recorded by cutter emit.",
        subcommands = JobCommand.Run.class)
final class JobCommand extends CommandGroup {

    @Command(name = "run", mixinStandardHelpOptions = true, description = "Run one job of a recorded run exactly once: wait for what"
            + " it needs, hold it in the shared ledger, fetch the outputs it needs from the artifact repository, run it, leave its"
            + " outputs there.")
    static final class Run implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "RUN", description = "The run's id (CUTTER_RUN in an emitted pipeline).")
        String runId;

        @Parameters(index = "1", paramLabel = "JOB", description = "The job's id, e.g. build/binary/linux-amd64.")
        String jobId;

        @Mixin
        SpecOptions options;

        @Mixin
        LedgerOptions ledgerOptions;

        @Option(names = "--stale-after", paramLabel = "DURATION", defaultValue = "${env:CUTTER_STALE_AFTER:-30s}",
                description = "How long a runner that stopped renewing its hold keeps the job (default: CUTTER_STALE_AFTER, else 30s).")
        String staleAfter;

        @Option(names = "--wait", paramLabel = "DURATION", defaultValue = "6h",
                description = "How long to wait for the needed jobs and a place in its concurrency group (default: ${DEFAULT-VALUE}).")
        String patience;

        @Option(names = {"-v", "--verbose"}, description = "Show the job's output as it runs.")
        boolean verbose;

        @picocli.CommandLine.Spec(Target.SELF)
        picocli.CommandLine.Model.CommandSpec command;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = command.commandLine().getOut();
            Spec spec = SpecLoader.load(options.file);
            JobRunner.Options opts = new JobRunner.Options(Durations.parse("--stale-after", staleAfter), Durations.parse("--wait", patience));
            try (Interruption interruption = Interruption.install();
                    Ledger ledger = Ledger.open(ledgerOptions.location(options.file));
                    Progress progress = new Progress(out, false, verbose)) {
                var http = dev.cutter.oci.RegistryClient.http();
                JobRunner runner = new JobRunner(ledger, Jobs.handlers(System.getenv()), System.getenv(), progress, interruption.cancellation(),
                        artifacts -> RegistryArtifacts.open(artifacts, System.getenv(), spec.directory(), http));
                JobRunner.Outcome outcome = runner.run(spec, runId, jobId, opts);
                progress.close();
                out.println(outcome.message());
                out.flush();
                return switch (outcome.status()) {
                    case DONE, ALREADY_DONE -> ExitCode.OK;
                    case FAILED, CANCELLED -> ExitCode.JOB_FAILED;
                    case REFUSED -> ExitCode.REFUSED;
                    case UNREACHABLE -> ExitCode.UNREACHABLE;
                };
            }
        }
    }
}
