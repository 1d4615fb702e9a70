package dev.cutter.ledger;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * One line a job wrote, secrets already masked by the writer.
 *
 * @param seq    increases by one per line across the whole run, so a reader pages with "after seq"
 * @param stream e.g. {@code stdout}, {@code stderr}, {@code cutter}
 */
public record LogLine(String runId, String jobId, long seq, Instant at, String stream, String text) {

    public LogLine {
        requireNonNull(runId, "runId");
        requireNonNull(jobId, "jobId");
        requireNonNull(at, "at");
        requireNonNull(stream, "stream");
        requireNonNull(text, "text");
    }
}
