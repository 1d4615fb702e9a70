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

    /**
     * A GitLab child pipeline ({@code trigger: include: artifact:} from the job that ran
     * {@code cutter emit}): a stage per depth of the DAG, each job with its {@code needs}, its
     * platform's runner {@code tags}, and {@code retry} on a lost runner (the retry takes the
     * job over once the lost runner's hold goes stale).
     */
    public static String gitlab(Plan plan, Settings settings) {
        return header(plan, settings, "GitLab child pipeline") + write(gitlabPipeline(plan, plan.jobs(), settings));
    }

    /**
     * The jobs {@code jobs} (a run of {@code plan}'s jobs in plan order) as one GitLab pipeline: a
     * stage per depth of the DAG among them, {@code needs} on the jobs among them only (GitLab
     * cannot need a job of another pipeline; a need of an earlier part has ended before this part
     * starts, and {@code cutter job run} reads its state from the ledger).
     */
    private static Map<String, Object> gitlabPipeline(Plan plan, List<Job> jobs, Settings settings) {
        Map<String, Integer> depth = new HashMap<>();
        for (Job job : jobs) { // plan order puts every need before the jobs needing it
            depth.put(job.id(), job.needs().stream().filter(depth::containsKey).mapToInt(n -> depth.get(n) + 1).max().orElse(0));
        }
        int deepest = depth.values().stream().mapToInt(Integer::intValue).max().orElse(0);
        Map<String, Object> pipeline = new LinkedHashMap<>();
        List<String> stages = new ArrayList<>();
        for (int i = 0; i <= deepest; i++) {
            stages.add("cutter-" + i);
        }
        pipeline.put("stages", stages);
        pipeline.put("variables", Map.of("CUTTER_RUN", settings.runId()));
        for (Job job : jobs) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("stage", "cutter-" + depth.get(job.id()));
            List<String> needs = job.needs().stream().filter(depth::containsKey).toList();
            if (needs.size() <= GITLAB_MAX_NEEDS) {
                entry.put("needs", needs);
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
        return pipeline;
    }

    /**
     * What GitLab takes of one pipeline file it runs; docs/scale-out.md cites where each is
     * documented.
     *
     * @param jobs jobs a pipeline may hold: GitLab.com's smallest {@code ci_pipeline_size} (the Free tier's 500)
     * @param bytes bytes a pipeline file may have: GitLab counts {@code max_yaml_size_bytes} (1–2 MB by version)
     *     over the parsed configuration, which its documentation says a file of about 200 KB may already reach
     * @param parts parts one run may be cut into: the jobs of the pipeline dispatching them, one each and
     *     one that passes the files on, within {@code jobs}
     */
    public record GitLabLimits(int jobs, int bytes, int parts) {
        public static final GitLabLimits DEFAULT = new GitLabLimits(500, 200 * 1024, 499);
    }

    /** A file of an emitted pipeline: where it goes (as {@code -o} gave it, the parts beside it) and its text. */
    public record PipelineFile(String path, String text) {}

    /**
     * The GitLab child pipeline of a recorded run as files GitLab takes. A plan within {@code
     * limits} is one file at {@code path}, {@link #gitlab}. A larger one is cut, in plan order,
     * into parts of at most {@code limits.jobs()} jobs and {@code limits.bytes()} bytes, each a
     * pipeline file beside {@code path} ({@code child-part-1.yml}…); the file at {@code path} is
     * then the pipeline that runs them one after another: a job that takes the part files from
     * the emitting job {@code emitJob} of the parent pipeline ({@code needs: pipeline:
     * $PARENT_PIPELINE_ID}, which the parent's trigger job passes), and a trigger job per part,
     * each waiting for the part before it to end however it ended ({@code when: always}): a job
     * whose need failed in an earlier part is cancelled by {@code cutter job run}, through the
     * ledger, as in one pipeline.
     *
     * @throws IllegalArgumentException when the plan needs more parts than {@code limits.parts()}
     */
    public static List<PipelineFile> gitlabFiles(Plan plan, Settings settings, String path, String emitJob, GitLabLimits limits) {
        List<List<Job>> parts = gitlabParts(plan, settings, limits);
        if (parts.size() == 1) {
            return List.of(new PipelineFile(path, gitlab(plan, settings)));
        }
        if (parts.size() > limits.parts()) {
            throw new IllegalArgumentException(tooLargeForGitLab(plan.jobs().size(), parts.size(), limits));
        }
        String stem = path.endsWith(".yml") || path.endsWith(".yaml") ? path.substring(0, path.lastIndexOf('.')) : path;
        List<PipelineFile> files = new ArrayList<>();
        List<String> partPaths = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            String partPath = stem + "-part-" + (i + 1) + ".yml";
            partPaths.add(partPath);
            files.add(new PipelineFile(partPath, header(plan, settings, "GitLab pipeline, part " + (i + 1) + " of " + parts.size() + ",")
                    + write(gitlabPipeline(plan, parts.get(i), settings))));
        }
        Map<String, Object> dispatch = new LinkedHashMap<>();
        dispatch.put("stages", List.of("cutter-parts"));
        dispatch.put("variables", Map.of("CUTTER_RUN", settings.runId()));
        Map<String, Object> fetch = new LinkedHashMap<>();
        fetch.put("stage", "cutter-parts");
        fetch.put("needs", List.of(ordered("pipeline", "$PARENT_PIPELINE_ID", "job", emitJob)));
        List<String> tags = settings.runners().getOrDefault("default", List.of());
        if (!tags.isEmpty()) {
            fetch.put("tags", tags);
        }
        fetch.put("script", List.of("ls -l " + String.join(" ", partPaths.stream().map(Pipelines::quote).toList())));
        fetch.put("artifacts", Map.of("paths", partPaths));
        dispatch.put(PARTS_JOB, fetch);
        for (int i = 0; i < parts.size(); i++) {
            Map<String, Object> trigger = new LinkedHashMap<>();
            trigger.put("stage", "cutter-parts");
            trigger.put("needs", i == 0 ? List.of(PARTS_JOB) : List.of(PARTS_JOB, "cutter:part-" + i));
            trigger.put("when", "always");
            trigger.put("trigger", ordered("include", List.of(ordered("artifact", partPaths.get(i), "job", PARTS_JOB)),
                    "strategy", "depend"));
            dispatch.put("cutter:part-" + (i + 1), trigger);
        }
        files.add(0, new PipelineFile(path, header(plan, settings, "GitLab child pipeline running " + parts.size()
                + " parts one after another,") + write(dispatch)));
        return files;
    }

    /** The job of the dispatching pipeline that passes the part files on to its trigger jobs. */
    static final String PARTS_JOB = "cutter:parts";

    /** The plan's jobs in plan order cut into parts within {@code limits}; one part when the whole plan is. */
    public static List<List<Job>> gitlabParts(Plan plan, Settings settings, GitLabLimits limits) {
        List<List<Job>> parts = new ArrayList<>();
        List<Job> part = new ArrayList<>();
        long bytes = GITLAB_FIXED_BYTES;
        for (Job job : plan.jobs()) {
            long size = gitlabBytes(job, settings);
            if (!part.isEmpty() && (part.size() == limits.jobs() || bytes + size > limits.bytes())) {
                parts.add(part);
                part = new ArrayList<>();
                bytes = GITLAB_FIXED_BYTES;
            }
            part.add(job);
            bytes += size;
        }
        if (!part.isEmpty() || parts.isEmpty()) {
            parts.add(part);
        }
        return parts;
    }

    /**
     * At least what {@code job} takes in a GitLab pipeline file: its name, stage, needs, tags,
     * group, script and retry, each counted as a double-quoted YAML scalar (the longest form the
     * writer chooses), and its stage in the list of stages. The header and variables are {@link
     * #GITLAB_FIXED_BYTES}.
     */
    private static long gitlabBytes(Job job, Settings settings) {
        long size = quoted(job.id()) + 2 + 24 + 16; // the key; "  stage: cutter-N"; "- cutter-N" in the stages
        size += 10;
        for (String need : job.needs()) {
            size += quoted(need) + 5;
        }
        size += 9;
        for (String tag : runnerOf(job, settings)) {
            size += quoted(tag) + 5;
        }
        size += job.group().map(g -> quoted("cutter-" + g) + 19L).orElse(0L);
        size += 10 + quoted(command(settings, job.id())) + 5;
        return size + 120; // retry: max and when
    }

    /** The bytes of {@code text} as a double-quoted YAML scalar at most: its UTF-8, the quotes and a backslash per escape. */
    private static long quoted(String text) {
        long escapes = text.chars().filter(c -> c == '"' || c == '\\' || c < 0x20).count();
        return text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length + 2 + 5 * escapes;
    }

    /** The header and variables of a part (its stages are counted with its jobs). */
    private static final int GITLAB_FIXED_BYTES = 1024;

    /** Why a plan of {@code jobs} jobs, {@code parts} parts, is more than one GitLab run takes. */
    public static String tooLargeForGitLab(int jobs, int parts, GitLabLimits limits) {
        return "the plan has " + jobs + " jobs, " + parts + " GitLab pipelines of at most " + limits.jobs() + " jobs; the pipeline"
                + " running them holds at most " + limits.parts() + ": narrow the release with --only or split it over components";
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
     * part, {@code cutter job run} waits in the ledger for the exact jobs its job needs. A run of
     * more jobs than one workflow run takes goes on in the next: the last job, {@code next},
     * dispatches the workflow again with the run and its next batch ({@link #githubMatrix(Plan,
     * Settings, int)}), whose {@code plan} job prints that batch from the recorded plan.
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
        inputs.put("run", input("A run recorded by an earlier workflow run of this release, when it continues it (set by that run)",
                false));
        inputs.put("batch", input("Which batch of that run's jobs this workflow run takes (set by the run before it)", false));
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
        planSteps.add(ordered("id", "emit", "env", ordered("VERSION", "${{ inputs.version }}", "RUN", "${{ inputs.run }}", "BATCH",
                "${{ inputs.batch }}"), "run",
                "if [ -n \"$RUN\" ]; then\n"
                        + "  matrix=$(\"${CUTTER:-./cutter}\" emit github --matrix -f " + quote(settings.spec())
                        + " --run \"$RUN\" --batch \"$BATCH\")\n"
                        + "else\n"
                        + "  matrix=$(\"${CUTTER:-./cutter}\" emit github --matrix -f " + quote(settings.spec()) + " --version \"$VERSION\")\n"
                        + "fi\n"
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
        Map<String, Object> next = new LinkedHashMap<>();
        next.put("name", "dispatch the next batch");
        List<String> all = new ArrayList<>(List.of("plan"));
        for (int part = 1; part <= GITHUB_PARTS; part++) {
            all.add("jobs-" + part);
        }
        next.put("needs", all);
        next.put("if", "${{ always() && needs.plan.result == 'success' && " + matrix + ".next > 0 }}");
        next.put("runs-on", labels.isEmpty() ? "ubuntu-latest" : labels);
        next.put("permissions", ordered("actions", "write", "contents", "read"));
        next.put("env", ordered("GH_TOKEN", "${{ github.token }}", "WORKFLOW_REF", "${{ github.workflow_ref }}", "VERSION",
                "${{ inputs.version }}", "SHA", "${{ needs.plan.outputs.sha }}", "RUN", "${{ " + matrix + ".run }}", "NEXT",
                "${{ " + matrix + ".next }}"));
        next.put("steps", List.of(Map.of("run", "workflow=\"${WORKFLOW_REF%%@*}\"\n"
                + "gh workflow run \"${workflow##*/}\" --repo \"$GITHUB_REPOSITORY\" --ref \"$GITHUB_REF_NAME\""
                + " -f version=\"$VERSION\" -f ref=\"$SHA\" -f run=\"$RUN\" -f batch=\"$NEXT\"\n")));
        jobs.put("next", next);
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
     * What one workflow run takes of a run's jobs: {@link #GITHUB_PARTS} matrix jobs of at most
     * {@link #GITHUB_MAX_MATRIX} cells ({@code jobs-1}…), and a matrix the {@code plan} job passes
     * them in one output of at most {@link #GITHUB_OUTPUT_BYTES} (GitHub allows 1 MB a job,
     * counted in UTF-16).
     */
    public static final int GITHUB_OUTPUT_BYTES = 900 * 1024;

    /**
     * The matrix of a recorded run for the workflow of {@link #githubWorkflow}, as {@code cutter
     * emit github --matrix} prints it: {@code {"run", "batch", "batches", "next", "parts", "matrix": [{"include":
     * [{"job", "runs-on"}…]}…]}}. The plan's jobs in plan order are cut into batches, one a workflow
     * run ({@link #githubBatches}); this is batch {@code batch} (from 1), its jobs cut into parts
     * of at most {@link #GITHUB_MAX_MATRIX} cells; {@code runs-on} is the JSON of the cell's
     * runner labels. {@code next} is the batch the workflow run dispatches when it ends, 0 when
     * this is the last: a batch starts once every job of the one before it ended, so a need in an
     * earlier batch has ended too, and {@code cutter job run} reads how from the ledger.
     *
     * @throws IllegalArgumentException when the plan has no batch {@code batch}
     */
    public static Map<String, Object> githubMatrix(Plan plan, Settings settings, int batch) {
        List<List<Map<String, String>>> batches = githubBatches(plan, settings);
        if (batch < 1 || batch > batches.size()) {
            throw new IllegalArgumentException("--batch " + batch + ": run " + settings.runId() + " has " + batches.size()
                    + " batch" + (batches.size() == 1 ? "" : "es"));
        }
        List<Map<String, String>> cells = batches.get(batch - 1);
        List<Object> parts = new ArrayList<>();
        for (int from = 0; from < cells.size(); from += GITHUB_MAX_MATRIX) {
            parts.add(Map.of("include", cells.subList(from, Math.min(cells.size(), from + GITHUB_MAX_MATRIX))));
        }
        Map<String, Object> matrix = new LinkedHashMap<>();
        matrix.put("run", settings.runId());
        matrix.put("batch", batch);
        matrix.put("batches", batches.size());
        matrix.put("next", batch < batches.size() ? batch + 1 : 0);
        matrix.put("parts", parts.size());
        matrix.put("matrix", parts);
        return matrix;
    }

    /** The first batch of {@link #githubMatrix(Plan, Settings, int)}: what the run's first workflow run takes. */
    public static Map<String, Object> githubMatrix(Plan plan, Settings settings) {
        return githubMatrix(plan, settings, 1);
    }

    /**
     * The plan's jobs as matrix cells in plan order, cut into the batches workflow runs take one
     * after another: each at most {@link #GITHUB_PARTS} × {@link #GITHUB_MAX_MATRIX} cells and
     * {@link #GITHUB_OUTPUT_BYTES} of output. A pure function of the plan, so every workflow run
     * of a release cuts it alike.
     */
    static List<List<Map<String, String>>> githubBatches(Plan plan, Settings settings) {
        List<List<Map<String, String>>> batches = new ArrayList<>();
        List<Map<String, String>> batch = new ArrayList<>();
        long bytes = 2L * 200; // the matrix's own keys, run id and counts, in UTF-16
        for (Job cell : plan.jobs()) {
            List<String> labels = runnerOf(cell, settings);
            Map<String, String> entry = new LinkedHashMap<>();
            entry.put("job", cell.id());
            entry.put("runs-on", json(labels.isEmpty() ? List.of("ubuntu-latest") : labels));
            long size = 2L * (json(entry).length() + 16); // a comma, and an {"include": […]} per part at most
            if (!batch.isEmpty() && (batch.size() == GITHUB_PARTS * GITHUB_MAX_MATRIX || bytes + size > GITHUB_OUTPUT_BYTES)) {
                batches.add(batch);
                batch = new ArrayList<>();
                bytes = 2L * 200;
            }
            batch.add(entry);
            bytes += size;
        }
        batches.add(batch);
        return batches;
    }

    private static String header(Plan plan, Settings settings, String what) {
        return "# " + what + " for run " + settings.runId() + " of " + plan.project() + " " + plan.version() + " (tag " + plan.tag()
                + "),\n# written by `cutter emit`: each job runs `cutter job run RUN JOB`, which needs CUTTER_LEDGER (the shared\n"
                + "# ledger, postgresql://…) and the registry credentials of the spec in its environment.\n";
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("strings always serialize", e);
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
