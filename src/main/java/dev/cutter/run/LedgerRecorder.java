package dev.cutter.run;

import dev.cutter.ledger.Artifact;
import dev.cutter.ledger.Effect;
import dev.cutter.ledger.JobState;
import dev.cutter.ledger.Ledger;
import java.util.List;
import java.util.Optional;

/** Records a run's jobs in the ledger; every text is masked once more on the way in. */
final class LedgerRecorder implements RunRecorder {
    private final Ledger ledger;
    private final String runId;
    private final Masker masker;

    LedgerRecorder(Ledger ledger, String runId, Masker masker) {
        this.ledger = ledger;
        this.runId = runId;
        this.masker = masker;
    }

    @Override
    public void jobStarted(String jobId) {
        ledger.jobStarted(runId, jobId);
    }

    @Override
    public void jobFinished(String jobId, JobState state, Optional<String> detail, List<Artifact> artifacts, List<Effect> effects) {
        ledger.jobFinished(runId, jobId, state, detail.map(masker::mask),
                artifacts,
                effects.stream().map(e -> new Effect(runId, jobId, e.kind(), masker.mask(e.target()), e.before(),
                        e.after(), e.at())).toList());
    }

    @Override
    public void log(String jobId, String stream, List<String> lines) {
        ledger.log(runId, jobId, stream, lines.stream().map(masker::mask).toList());
    }

    @Override
    public void heartbeat() {
        ledger.heartbeat(runId);
    }
}
