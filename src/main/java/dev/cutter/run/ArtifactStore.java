package dev.cutter.run;

import dev.cutter.ledger.Artifact;
import java.io.IOException;
import java.util.List;

/**
 * Where the jobs of a run spread over several machines leave what they produce for each other
 * (build outputs, images, archives, packages), known by digest, so any machine can fetch what
 * any other made, and a job run twice sends nothing new.
 */
public interface ArtifactStore {
    /** Stores what job {@code jobId} of run {@code runId} just made in the project directory; what is there already is not sent. */
    void put(String runId, String jobId, List<Artifact> outputs) throws IOException;

    /**
     * Makes the artifacts of job {@code jobId} present in the project directory as that job made
     * them (bytes and permissions), each digest checked; what is there already is kept.
     */
    void fetch(String runId, String jobId, List<Artifact> artifacts) throws IOException;

    /** The store as a user would name it in messages. */
    String describe();
}
