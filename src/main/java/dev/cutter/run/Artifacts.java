package dev.cutter.run;

import dev.cutter.ledger.Artifact;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The run's artifact set: every {@link Artifact} of every finished job, typed and queryable. */
public final class Artifacts {
    private final Map<String, List<Artifact>> byJob = new ConcurrentHashMap<>();

    public void put(String jobId, List<Artifact> outputs) {
        byJob.put(jobId, List.copyOf(outputs));
    }

    public List<Artifact> ofJob(String jobId) {
        return byJob.getOrDefault(jobId, List.of());
    }

    /** The outputs of {@code jobIds}, in that order. */
    public List<Artifact> ofJobs(List<String> jobIds) {
        List<Artifact> out = new ArrayList<>();
        jobIds.forEach(id -> out.addAll(ofJob(id)));
        return out;
    }

    public List<Artifact> all() {
        return byJob.values().stream().flatMap(List::stream).toList();
    }
}
