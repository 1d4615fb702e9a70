package dev.cutter.ci;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.cutter.plan.Action;
import dev.cutter.plan.Job;
import dev.cutter.plan.Plan;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A recorded run's plan as the pipeline of a CI engine people already run, each CI job one
 * {@code cutter job run RUN JOB}: a GitLab child pipeline or a GitHub Actions workflow. Pure:
 * the same plan, run and settings give the same text.
 *
 * <p>What the engines cannot say, the ledger does: a concurrency group whose limit is above one
 * has no GitLab or GitHub equivalent (GitLab's {@code resource_group} admits one job, GitHub's
 * {@code concurrency} cancels what waits), so {@code cutter job run} holds the group's places in
 * the ledger; a limit of one is also given to GitLab as a {@code resource_group}, so its jobs do
 * not occupy runners while they wait.
 */
public final class Pipelines {
    /** GitLab refuses a job with more than this many {@code needs}; such a job waits for the stages before it instead. */
    static final int GITLAB_MAX_NEEDS = 50;
    /** GitHub refuses a matrix of more cells than this; a larger plan is split over several matrix jobs. */
    public static final int GITHUB_MAX_MATRIX = 256;

    private static final YAMLMapper YAML = new YAMLMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .disable(YAMLGenerator.Feature.SPLIT_LINES)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS));

    /**
     * @param spec the spec file as the runners see it, relative to the checkout's root
     * @param runners CI runner tags or labels by platform ({@code default}: jobs of no platform)
     */
    public record Settings(String runId, String spec, Map<String, List<String>> runners) {}

    private Pipelines() {}

    /** The platform a job runs for ({@code linux/arm64}), if it is one platform's: a build or image of that cell. */
    static Optional<String> platform(Job job) {
        if (job.action() instanceof Action.Image image) {
            return Optional.of(image.platform());
        }
        return Optional.ofNullable(job.matrix().get("platform"));
    }

    private static List<String> runnerOf(Job job, Settings settings) {
        return platform(job).map(settings.runners()::get).or(() -> Optional.ofNullable(settings.runners().get("default")))
                .orElse(List.of());
    }

    private static String command(Settings settings, String job) {
        return "\"${CUTTER:-./cutter}\" job run \"$CUTTER_RUN\" " + quote(job) + " -f " + quote(settings.spec());
    }

    private static String quote(String text) {
        return text.matches("[A-Za-z0-9._/:@=+-]+") ? text : "'" + text.replace("'", "'\\''") + "'";
    }

    /** Each job's depth in the DAG: 0 without needs, else one more than its deepest need. */
    private static Map<String, Integer> depths(Plan plan) {
        Map<String, Integer> depth = new HashMap<>();
        for (Job job : plan.jobs()) { // plan order puts every need before the jobs needing it
            depth.put(job.id(), job.needs().stream().mapToInt(n -> depth.getOrDefault(n, 0) + 1).max().orElse(0));
        }
        return depth;
    }

    /**
     * A GitLab child pipeline ({@code trigger: include: artifact:} from the job that ran
     * {@code cutter emit}): a stage per depth of the DAG, each job with its {@code needs}, its
     * platform's runner {@code tags}, and {@code retry} on a lost runner (the retry takes the
     * job over once the lost runner's hold goes stale).
     */
    public static String gitlab(Plan plan, Settings settings) {
        Map<String, Integer> depth = depths(plan);
        int deepest = depth.values().stream().mapToInt(Integer::intValue).max().orElse(0);
        Map<String, Object> pipeline = new LinkedHashMap<>();
        List<String> stages = new ArrayList<>();
        for (int i = 0; i <= deepest; i++) {
            stages.add("cutter-" + i);
        }
        pipeline.put("stages", stages);
        pipeline.put("variables", Map.of("CUTTER_RUN", settings.runId()));
        for (Job job : plan.jobs()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("stage", "cutter-" + depth.get(job.id()));
            if (job.needs().size() <= GITLAB_MAX_NEEDS) {
                entry.put("needs", job.needs());
            }
            List<String> tags = runnerOf(job, settings);
            if (!tags.isEmpty()) {
                entry.put("tags", tags);
            }
            job.group().filter(g -> plan.groups().getOrDefault(g, 0) == 1).ifPresent(g -> entry.put("resource_group", "cutter-" + g));
            entry.put("script", List.of(command(settings, job.id())));
            entry.put("retry", Map.of("max", 2, "when", List.of("runner_system_failure", "stuck_or_timeout_failure", "unknown_failure")));
            pipeline.put(job.id(), entry);
        }
        return header(plan, settings, "GitLab child pipeline") + write(pipeline);
    }

    /** How many matrix jobs the dispatch workflow has: with {@link #GITHUB_MAX_MATRIX} cells each, the most plan jobs a run of it takes. */
    public static final int GITHUB_PARTS = 4;

    /**
     * The GitHub Actions workflow that releases {@code project}, written once and committed once:
     * the release is chosen when it is dispatched ({@code workflow_dispatch} inputs {@code version}
     * and {@code ref}), so nothing in it names a release. Its first job checks out the ref and runs
     * {@code cutter emit github --matrix}, which records the run and prints its plan jobs as the
     * matrix ({@link #githubMatrix}); the next jobs take their cells from it with {@code fromJSON},
     * each cell one {@code cutter job run} on its platform's {@code runs-on} labels.
     *
     * <p>The plan's jobs come in plan order, every need before the jobs needing it, cut into
     * {@link #GITHUB_PARTS} matrix jobs of at most {@link #GITHUB_MAX_MATRIX} cells; a part starts
     * once the parts before it ended, so a cell never waits on a cell not yet started. Within a
     * part, {@code cutter job run} waits in the ledger for the exact jobs its job needs.
     *
     * @param project the spec's project, for the workflow's name
     * @param settings the spec path and runners ({@code default}: where the first job runs); the run id is not used
     * @param install a {@code uses:} reference of the action that puts Cutter on the runners' PATH, if any;
     *     without one the steps run {@code $CUTTER}, else the checkout's {@code ./cutter}
     */
    public static String githubWorkflow(String project, Settings settings, Optional<String> install) {
        Map<String, Object> workflow = new LinkedHashMap<>();
        workflow.put("name", "cutter: " + project);
        Map<String, Object> inputs = new LinkedHashMap<>();
        inputs.put("version", input("The version to release, e.g. 1.2.3 (its tag as the spec's version.tag makes it)", true));
        inputs.put("ref", input("The branch, tag or commit to release from (default: the one the run is dispatched on)", false));
        workflow.put("on", Map.of("workflow_dispatch", Map.of("inputs", inputs)));
        workflow.put("permissions", Map.of("contents", "read"));
        workflow.put("env", Map.of("CUTTER_LEDGER", "${{ secrets.CUTTER_LEDGER }}"));
        Map<String, Object> jobs = new LinkedHashMap<>();

        Map<String, Object> plan = new LinkedHashMap<>();
        plan.put("name", "plan and record the run");
        List<String> labels = settings.runners().getOrDefault("default", List.of());
        plan.put("runs-on", labels.isEmpty() ? "ubuntu-latest" : labels);
        plan.put("outputs", ordered("matrix", "${{ steps.emit.outputs.matrix }}", "sha", "${{ steps.emit.outputs.sha }}"));
        List<Object> planSteps = new ArrayList<>(setup(install, "${{ inputs.ref }}"));
        planSteps.add(ordered("id", "emit", "env", Map.of("VERSION", "${{ inputs.version }}"), "run",
                "matrix=$(\"${CUTTER:-./cutter}\" emit github --matrix -f " + quote(settings.spec()) + " --version \"$VERSION\")\n"
                        + "echo \"matrix=$matrix\" >> \"$GITHUB_OUTPUT\"\n"
                        + "echo \"sha=$(git rev-parse HEAD)\" >> \"$GITHUB_OUTPUT\"\n"));
        plan.put("steps", planSteps);
        jobs.put("plan", plan);

        String matrix = "fromJSON(needs.plan.outputs.matrix)";
        for (int part = 1; part <= GITHUB_PARTS; part++) {
            Map<String, Object> job = new LinkedHashMap<>();
            job.put("name", "${{ matrix.job }}");
            List<String> needs = new ArrayList<>(List.of("plan"));
            if (part > 1) {
                needs.add("jobs-" + (part - 1));
            }
            job.put("needs", needs);
            // always(): a failed cell of the part before fails its dependants through the ledger, not by skipping the rest
            job.put("if", "${{ always() && needs.plan.result == 'success' && " + matrix + ".parts >= " + part + " }}");
            job.put("strategy", ordered("fail-fast", false, "matrix", "${{ " + matrix + ".matrix[" + (part - 1) + "] }}"));
            job.put("runs-on", "${{ fromJSON(matrix.runs-on) }}");
            Map<String, String> env = new LinkedHashMap<>();
            env.put("CUTTER_RUN", "${{ " + matrix + ".run }}");
            env.put("CUTTER_JOB", "${{ matrix.job }}");
            job.put("env", env);
            List<Object> steps = new ArrayList<>(setup(install, "${{ needs.plan.outputs.sha }}"));
            steps.add(Map.of("run", "\"${CUTTER:-./cutter}\" job run \"$CUTTER_RUN\" \"$CUTTER_JOB\" -f " + quote(settings.spec())));
            job.put("steps", steps);
            jobs.put("jobs-" + part, job);
        }
        workflow.put("jobs", jobs);
        return "# GitHub Actions workflow releasing " + project + ", written by `cutter emit github`. Commit it once: each run\n"
                + "# is chosen when it is dispatched (gh workflow run FILE -f version=1.2.3). Its jobs run\n"
                + "# `cutter job run RUN JOB`, which needs CUTTER_LEDGER (the shared ledger, postgresql://…) and the\n"
                + "# registry credentials of the spec in its environment.\n" + write(workflow);
    }

    private static Map<String, Object> input(String description, boolean required) {
        Map<String, Object> input = new LinkedHashMap<>();
        input.put("description", description);
        input.put("required", required);
        input.put("type", "string");
        if (!required) {
            input.put("default", "");
        }
        return input;
    }

    /** A map in the order its keys are given, so the same workflow is the same text. */
    private static Map<String, Object> ordered(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    private static List<Map<String, Object>> setup(Optional<String> install, String ref) {
        List<Map<String, Object>> steps = new ArrayList<>();
        steps.add(ordered("uses", "actions/checkout@v4", "with", Map.of("ref", ref)));
        install.ifPresent(action -> steps.add(Map.of("uses", action)));
        return steps;
    }

    /**
     * The matrix of a recorded run for the workflow of {@link #githubWorkflow}, as {@code cutter
     * emit github --matrix} prints it: {@code {"run", "parts", "matrix": [{"include": [{"job",
     * "runs-on"}…]}…]}}, the plan's jobs in plan order cut into parts of at most {@link
     * #GITHUB_MAX_MATRIX} cells; {@code runs-on} is the JSON of the cell's runner labels.
     *
     * @throws IllegalArgumentException when the plan has more jobs than the workflow's parts hold
     */
    public static Map<String, Object> githubMatrix(Plan plan, Settings settings) {
        if (plan.jobs().size() > GITHUB_PARTS * GITHUB_MAX_MATRIX) {
            throw new IllegalArgumentException(tooLarge(plan.jobs().size()));
        }
        List<Object> parts = new ArrayList<>();
        List<Job> jobs = plan.jobs();
        for (int from = 0; from < jobs.size(); from += GITHUB_MAX_MATRIX) {
            List<Map<String, String>> include = new ArrayList<>();
            for (Job cell : jobs.subList(from, Math.min(jobs.size(), from + GITHUB_MAX_MATRIX))) {
                List<String> labels = runnerOf(cell, settings);
                Map<String, String> entry = new LinkedHashMap<>();
                entry.put("job", cell.id());
                entry.put("runs-on", json(labels.isEmpty() ? List.of("ubuntu-latest") : labels));
                include.add(entry);
            }
            parts.add(Map.of("include", include));
        }
        Map<String, Object> matrix = new LinkedHashMap<>();
        matrix.put("run", settings.runId());
        matrix.put("parts", parts.size());
        matrix.put("matrix", parts);
        return matrix;
    }

    /** Why a plan of {@code jobs} jobs cannot run in the dispatch workflow. */
    public static String tooLarge(int jobs) {
        return "the plan has " + jobs + " jobs; the GitHub workflow runs at most " + GITHUB_PARTS * GITHUB_MAX_MATRIX
                + " (" + GITHUB_PARTS + " matrix jobs of " + GITHUB_MAX_MATRIX + ", GitHub's limit): narrow the release with --only"
                + " or split it over components";
    }

    private static String header(Plan plan, Settings settings, String what) {
        return "# " + what + " for run " + settings.runId() + " of " + plan.project() + " " + plan.version() + " (tag " + plan.tag()
                + "),\n# written by `cutter emit`: each job runs `cutter job run RUN JOB`, which needs CUTTER_LEDGER (the shared\n"
                + "# ledger, postgresql://…) and the registry credentials of the spec in its environment.\n";
    }

    private static String json(List<String> labels) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(labels);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a list of strings always serializes", e);
        }
    }

    private static String write(Object document) {
        try {
            return YAML.writeValueAsString(document);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a pipeline always serializes", e);
        }
    }
}
