package dev.cutter.server;

import dev.cutter.ledger.Artifact;
import dev.cutter.ledger.AuditEntry;
import dev.cutter.ledger.Effect;
import dev.cutter.ledger.JobRecord;
import dev.cutter.ledger.LogLine;
import dev.cutter.ledger.Run;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The ledger's records as the API and the event streams show them: the same names as
 * {@code cutter runs show --json}, states in lower case, times as ISO-8601.
 */
final class Views {
    private Views() {}

    static Map<String, Object> run(Run run, Instant now) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", run.id());
        m.put("kind", lower(run.kind()));
        m.put("project", run.project());
        m.put("version", run.version());
        m.put("tag", run.tag());
        m.put("channel", run.channel());
        m.put("state", lower(run.state()));
        m.put("started", run.started().toString());
        run.finished().ifPresent(f -> m.put("finished", f.toString()));
        m.put("seconds", seconds(Duration.between(run.started(), run.finished().orElse(now))));
        m.put("host", run.host());
        m.put("pid", run.pid());
        return m;
    }

    static Map<String, Object> job(JobRecord job) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("job", job.jobId());
        m.put("kind", job.kind());
        m.put("state", lower(job.state()));
        m.put("attempts", job.attempts());
        job.started().ifPresent(s -> m.put("started", s.toString()));
        job.finished().ifPresent(f -> m.put("finished", f.toString()));
        job.started().ifPresent(s -> job.finished().ifPresent(f -> m.put("seconds", seconds(Duration.between(s, f)))));
        job.detail().ifPresent(d -> m.put("detail", d));
        return m;
    }

    static Map<String, Object> log(LogLine line) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seq", line.seq());
        m.put("job", line.jobId());
        m.put("stream", line.stream());
        m.put("at", line.at().toString());
        m.put("line", line.text());
        return m;
    }

    /** An artifact as its JSON has always read: every field in order, the path and digest as text. */
    record ArtifactJson(String runId, String jobId, String name, String path, String digest, long size, String kind) {}

    static ArtifactJson artifact(Artifact a) {
        return new ArtifactJson(a.runId(), a.jobId(), a.name(), a.path().toString(), a.digest().toString(), a.size(), a.kind());
    }

    static Map<String, Object> effect(Effect e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("run", e.runId());
        m.put("job", e.jobId());
        m.put("kind", e.kind());
        m.put("target", e.target());
        e.before().ifPresent(b -> m.put("before", b));
        m.put("after", e.after());
        m.put("at", e.at().toString());
        return m;
    }

    static Map<String, Object> audit(AuditEntry a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seq", a.seq());
        m.put("at", a.at().toString());
        m.put("actor", a.actor());
        m.put("action", a.action());
        m.put("subject", a.subject());
        m.put("outcome", a.outcome());
        m.put("source", a.source());
        return m;
    }

    static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }

    static double seconds(Duration d) {
        return Math.max(0, d.toMillis()) / 1000.0;
    }

    /** {@code 4.2 s}, {@code 3 min 05 s}, {@code 1 h 02 min}: for people. */
    static String duration(double seconds) {
        long s = (long) seconds;
        if (s < 60) {
            return String.format(Locale.ROOT, "%.1f s", seconds);
        }
        if (s < 3600) {
            return String.format(Locale.ROOT, "%d min %02d s", s / 60, s % 60);
        }
        return String.format(Locale.ROOT, "%d h %02d min", s / 3600, s % 3600 / 60);
    }
}
