package dev.cutter.run;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The run's artifact set: every {@link Output} of every finished job, typed and queryable. */
public final class Artifacts {
    private final Map<String, List<Output>> byJob = new ConcurrentHashMap<>();

    public void put(String jobId, List<Output> outputs) {
        byJob.put(jobId, List.copyOf(outputs));
    }

    public List<Output> ofJob(String jobId) {
        return byJob.getOrDefault(jobId, List.of());
    }

    /** The outputs of {@code jobIds}, in that order. */
    public List<Output> ofJobs(List<String> jobIds) {
        List<Output> out = new ArrayList<>();
        jobIds.forEach(id -> out.addAll(ofJob(id)));
        return out;
    }

    public List<Output> all() {
        return byJob.values().stream().flatMap(List::stream).toList();
    }
}
