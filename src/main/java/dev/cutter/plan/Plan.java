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

    public List<Job> jobsOfKind(String kind) {
        return jobs.stream().filter(j -> j.kind().equals(kind)).toList();
    }
}
