package dev.cutter.ledger;

import static java.util.Objects.requireNonNull;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What {@link Ledger#startRun} records: the plan and its jobs, in plan order.
 *
 * @param planJson the plan exactly as it will be executed (law 1), kept so a resume runs the same plan
 * @param host     the machine of the process that executes it
 * @param pid      that process's id
 */
public record NewRun(RunKind kind, String project, String version, String tag, String channel, String planDigest,
        String planJson, List<JobSeed> jobs, String host, long pid, Optional<java.time.Duration> lease) {

    /** A run executed by one process, which heartbeats it: no lease. */
    public NewRun(RunKind kind, String project, String version, String tag, String channel, String planDigest,
            String planJson, List<JobSeed> jobs, String host, long pid) {
        this(kind, project, version, tag, channel, planDigest, planJson, jobs, host, pid, Optional.empty());
    }


    public NewRun {
        requireNonNull(kind, "kind");
        requireNonNull(project, "project");
        requireNonNull(version, "version");
        requireNonNull(tag, "tag");
        requireNonNull(channel, "channel");
        requireNonNull(planDigest, "planDigest");
        requireNonNull(planJson, "planJson");
        requireNonNull(host, "host");
        requireNonNull(lease, "lease");
        jobs = List.copyOf(jobs);
        Set<String> seen = new HashSet<>();
        for (JobSeed job : jobs) {
            if (!seen.add(job.jobId())) {
                throw new IllegalArgumentException("job " + job.jobId() + " appears twice in the plan of "
                        + project + " " + version);
            }
        }
    }
}
