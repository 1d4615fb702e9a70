package dev.cutter.run;

import dev.cutter.content.Digest;
import dev.cutter.ledger.Artifact;
import dev.cutter.ledger.Effect;
import dev.cutter.plan.Job;
import dev.cutter.plan.Plan;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * What a running job may use: the plan, the project directory, the artifacts of the jobs it
 * needs, secrets resolved at the moment of use, its log, and the signal to stop.
 */
public interface JobContext {
    String runId();

    /** A file this job produced, {@code path} relative to the project directory: an artifact of this run and job. */
    default Artifact artifact(String kind, String name, Path path, Digest digest, long size) {
        return new Artifact(runId(), job().id(), name, path, digest, size, kind);
    }

    /**
     * A change this job made outside Cutter, stamped with this run, this job and now; {@code before}
     * is empty when the target did not exist. The recorder masks its target on the way in.
     */
    default Effect effect(String kind, String target, Optional<String> before, String after) {
        return new Effect(runId(), job().id(), kind, target, before, after, Instant.now());
    }

    Plan plan();

    Job job();

    Path projectDir();

    /** Where release files (archives, checksums, signatures) are written: {@code dist/} of the project. */
    Path distDir();

    Artifacts artifacts();

    Secrets secrets();

    JobLog log();

    Cancellation cancellation();

    /** The fixed time for reproducible outputs: {@code SOURCE_DATE_EPOCH}, else the commit time, else the run's start. */
    Instant sourceDate();

    /** When this run (this attempt of it, for a resumed one) started: what provenance records as the build's start. */
    default Instant runStarted() {
        return Instant.now();
    }

    /** Whether every job before this one succeeded (for notifications, which run either way). */
    boolean runSucceeded();

    /**
     * How the jobs of this run that have ended so far ended, in that order (a notification, which
     * needs every other job, sees them all); jobs an earlier attempt of a resumed run finished are
     * not among them.
     */
    java.util.List<JobResult> ended();

    /** A job's log: lines are masked and go to the ledger and to the progress output. */
    interface JobLog {
        void line(String stream, String text);

        default void info(String text) {
            line("info", text);
        }
    }
}
