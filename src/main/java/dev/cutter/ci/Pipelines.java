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
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

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
    /** GitHub refuses a matrix of more cells than this; a larger entry is split over several jobs. */
    static final int GITHUB_MAX_MATRIX = 256;

    private static final YAMLMapper YAML = new YAMLMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
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

    /**
     * A GitHub Actions workflow: a job per spec entry and kind (a matrix over its plan jobs,
     * {@code fail-fast: false}, each cell on its platform's {@code runs-on}), needing the jobs of
     * the entries its plan jobs need. {@code cutter job run} waits for the exact jobs it needs,
     * so the coarser GitHub DAG only decides when runners start.
     */
    public static String github(Plan plan, Settings settings) {
        Map<String, List<Job>> byEntry = new LinkedHashMap<>();
        plan.jobs().forEach(j -> byEntry.computeIfAbsent(j.kind() + "/" + j.entry(), k -> new ArrayList<>()).add(j));
        Map<String, List<Job>> byGhJob = new LinkedHashMap<>();
        Map<String, String> ghJob = new HashMap<>(); // plan job → GitHub job id
        Set<String> taken = new HashSet<>();
        for (var entry : byEntry.entrySet()) {
            List<Job> cells = entry.getValue();
            for (int from = 0; from < cells.size(); from += GITHUB_MAX_MATRIX) { // a further job for each 256 cells
                String id = unique(identifier(entry.getKey()), taken);
                List<Job> chunk = cells.subList(from, Math.min(cells.size(), from + GITHUB_MAX_MATRIX));
                byGhJob.put(id, chunk);
                chunk.forEach(j -> ghJob.put(j.id(), id));
            }
        }
        Map<String, Object> workflow = new LinkedHashMap<>();
        workflow.put("name", "cutter: " + plan.project() + " " + plan.version());
        workflow.put("on", Map.of("workflow_dispatch", Map.of()));
        workflow.put("permissions", Map.of("contents", "read"));
        Map<String, String> env = new LinkedHashMap<>();
        env.put("CUTTER_RUN", settings.runId());
        env.put("CUTTER_LEDGER", "${{ secrets.CUTTER_LEDGER }}");
        workflow.put("env", env);
        Map<String, Object> jobs = new LinkedHashMap<>();
        for (var entry : byGhJob.entrySet()) {
            List<Job> cells = entry.getValue();
            Set<String> needs = new java.util.TreeSet<>();
            cells.forEach(c -> c.needs().forEach(n -> needs.add(ghJob.get(n))));
            needs.remove(entry.getKey());
            Map<String, Object> job = new LinkedHashMap<>();
            Job first = cells.getFirst();
            job.put("name", first.kind() + "/" + first.entry() + " (${{ matrix.job }})");
            if (!needs.isEmpty()) {
                job.put("needs", List.copyOf(needs));
            }
            List<Map<String, String>> include = new ArrayList<>();
            for (Job cell : cells) {
                List<String> labels = runnerOf(cell, settings);
                include.add(Map.of("job", cell.id(), "runs-on", json(labels.isEmpty() ? List.of("ubuntu-latest") : labels)));
            }
            job.put("strategy", Map.of("fail-fast", false, "matrix", Map.of("include", include)));
            job.put("runs-on", "${{ fromJSON(matrix.runs-on) }}");
            job.put("steps", List.of(Map.of("uses", "actions/checkout@v4"),
                    Map.of("run", command(settings, "${{ matrix.job }}").replace("'${{ matrix.job }}'", "\"${{ matrix.job }}\""))));
            jobs.put(entry.getKey(), job);
        }
        workflow.put("jobs", jobs);
        return header(plan, settings, "GitHub Actions workflow") + write(workflow);
    }

    /** A GitHub job id: letters, digits, {@code _} and {@code -}, starting with a letter or {@code _}. */
    static String identifier(String text) {
        String id = text.replaceAll("[^A-Za-z0-9_-]+", "-").replaceAll("-+", "-").replaceAll("^-|-$", "");
        return id.isEmpty() || !Character.isLetter(id.charAt(0)) && id.charAt(0) != '_' ? "j-" + id : id;
    }

    private static String unique(String id, Set<String> taken) {
        String candidate = id;
        for (int i = 2; !taken.add(candidate); i++) {
            candidate = id + "-" + i;
        }
        return candidate;
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
