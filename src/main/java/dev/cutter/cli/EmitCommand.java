package dev.cutter.cli;

import dev.cutter.ci.Pipelines;
import dev.cutter.app.Services;
import dev.cutter.plan.Action;
import dev.cutter.plan.PlanException;
import dev.cutter.plan.PlanJson;
import dev.cutter.plan.Planner;
import dev.cutter.plan.ReleaseContext;
import dev.cutter.plan.ReleaseRequest;
import dev.cutter.run.Outcome;
import dev.cutter.run.RunOptions;
import dev.cutter.spec.Spec;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cutter emit gitlab|github}: a release recorded for CI machines to run, and the pipeline that runs it. */
@Command(footer = {"%nExamples:", "  cutter emit gitlab --version 1.2.3 -o release.yml",
        "  cutter emit github -o .github/workflows/release.yml",
        "  cutter emit github --matrix --version 1.2.3 --artifacts ghcr.io/acme/cutter-artifacts"},
        name = "emit",
        description = {"Record a release in the shared ledger and write the GitLab child pipeline whose jobs each run one job"
                + " of it (cutter job run RUN JOB).",
                "For GitHub: without --matrix, write the workflow to commit once (each release is chosen when it is"
                + " dispatched); with --matrix, record the release and print its jobs as the JSON matrix that workflow runs."})
