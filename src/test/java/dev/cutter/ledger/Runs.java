package dev.cutter.ledger;

import java.util.Arrays;
import java.util.List;

/** New runs for tests: a plan of jobs named by their id, every one of kind {@code build}. */
final class Runs {
    private Runs() {
    }

    static NewRun of(String project, String version, String... jobIds) {
        List<JobSeed> jobs = Arrays.stream(jobIds).map(id -> new JobSeed(id, "build")).toList();
        return new NewRun(RunKind.RELEASE, project, version, "v" + version, "stable", "sha256:" + "ab".repeat(32),
                "{\"project\":\"" + project + "\",\"version\":\"" + version + "\"}", jobs, "builder-1", 4242);
    }
}
