package dev.cutter.run;

import dev.cutter.ledger.Artifact;
import dev.cutter.ledger.Effect;
import dev.cutter.ledger.JobState;
import java.util.List;
import java.util.Optional;

/** Where the scheduler records what happens: the ledger, in production. */
public interface RunRecorder {
    void jobStarted(String jobId);

    void jobFinished(String jobId, JobState state, Optional<String> detail, List<Artifact> outputs, List<Effect> effects);

    void log(String jobId, String stream, List<String> lines);

    void heartbeat();
}