final class EmitCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "ENGINE", description = "gitlab or github.")
    String engine;

    @Mixin
    Project project;

    @Mixin
    ReleaseOptions release;

    @Option(names = "--artifacts", paramLabel = "HOST/REPOSITORY", description = "Where the jobs leave their outputs for each other"
            + " (default: execution.artifacts of the spec).")
    String artifacts;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write the pipeline to FILE (default: standard output).")
    Path output;

    @Option(names = "--lease", paramLabel = "DURATION", defaultValue = "6h",
            description = "How long the run holds its version while no job runs (default: ${DEFAULT-VALUE}).")
    String lease;

    @Option(names = "--matrix", description = "github: record the release and print its jobs as JSON for the dispatch"
            + " workflow's matrix (fromJSON), one line.")
    boolean matrix;

    @Option(names = "--action", paramLabel = "OWNER/REPO@REF", description = "github: the action that puts Cutter on the"
            + " runners' PATH, a step of every job of the workflow (default: none; the jobs run $CUTTER, else ./cutter).")
    String action;

    @Option(names = "--run", paramLabel = "RUN", description = "github --matrix: print a batch of the jobs of RUN, recorded by an"
            + " earlier workflow run (what the workflow's next batch runs); nothing is planned or recorded.")
    String run;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "1", description = "github --matrix --run: which batch of the"
            + " run's jobs (default: ${DEFAULT-VALUE}).")
    int batch;

    @Mixin
    JsonOption json;

    /** The root of the spec's git checkout (runners check out the same repository), else the working directory. */
    private static Path checkoutRoot(Spec spec, Path workingDirectory) {
        try (dev.cutter.git.GitRepository git = dev.cutter.git.GitRepository.open(spec.directory())) {
            return git.root().toAbsolutePath().normalize();
        } catch (dev.cutter.git.GitException e) {
            return workingDirectory.toAbsolutePath();
        }
    }

    @Override
    public Integer call() throws Exception {
        if (!engine.equals("gitlab") && !engine.equals("github")) {
            throw new PlanException("cutter emit " + engine + ": the engines are gitlab and github");
        }
        if (run != null && !(engine.equals("github") && matrix)) {
            throw new PlanException("--run and --batch are for cutter emit github --matrix");
        }
        if (engine.equals("gitlab") && (matrix || action != null)) {
            throw new PlanException("cutter emit gitlab: --matrix and --action are GitHub's; GitLab gets its child pipeline per release");
        }
        Spec spec = project.spec();
        Services services = project.services();
        if (engine.equals("github") && !matrix) {
            return workflow(spec, services);
        }
        if (run != null) {
            return batch(spec, services);
        }
        ReleaseRequest request = release.request(services, project.file(), spec);
        Action.Published where = artifacts != null
                ? new Action.Published(artifacts, "", new Action.Access("docker-config", Optional.empty(), Optional.empty(), false, 0))
                : Planner.artifactRepository(spec, ReleaseContext.resolve(spec, request)).orElseThrow(() -> new PlanException(
                        "the jobs of an emitted pipeline run on several machines and pass their outputs through a registry"
                                + " repository: give --artifacts HOST/REPOSITORY, or execution.artifacts: REGISTRY/PATH in "
                                + project.file()));
        if (where.repository().startsWith("oci:")) {
            throw new PlanException("the artifact repository " + where.repository() + " is a directory of this machine; the jobs of"
                    + " an emitted pipeline run on other machines, so give a registry repository");
        }
        Duration holds = Durations.parse("--lease", lease);
        String emitJob = services.environment().getOrDefault("CI_JOB_NAME", "release:plan");
        java.util.function.Consumer<dev.cutter.plan.Plan> fits = plan -> { // refused before the run is recorded, so it holds nothing
            if (!matrix) {
                Pipelines.Settings sized = new Pipelines.Settings("r00000000-000000-0000", specPath(spec, services),
                        spec.execution().runners());
                int parts = Pipelines.gitlabParts(plan, sized, Pipelines.GitLabLimits.DEFAULT).size();
                if (parts > Pipelines.GitLabLimits.DEFAULT.parts()) {
                    throw new PlanException(Pipelines.tooLargeForGitLab(plan.jobs().size(), parts, Pipelines.GitLabLimits.DEFAULT));
                }
                if (parts > 1 && output == null) {
                    throw new PlanException("the plan has " + plan.jobs().size() + " jobs, more than one GitLab pipeline takes: give -o FILE,"
                            + " and its parts are written beside it");
                }
            }
        };
        PrintWriter err = project.err();
        Outcome outcome = services.withLedger(project.ledgerLocation(), ledger -> services.emitter(ledger)
                .emit(spec, request, holds, PlanJson.mapper().valueToTree(where), RunOptions.defaults(), fits));
        if (outcome.status() == Outcome.Status.NOTHING_TO_DO) {
            err.println("cutter: " + outcome.message());
            if (matrix) { // the workflow's matrix jobs are skipped
                java.util.Map<String, Object> none = new java.util.LinkedHashMap<>();
                none.put("run", null);
                none.put("parts", 0);
                none.put("matrix", java.util.List.of());
                project.out().println(JsonOption.line(none));
                project.out().flush();
            } else if (json.json) {
                JsonOption.print(project.out(), java.util.Map.of("status", outcome.status(), "message", outcome.message()));
            }
            return ExitCode.OK;
        }
        if (outcome.status() != Outcome.Status.RELEASED) {
            throw new CommandFailure(ExitCode.REFUSED, outcome.message());
        }
        Pipelines.Settings settings = new Pipelines.Settings(outcome.runId(), specPath(spec, services), spec.execution().runners());
        if (matrix) {
            project.out().println(JsonOption.line(Pipelines.githubMatrix(outcome.plan(), settings)));
            project.out().flush();
            err.println(outcome.message());
            err.flush();
            return ExitCode.OK;
        }
        if (output == null) {
            return write(Pipelines.gitlab(outcome.plan(), settings), outcome.status(), outcome.runId(), outcome.message(), services);
        }
        List<Pipelines.PipelineFile> files = Pipelines.gitlabFiles(outcome.plan(), settings, output.toString(), emitJob,
                Pipelines.GitLabLimits.DEFAULT);
        for (Pipelines.PipelineFile part : files.subList(1, files.size())) {
            Files.writeString(services.resolve(Path.of(part.path())), part.text());
        }
        String message = files.size() == 1 ? outcome.message() : outcome.message() + " in " + (files.size() - 1) + " parts"
                + " (GitLab takes at most " + Pipelines.GitLabLimits.DEFAULT.jobs() + " jobs a pipeline), beside " + output;
        return write(files.get(0).text(), outcome.status(), outcome.runId(), message, services);
    }

    /** A batch of a recorded run's jobs as the workflow's matrix: nothing is planned or recorded. */
    private int batch(Spec spec, Services services) throws InterruptedException {
        if (release.selectsRelease()) {
            throw new PlanException("--run " + run + " takes the run's recorded plan: give no --tag, --version, --var, --only,"
                    + " --component or --sha with it");
        }
        dev.cutter.plan.Plan plan = services.withLedger(project.ledgerLocation(), ledger -> ledger.planJson(run)).map(json -> {
            try {
                return dev.cutter.run.RunRecord.read(json).plan();
            } catch (com.fasterxml.jackson.core.JsonProcessingException | PlanException e) {
                throw new PlanException("run " + run + ": its recorded plan cannot be read: " + e.getMessage());
            }
        }).orElseThrow(() -> new PlanException("--run " + run + ": no such run in the ledger " + project.ledgerLocation()));
        Pipelines.Settings settings = new Pipelines.Settings(run, specPath(spec, services), spec.execution().runners());
        try {
            project.out().println(JsonOption.line(Pipelines.githubMatrix(plan, settings, batch)));
        } catch (IllegalArgumentException e) {
            throw new PlanException(e.getMessage());
        }
        project.out().flush();
        return ExitCode.OK;
    }

    /** The GitHub workflow, the same for every release of the spec: nothing is planned or recorded. */
    private int workflow(Spec spec, Services services) throws java.io.IOException {
        if (release.selectsRelease()) {
            throw new PlanException("cutter emit github writes the workflow every release shares; the release is chosen when it is"
                    + " dispatched: give --tag, --version, --var, --only, --component and --sha with --matrix");
        }
        if (action != null && !action.matches("[A-Za-z0-9_.-]+/[A-Za-z0-9_./-]+@[A-Za-z0-9_./-]+")) {
            throw new PlanException("--action " + action + ": write OWNER/REPO@REF, e.g. acme/cutter@v1");
        }
        Pipelines.Settings settings = new Pipelines.Settings("", specPath(spec, services), spec.execution().runners());
        String text = Pipelines.githubWorkflow(spec.project(), settings, Optional.ofNullable(action));
        return write(text, "written", null, "the workflow releases " + spec.project() + " when dispatched", services);
    }

    private String specPath(Spec spec, Services services) {
        return checkoutRoot(spec, services.workingDirectory())
                .relativize(services.resolve(project.file()).toAbsolutePath().normalize()).toString();
    }

    private int write(String text, Object status, String run, String message, Services services) throws java.io.IOException {
        PrintWriter err = project.err();
        if (output != null) {
            Files.writeString(services.resolve(output), text);
        }
        if (json.json) {
            java.util.Map<String, Object> body = new java.util.LinkedHashMap<>();
            body.put("status", status);
            if (run != null) {
                body.put("run", run);
            }
            body.put("message", message);
            body.put(output != null ? "file" : "pipeline", output != null ? output.toString() : text);
            JsonOption.print(project.out(), body);
        } else if (output == null) {
            project.out().print(text);
            project.out().flush();
        }
        err.println(message + (output != null ? "; the pipeline is in " + output : ""));
        err.flush();
        return ExitCode.OK;
    }
}
