package dev.cutter.plan;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every effect a release will have, computed before anything happens (law 1): a DAG of
 * {@link Job}s and the {@link Publication}s the image jobs make. A pure value: the same spec and
 * context give the same plan, byte for byte in JSON (see {@code docs/plan-json.md}).
 *
 * @param groups concurrency groups: at most {@code limit} jobs of a group run at once
 */
public record Plan(int schema, String project, String version, String scheme, String tag, String channel, boolean rolling,
        Optional<String> component, Optional<String> sha, List<Job> jobs, List<Publication> publications,
        Map<String, Integer> groups) {

    public static final int SCHEMA = 1;

    public Optional<Job> job(String id) {
        return jobs.stream().filter(j -> j.id().equals(id)).findFirst();
    }

    /** The kinds of job that make things without publishing them anywhere. */
    public static final java.util.Set<String> PRODUCING = java.util.Set.of("build", "image", "index", "archive", "checksums",
            "sign", "package");

    /**
     * What a pull request runs: every job that makes something (builds, images, archives,
     * packages, checksums, signatures), none that publishes, tags, pins, validates or notifies.
     * Producing jobs never need publishing ones, so the result is a whole DAG.
     */
    public Plan buildOnly() {
        return new Plan(schema, project, version, scheme, tag, channel, rolling, component, sha,
                jobs.stream().filter(j -> PRODUCING.contains(j.kind())).toList(), List.of(), groups);
    }

    public List<Job> jobsOfKind(String kind) {
        return jobs.stream().filter(j -> j.kind().equals(kind)).toList();
    }
}
